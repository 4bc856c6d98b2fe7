package io.tracelight.instrumentation.apachehttpclient5;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.MethodMatcher;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Arrays;
import java.util.List;

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
    public List<String> typeNames() {
      return Arrays.asList("org.apache.hc.client5.http.impl.classic.InternalHttpClient",
          "org.apache.hc.client5.http.impl.classic.MinimalHttpClient");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          MethodMatcher.named("doExecute").takesArguments(3)
              .takesArgument(0, "org.apache.hc.core5.http.HttpHost")
              .takesArgument(1, "org.apache.hc.core5.http.ClassicHttpRequest"),
          "io.tracelight.instrumentation.apachehttpclient5.DoExecuteAdvice");
    }
  }

  static final class AsyncDoExecuteInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNames() {
      return Arrays.asList("org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient",
          "org.apache.hc.client5.http.impl.async.AbstractMinimalHttpAsyncClientBase");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          MethodMatcher.named("doExecute").takesArguments(6)
              .takesArgument(0, "org.apache.hc.core5.http.HttpHost")
              .takesArgument(1, "org.apache.hc.core5.http.nio.AsyncRequestProducer")
              .takesArgument(2, "org.apache.hc.core5.http.nio.AsyncResponseConsumer"),
          "io.tracelight.instrumentation.apachehttpclient5.AsyncDoExecuteAdvice");
    }
  }
}
