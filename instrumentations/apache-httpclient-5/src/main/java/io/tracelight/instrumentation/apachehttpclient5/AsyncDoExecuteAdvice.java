package io.tracelight.instrumentation.apachehttpclient5;

import io.tracelight.core.instrumentation.Advice;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;

/**
 * At the async client's {@code doExecute}: the request producer, the response consumer and the
 * result callback are swapped for wrappers that see the call as it happens. Dispatched by
 * invokedynamic; signatures hold only library and JDK types.
 */
public final class AsyncDoExecuteAdvice {
  private AsyncDoExecuteAdvice() {}

  /** Returns {producer, consumer, callback} to use instead, or null (nothing is assigned). */
  @Advice.OnEnter
  @Advice.ToArguments({1, 2, 5})
  public static Object[] enter(@Advice.Argument(0) HttpHost target,
      @Advice.Argument(1) AsyncRequestProducer producer, @Advice.Argument(2) AsyncResponseConsumer<?> consumer,
      @Advice.Argument(5) FutureCallback<?> callback) {
    return AsyncWrapping.wrap(target, producer, consumer, callback);
  }
}
