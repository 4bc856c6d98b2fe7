package io.tracelight.instrumentation.okhttp;

import net.bytebuddy.asm.Advice;
import okhttp3.OkHttpClient;

/** Before a client copies its builder's interceptors, puts ours first. */
public final class ClientConstructorAdvice {
  private ClientConstructorAdvice() {}

  @Advice.OnMethodEnter(inline = false, suppress = Throwable.class)
  public static void enter(@Advice.Argument(0) OkHttpClient.Builder builder) {
    TracingInterceptor.addTo(builder);
  }
}
