package io.tracelight.core.exchange;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.protocol.Protocol;
import io.tracelight.core.protocol.StreamDecoder;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One HTTP exchange the agent watches, as the instrumentations see it: bytes, status and
 * timestamps, no protocol knowledge. The application's thread only copies bytes it already holds
 * and stamps times; decoding happens on an agent thread once the exchange has ended and been
 * handed to the sink. A stream too long to hold is the exception: past the body cap its bytes
 * are decoded incrementally as they are read, so memory stays bounded.
 *
 * <p>It ends exactly once: at the end of the body, on a failure, when the application closes the
 * body, or when it drops the response unread (then the garbage collector tells a cleaner).
 */
public final class Exchange {
  /** How the exchange ended. */
  public enum End {
    /** The whole body was read. */
    COMPLETE,
    /** The application closed the body before its end. */
    CLOSED,
    /** The application dropped the response without reading or closing it. */
    ABANDONED,
    /** The call failed with {@link #failure()}. */
    FAILED,
    /** The application cancelled the call. */
    CANCELLED
  }

  private static final AtomicIntegerFieldUpdater<Exchange> ENDED =
      AtomicIntegerFieldUpdater.newUpdater(Exchange.class, "ended");

  private final Exchanges.Setup setup;
  public final Protocol protocol;
  public final String instrumentation;
  public final String host;
  public final int port;
  public final long startNanos = System.nanoTime();

  private byte[] requestBody;
  private int requestLength;
  private long requestReserved;
  private boolean requestTruncated;
  private int status;
  /** The response is a stream of server-sent events. */
  private boolean streamed;
  /** Set once a stream outgrew its buffer: from then on it is decoded as it is read. */
  private StreamDecoder stream;
  private CaptureBuffer response;
  private long firstChunkNanos;
  private long endNanos;
  private End end;
  private Throwable failure;
  private AbandonWatch.Ref watch;
  private volatile int ended;

  Exchange(Exchanges.Setup setup, Protocol protocol, String instrumentation, String host, int port) {
    this.setup = setup;
    this.protocol = protocol;
    this.instrumentation = instrumentation;
    this.host = host;
    this.port = port;
  }

  /** Largest body the agent keeps; instrumentations skip copying bigger request bodies. */
  public int maxBodyBytes() {
    return setup.maxBodyBytes;
  }

  /** The request body as sent; the array is kept, so pass a copy the application won't reuse. */
  public void requestBody(byte[] body, int length) {
    if (length > setup.maxBodyBytes || !setup.budget.tryReserve(body.length)) {
      requestTruncated = true;
      return;
    }
    requestReserved = body.length;
    requestBody = body;
    requestLength = length;
  }

  /** The request body was too large, or of a kind that cannot be read twice. */
  public void requestNotCaptured() {
    requestTruncated = true;
  }

  /**
   * The response headers arrived. The body is copied up to the cap and decoded after the call; a
   * successful {@code text/event-stream} that outgrows the cap switches to incremental decoding.
   */
  public void responseHeaders(int statusCode, String contentType, long contentLength) {
    status = statusCode;
    streamed = statusCode < 300 && contentType != null
        && contentType.regionMatches(true, 0, "text/event-stream", 0, 17);
    response = new CaptureBuffer(setup.maxBodyBytes, contentLength, setup.budget);
  }

  /** Ends the exchange when {@code owner} becomes unreachable before the exchange ended. */
  public void endWhenUnreachable(Object owner) {
    try {
      watch = AbandonWatch.watch(owner, this);
    } catch (Throwable t) {
      InternalErrors.report(instrumentation, "response tracking", t);
    }
  }

