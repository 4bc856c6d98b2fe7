package io.tracelight.instrumentation.apachehttpclient5;

import io.tracelight.core.InternalErrors;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;

/** Builds the async call's wrappers; a call already wrapped is left as it is. */
final class AsyncWrapping {
  private AsyncWrapping() {}

  @SuppressWarnings({"rawtypes", "unchecked"})
  static Object[] wrap(HttpHost target, AsyncRequestProducer producer, AsyncResponseConsumer<?> consumer,
      FutureCallback<?> callback) {
    try {
      if (producer == null || consumer == null || producer instanceof TeeRequestProducer) {
        return null;
      }
      AsyncCall call = new AsyncCall(target);
      return new Object[] {new TeeRequestProducer(producer, call), new TeeResponseConsumer(consumer, call),
          new EndingCallback(callback, call)};
    } catch (Throwable t) {
      InternalErrors.report(AsyncCall.NAME, "request", t);
      return null;
    }
  }
}
