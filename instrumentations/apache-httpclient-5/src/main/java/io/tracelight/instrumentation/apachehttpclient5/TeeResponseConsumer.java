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
 * handed on (copied, the buffer unmoved), and every method passes to the consumer. The stream's end completes the call, a failure fails it, a release before either (the
 * application cancelled) ends it as cancelled or closed early.
 * Called by the client's I/O thread one event at a time, as the consumer itself is.
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
    try {
      delegate.consumeResponse(response, entity, context, resultCallback);
    } catch (Throwable t) {
      call.fail(t);
      throw t;
    }
    if (entity == null) {
      call.complete();
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
    delegate.consume(src);
  }

  @Override
  public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
    try {
      delegate.streamEnd(trailers);
    } catch (Throwable t) {
      call.fail(t);
      throw t;
    }
    call.complete();
  }

  @Override
  public void failed(Exception cause) {
    try {
      delegate.failed(cause);
    } finally {
      call.fail(cause);
    }
  }

  /** The client threw before the call was under way. */
  void callFailed(Throwable cause) {
    call.fail(cause);
  }

  @Override
  public void releaseResources() {
    try {
      delegate.releaseResources();
    } finally {
      call.released();
    }
  }
}
