package io.tracelight.instrumentation.apachehttpclient4;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

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
    public ElementMatcher<TypeDescription> typeMatcher() {
      return namedOneOf("org.apache.http.impl.client.InternalHttpClient",
          "org.apache.http.impl.client.MinimalHttpClient", "org.apache.http.impl.client.AbstractHttpClient");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          named("doExecute").and(takesArguments(3))
              .and(takesArgument(0, named("org.apache.http.HttpHost")))
              .and(takesArgument(1, named("org.apache.http.HttpRequest"))),
          "io.tracelight.instrumentation.apachehttpclient4.DoExecuteAdvice");
    }
  }
}
