package io.tracelight.instrumentation.apachehttpclient5;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The application's response consumer, seen from the client: the call sees each chunk as it is
 * handed on (copied, the buffer unmoved), and every method passes to the consumer. The stream's end
 * completes the call before the consumer hears of it (the minimal clients release the consumer from
 * inside its {@code streamEnd}); a consumer that throws on a chunk has given up (closed early).
 * A release ends nothing: the full client releases before it reports the failure that caused it,
 * and the result callback ({@link EndingCallback}) always follows.
 * Called by the client's threads one event at a time, as the consumer itself is.
 */
final class TeeResponseConsumer<T> implements AsyncResponseConsumer<T> {
  private final AsyncResponseConsumer<T> delegate;
  private final AsyncCall call;

  TeeResponseConsumer(AsyncResponseConsumer<T> delegate, AsyncCall call) {
    this.delegate = delegate;
    this.call = call;
  }

  @Override
  public void consumeResponse(HttpResponse response, EntityDetails entity, HttpContext context,
      FutureCallback<T> resultCallback) throws HttpException, IOException {
    call.responseHeaders(response, entity);
    if (entity == null) {
      call.complete(); // no body: the answer is whole
    }
    try {
      delegate.consumeResponse(response, entity, context, resultCallback);
    } catch (Throwable t) {
      call.fail(t);
      throw t;
    }
  }

  @Override
  public void informationResponse(HttpResponse response, HttpContext context) throws HttpException, IOException {
    delegate.informationResponse(response, context);
  }

  @Override
  public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
    delegate.updateCapacity(capacityChannel);
  }

  /**
   * The consumer must take the whole buffer, but need not move its position (HttpClient's own
   * consumers read the array behind it), so the remaining bytes are read, unmoved, before it.
   */
  @Override
  public void consume(ByteBuffer src) throws IOException {
    call.responseBytes(src);
    try {
      delegate.consume(src);
    } catch (Throwable t) {
      call.gaveUp();
      throw t;
    }
  }

  @Override
  public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
    call.complete();
    delegate.streamEnd(trailers);
  }

  @Override
  public void failed(Exception cause) {
    try {
      delegate.failed(cause);
    } finally {
      call.fail(cause);
    }
  }

  @Override
  public void releaseResources() {
    delegate.releaseResources();
  }
}