  public void responseBytes(byte[] bytes, int offset, int length) {
    if (length <= 0 || ended != 0) {
      return;
    }
    try {
      if (firstChunkNanos == 0) {
        firstChunkNanos = System.nanoTime();
      }
      if (stream != null) {
        stream.feed(bytes, offset, length);
      } else if (response != null && !response.tryAppend(bytes, offset, length)) {
        if (streamed) {
          decodeFromNowOn().feed(bytes, offset, length);
        } else {
          response.append(bytes, offset, length); // cuts it: a cut whole body is not decoded
        }
      }
    } catch (Throwable t) {
      InternalErrors.report(instrumentation, "response decoding", t);
    }
  }

  /** Reads the buffer's remaining bytes without moving its position. */
  public void responseBytes(ByteBuffer buffer) {
    if (!buffer.hasRemaining() || ended != 0) {
      return;
    }
    try {
      if (firstChunkNanos == 0) {
        firstChunkNanos = System.nanoTime();
      }
      if (stream != null) {
        stream.feed(buffer);
      } else if (response != null && !response.tryAppend(buffer)) {
        if (streamed) {
          decodeFromNowOn().feed(buffer);
        } else {
          response.append(buffer);
        }
      }
    } catch (Throwable t) {
      InternalErrors.report(instrumentation, "response decoding", t);
    }
  }

  /** Feeds what the buffer holds to a new stream decoder and lets the buffer go. */
  private StreamDecoder decodeFromNowOn() {
    StreamDecoder decoder = protocol.newStreamDecoder();
    decoder.feed(response.bytes(), 0, response.length());
    response.release();
    response = null;
    stream = decoder;
    return decoder;
  }

  public void complete() {
    finish(End.COMPLETE, null);
  }

  public void fail(Throwable t) {
    finish(End.FAILED, t);
  }

  public void closed() {
    finish(End.CLOSED, null);
  }

  /** The application dropped the response unread (seen by {@link AbandonWatch}). */
  void abandoned() {
    finish(End.ABANDONED, null);
  }

  /** The application cancelled the call ({@code Future.cancel}, {@code Call.cancel}). */
  public void cancelled() {
    finish(End.CANCELLED, null);
  }

  public boolean hasEnded() {
    return ended != 0;
  }

  private void finish(End how, Throwable t) {
    if (!ENDED.compareAndSet(this, 0, 1)) {
      return;
    }
    endNanos = System.nanoTime();
    end = how;
    failure = t;
    try {
      AbandonWatch.Ref w = watch;
      if (w != null && how != End.ABANDONED) {
        w.cancel();
      }
      setup.sink.accept(this);
    } catch (Throwable error) {
      InternalErrors.report(instrumentation, "ending a call", error);
    }
  }

  /**
   * Gives the captured bodies' memory back to the budget; called once the exchange was decoded
   * or dropped. The body accessors return nothing afterwards.
   */
  public void releaseCaptures() {
    setup.budget.release(requestReserved);
    requestReserved = 0;
    requestBody = null;
    if (response != null) {
      response.release();
      response = null;
    }
  }

  // Read by the agent thread after the exchange has ended.

  public End end() {
    return end;
  }

  public Throwable failure() {
    return failure;
  }

  public byte[] requestBytes() {
    return requestBody;
  }

  public int requestLength() {
    return requestLength;
  }

  public boolean requestTruncated() {
    return requestTruncated;
  }

  public int status() {
    return status;
  }

  /**
   * For a streamed response, its decoder with every byte fed (the buffered ones fed now, on the
   * agent thread); null for any other response.
   */
  public StreamDecoder stream() {
    if (!streamed) {
      return null;
    }
    if (stream == null) {
      StreamDecoder decoder = protocol.newStreamDecoder();
      if (response != null) {
        decoder.feed(response.bytes(), 0, response.length());
      }
      stream = decoder;
    }
    return stream;
  }

  public byte[] responseBytes() {
    return response == null || streamed ? null : response.bytes();
  }

  public int responseLength() {
    return response == null ? 0 : response.length();
  }

  public boolean responseTruncated() {
    return response != null && response.truncated();
  }

  public long firstChunkNanos() {
    return firstChunkNanos;
  }

  public long endNanos() {
    return endNanos;
  }

}
