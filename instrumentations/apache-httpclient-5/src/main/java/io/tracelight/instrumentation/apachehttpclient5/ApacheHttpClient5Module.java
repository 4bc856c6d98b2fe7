package io.tracelight.instrumentation.apachehttpclient5;

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
 * Apache HttpClient 5 classic: every {@code execute*} and {@code executeOpen} of the clients that
 * {@code HttpClients} and {@code HttpClientBuilder} make ends in {@code doExecute} of
 * {@code InternalHttpClient} or {@code MinimalHttpClient}; response-handler overloads call their
 * handler after it returns, so the handler reads through the tee too.
 */
public final class ApacheHttpClient5Module implements InstrumentationModule {
  @Override
  public String name() {
    return "apache-httpclient-5";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new DoExecuteInstrumentation());
  }

  static final class DoExecuteInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return namedOneOf("org.apache.hc.client5.http.impl.classic.InternalHttpClient",
          "org.apache.hc.client5.http.impl.classic.MinimalHttpClient");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          named("doExecute").and(takesArguments(3))
              .and(takesArgument(0, named("org.apache.hc.core5.http.HttpHost")))
              .and(takesArgument(1, named("org.apache.hc.core5.http.ClassicHttpRequest"))),
          "io.tracelight.instrumentation.apachehttpclient5.DoExecuteAdvice");
    }
  }
}
