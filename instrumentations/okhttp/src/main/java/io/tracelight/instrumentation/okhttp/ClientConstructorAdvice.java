package io.tracelight.instrumentation.okhttp;

import io.tracelight.core.instrumentation.Advice;
import okhttp3.OkHttpClient;

/** Before a client copies its builder's interceptors, puts ours first. */
public final class ClientConstructorAdvice {
  private ClientConstructorAdvice() {}

  @Advice.OnEnter
  public static void enter(@Advice.Argument(0) OkHttpClient.Builder builder) {
    TracingInterceptor.addTo(builder);
  }
}
