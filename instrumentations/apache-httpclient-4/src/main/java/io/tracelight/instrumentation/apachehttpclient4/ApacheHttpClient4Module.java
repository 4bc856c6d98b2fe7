package io.tracelight.instrumentation.apachehttpclient4;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.MethodMatcher;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Apache HttpClient 4.3 to 4.5: every {@code execute} of a {@code CloseableHttpClient} (with or
 * without a response handler) ends in {@code doExecute} of the client {@code HttpClients} and
 * {@code HttpClientBuilder} make ({@code InternalHttpClient}), the minimal one, or the deprecated
 * {@code DefaultHttpClient} family ({@code AbstractHttpClient}). Before 4.3 there is no
 * {@code doExecute}, and nothing is woven.
 */
public final class ApacheHttpClient4Module implements InstrumentationModule {
  @Override
  public String name() {
    return "apache-httpclient-4";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new DoExecuteInstrumentation());
  }

  static final class DoExecuteInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNames() {
      return Arrays.asList("org.apache.http.impl.client.InternalHttpClient",
          "org.apache.http.impl.client.MinimalHttpClient", "org.apache.http.impl.client.AbstractHttpClient");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          MethodMatcher.named("doExecute").takesArguments(3)
              .takesArgument(0, "org.apache.http.HttpHost")
              .takesArgument(1, "org.apache.http.HttpRequest"),
          "io.tracelight.instrumentation.apachehttpclient4.DoExecuteAdvice");
    }
  }
}
