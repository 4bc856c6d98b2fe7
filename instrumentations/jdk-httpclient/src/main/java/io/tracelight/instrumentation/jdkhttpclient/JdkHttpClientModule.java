package io.tracelight.instrumentation.jdkhttpclient;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.MethodMatcher;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Collections;
import java.util.List;

/**
 * {@code java.net.http.HttpClient}: every {@code send} and {@code sendAsync} of the JDK's client
 * goes through the private four-argument {@code HttpClientImpl.sendAsync}, on JDK 11 to 25.
 */
public final class JdkHttpClientModule implements InstrumentationModule {
  @Override
  public String name() {
    return "jdk-httpclient";
  }

  /** For {@link TrustedTeeSubscriber}, which implements the JDK's internal trusted-subscriber interface. */
  @Override
  public List<String> jdkExports() {
    return Collections.singletonList("java.net.http/jdk.internal.net.http");
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new HttpClientImplInstrumentation());
  }

  static final class HttpClientImplInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNames() {
      return Collections.singletonList("jdk.internal.net.http.HttpClientImpl");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          MethodMatcher.named("sendAsync").takesArguments(4)
              .takesArgument(0, "java.net.http.HttpRequest")
              .takesArgument(1, "java.net.http.HttpResponse$BodyHandler"),
          "io.tracelight.instrumentation.jdkhttpclient.SendAsyncAdvice");
    }
  }
}
