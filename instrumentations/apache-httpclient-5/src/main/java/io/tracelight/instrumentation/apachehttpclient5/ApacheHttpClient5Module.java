package io.tracelight.instrumentation.apachehttpclient5;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Apache HttpClient 5. Classic: every {@code execute*} and {@code executeOpen} of the clients that
 * {@code HttpClients} and {@code HttpClientBuilder} make ends in {@code doExecute} of
 * {@code InternalHttpClient} or {@code MinimalHttpClient}; response-handler overloads call their
 * handler after it returns, so the handler reads through the tee too. Async: every
 * {@code execute} of {@code CloseableHttpAsyncClient} (HTTP/1.1 and HTTP/2, full and minimal
 * clients) ends in {@code doExecute} of {@code InternalAbstractHttpAsyncClient} or
 * {@code AbstractMinimalHttpAsyncClientBase}, which gets the request producer and response consumer.
 */
public final class ApacheHttpClient5Module implements InstrumentationModule {
  @Override
  public String name() {
    return "apache-httpclient-5";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(new DoExecuteInstrumentation(), new AsyncDoExecuteInstrumentation());
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

  static final class AsyncDoExecuteInstrumentation implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return namedOneOf("org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient",
          "org.apache.hc.client5.http.impl.async.AbstractMinimalHttpAsyncClientBase");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          named("doExecute").and(takesArguments(6))
              .and(takesArgument(0, named("org.apache.hc.core5.http.HttpHost")))
              .and(takesArgument(1, named("org.apache.hc.core5.http.nio.AsyncRequestProducer")))
              .and(takesArgument(2, named("org.apache.hc.core5.http.nio.AsyncResponseConsumer"))),
          "io.tracelight.instrumentation.apachehttpclient5.AsyncDoExecuteAdvice");
    }
  }
}
