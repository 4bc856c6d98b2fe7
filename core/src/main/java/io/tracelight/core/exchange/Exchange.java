package io.tracelight.core.exchange;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.protocol.Protocol;
import io.tracelight.core.protocol.RequestView;
import io.tracelight.core.protocol.ResponseView;
import io.tracelight.core.protocol.StreamDecoder;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * One HTTP exchange the agent watches, as the instrumentations see it: the request's view and
 * body bytes, the response's status, headers and body bytes, and timestamps; no protocol
 * knowledge. The application's threads only copy bytes they already hold and stamp times;
 * decoding happens on the pipeline thread once the exchange was handed over. A stream too long to
 * hold is the exception: past the body cap the protocol's stream decoder is fed as it is read.
 *
 * <p>Threads: the thread sending the request body and the thread reading the response (one at a
 * time each) write through {@link #requestBytes} and {@link #responseBytes}; any thread may end
 * the exchange ({@link #closed}, {@link #cancelled}, {@link #fail}, the abandonment watcher). Every
 * write runs inside a section counted in {@code state}; an end requested while a section runs is
 * completed by the last writer leaving it, so the exchange is handed to the sink exactly once,
 * after its last write, and nothing writes to it (or to its buffers) afterwards.
 */
public final class Exchange extends CallStart implements ResponseView {
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

  /** The end, fixed by the first thread to ask for one. */
  private static final class Ending {
    final End how;
    final Throwable failure;
    final long nanos;

    Ending(End how, Throwable failure, long nanos) {
      this.how = how;
      this.failure = failure;
      this.nanos = nanos;
    }
  }

  private static final int WRITERS = 0xffff;
  private static final int END_REQUESTED = 1 << 16;
  private static final int HANDED_OFF = 1 << 17;
  private static final AtomicIntegerFieldUpdater<Exchange> STATE =
      AtomicIntegerFieldUpdater.newUpdater(Exchange.class, "state");
  private static final AtomicReferenceFieldUpdater<Exchange, Ending> ENDING =
      AtomicReferenceFieldUpdater.newUpdater(Exchange.class, Ending.class, "ending");

  private final Exchanges.Setup setup;
  public final Protocol protocol;
  /** The response headers the protocol declared (lower case), read when the response arrives. */
  private final String[] responseHeaderNames;
  public final String instrumentation;
  public final RequestView request;
  public final long startNanos = System.nanoTime();
  /**
   * The context current on the application's thread when the call started (the host agent's in
   * extension mode, the application's OpenTelemetry API span standalone), or, standalone with
   * propagation on, the {@link ChosenTrace} made from it then; null when there was none. One field
   * for both keeps the exchange, allocated per call, at its size.
   */
  private final Object context;

  // written by the thread sending the request body
  private CaptureBuffer requestBody;
  private boolean requestSent;
  private boolean requestNotCaptured;

  // written by the thread reading the response
  private int status;
  private String contentType;
  private String[] responseHeaderValues;
  private CaptureBuffer response;
  /** Asked once, when a body outgrew its buffer: is it a stream the protocol decodes as read? */
  private boolean streamAsked;
  private StreamDecoder stream;
  private long firstChunkNanos;
  /** When the last chunk of a stream arrived, and the gaps between its chunks (null before the second). */
  private long lastChunkNanos;
  private io.tracelight.core.model.ChunkGaps chunkGaps;
  /** The response is a stream by its content type (SSE, NDJSON, AWS event stream): its chunks are timed. */
  private boolean timesChunks;

  private volatile AbandonWatch.Ref watch;
  private volatile Ending ending;
  private volatile int state;

  Exchange(Exchanges.Setup setup, io.tracelight.core.protocol.Protocols.Entry matched, String instrumentation,
      RequestView request) {
    this.setup = setup;
    this.protocol = matched.protocol;
    this.responseHeaderNames = matched.responseHeaders;
    this.instrumentation = instrumentation;
    this.request = request;
    ContextCapture capture = setup.contextCapture;
    Object captured = capture == null ? null : capture.capture();
    if (setup.propagate && traceparent() == null && (capture == null || !capture.hostPropagates())) {
      captured = ChosenTrace.under(parentOf(captured, null));
    }
    this.context = captured;
  }

  /** The request's W3C {@code traceparent} header, or null: the call joins that trace. */
  public String traceparent() {
    return request instanceof RequestInfo ? ((RequestInfo) request).traceparent() : null;
  }

  /** A request header named by {@code Exchanges.recordHeaders}, or null. Any thread after the hand-off. */
  public String recordedHeader(String name) {
    return request instanceof RequestInfo ? ((RequestInfo) request).recordedHeader(name) : null;
  }

  /** The host agent's context current when the call started (extension mode), or null. */
  public Object hostContext() {
    ContextCapture capture = setup.contextCapture;
    return capture != null && capture.hostPropagates() ? context : null; // no ChosenTrace inside a host
  }

  /** True when the host agent's own instrumentation records this call (extension mode, its choice). */
  public boolean recordedByHost() {
    Object host = hostContext();
    return host != null && setup.contextCapture.recordedByHost(host);
  }

  /**
   * The span the call joins. Inside a host agent: the span the application was in when it made
   * the call; the request's {@code traceparent} only when no span was current (a client that writes
   * on its own threads), since the host's own HTTP instrumentation may have put it in, naming its
   * span for this very request. Standalone: the
   * request's {@code traceparent} (the application, a framework or another agent sent it), else the
   * application's current OpenTelemetry API span, else none.
   */
  public TraceParent parent() {
    Object c = context;
    if (c instanceof ChosenTrace) {
      return ((ChosenTrace) c).parent;
    }
    return parentOf(c, traceparent());
  }

  private TraceParent parentOf(Object captured, String requestTraceparent) {
    ContextCapture capture = setup.contextCapture;
    if (capture != null && capture.hostPropagates()) {
      TraceParent current = captured == null ? null : capture.parentOf(captured);
      // none on a client's own thread (a Netty event loop): the header the host's HTTP
      // instrumentation wrote names its client span for this request, in the application's trace
      return current != null ? current : TraceParent.parse(requestTraceparent);
    }
    TraceParent fromRequest = TraceParent.parse(requestTraceparent);
    return fromRequest != null || captured == null ? fromRequest : capture.parentOf(captured);
  }

  /**
   * The {@code traceparent} the instrumentation adds to the request before it goes out, or null
   * (propagation is off, or the request carries its own). It names this call's span.
   */
  public String traceparentToSend() {
    Object c = context;
    return c instanceof ChosenTrace ? ((ChosenTrace) c).header : null;
  }

  /** The span id chosen when the call started (see {@link #traceparentToSend}), or null. */
  public String chosenSpanId() {
    Object c = context;
    return c instanceof ChosenTrace ? ((ChosenTrace) c).spanId() : null;
  }

  /** The trace id chosen when the call started, or null; with no parent it starts a new trace. */
  public String chosenTraceId() {
    Object c = context;
    return c instanceof ChosenTrace ? ((ChosenTrace) c).traceId() : null;
  }

  /** Largest body the agent keeps. */
  public int maxBodyBytes() {
    return setup.maxBodyBytes;
  }

  // ---- request body, as the client sends it

  /** Bytes of the request body as the client writes them; copied, the array is not kept. */
  public void requestBytes(byte[] bytes, int offset, int length) {
    if (length <= 0 || !enter()) {
      return;
    }
    try {
      requestBuffer(length).append(bytes, offset, length);
    } catch (Throwable t) {
      InternalErrors.report(instrumentation, "request capture", t);
    } finally {
      exit();
    }
  }

  /** Reads the buffer's remaining bytes without moving its position. */
  public void requestBytes(ByteBuffer buffer) {
    if (!buffer.hasRemaining() || !enter()) {
      return;
    }
    try {
      requestBuffer(buffer.remaining()).append(buffer);
    } catch (Throwable t) {
      InternalErrors.report(instrumentation, "request capture", t);
    } finally {
      exit();
    }
  }

  private CaptureBuffer requestBuffer(int firstWrite) {
    if (requestBody == null) {
      requestBody = new CaptureBuffer(setup.maxBodyBytes, Math.max(firstWrite, 512), setup.budget, true);
    }
    return requestBody;
  }

  /** The client starts sending the body again (a retry or a redirect): what was captured is stale. */
  public void requestRestarted() {
    if (!enter()) {
      return;
    }
    try {
      requestSent = false;
      if (requestBody != null) {
        requestBody.reset();
      }
    } finally {
      exit();
    }
  }

  /** The client sent the whole request body (or the request had none). */
  public void requestSent() {
    if (enter()) {
      requestSent = true;
      exit();
    }
  }

  /** The request body cannot be seen (an instrumentation that cannot tee it). */
  public void requestNotCaptured() {
    if (enter()) {
      requestNotCaptured = true;
      exit();
    }
  }

  // ---- response

  /**
   * The response headers arrived. The body is then copied up to the cap and decoded after the
   * call, or, when it outgrows the cap and the protocol reads it as a stream, decoded as read.
   */
  public <C> void responseHeaders(int statusCode, long contentLength, C carrier, HeaderGetter<C> headers) {
    if (!enter()) {
      return;
    }
    try {
      CallIds.seen(callIdHigh, callIdLow); // for an asynchronous client, the thread its continuation runs on
      status = statusCode;
      contentType = headers.get(carrier, "content-type");
      timesChunks = contentType != null && (contentType.contains("event-stream") || contentType.contains("ndjson")
          || contentType.contains("eventstream"));
      String[] names = responseHeaderNames;
      if (names.length > 0) {
        String[] values = new String[names.length];
        for (int i = 0; i < names.length; i++) {
          values[i] = headers.get(carrier, names[i]);
        }
        responseHeaderValues = values;
      }
      if (response != null) {
        response.release(); // headers twice (no client does this): the first buffer goes back
      }
      response = new CaptureBuffer(setup.maxBodyBytes, contentLength, setup.budget, false);
    } catch (Throwable t) {
      InternalErrors.report(instrumentation, "response headers", t);
    } finally {
      exit();
    }
  }

  /** Ends the exchange when {@code owner} becomes unreachable before the exchange ended. */
  public void endWhenUnreachable(Object owner) {
    if (hasEnded()) {
      return; // nothing left to watch for
    }
    try {
      watch = AbandonWatch.watch(owner, this);
    } catch (Throwable t) {
      InternalErrors.report(instrumentation, "response tracking", t);
    }
  }

  public void responseBytes(byte[] bytes, int offset, int length) {
    if (length <= 0 || !enter()) {
      return;
    }
    try {
      chunkArrived();
      if (stream != null) {
        stream.feed(bytes, offset, length);
      } else if (response != null && !response.tryAppend(bytes, offset, length)) {
        StreamDecoder decoder = decodeFromNowOn();
        if (decoder != null) {
          decoder.feed(bytes, offset, length);
        } else {
          response.append(bytes, offset, length); // cuts it: a cut whole body is not decoded
        }
      }
    } catch (Throwable t) {
      InternalErrors.report(instrumentation, "response decoding", t);
    } finally {
      exit();
    }
  }

  /** Reads the buffer's remaining bytes without moving its position. */
  public void responseBytes(ByteBuffer buffer) {
    if (!buffer.hasRemaining() || !enter()) {
      return;
    }
    try {
      chunkArrived();
      if (stream != null) {
        stream.feed(buffer);
      } else if (response != null && !response.tryAppend(buffer)) {
        StreamDecoder decoder = decodeFromNowOn();
        if (decoder != null) {
          decoder.feed(buffer);
        } else {
          response.append(buffer);
        }
      }
    } catch (Throwable t) {
      InternalErrors.report(instrumentation, "response decoding", t);
    } finally {
      exit();
    }
  }

  /**
   * When a successful body outgrew its buffer and the protocol reads it as a stream: a decoder fed
   * with what the buffer holds, the buffer let go. Null otherwise (asked once).
   */
  private StreamDecoder decodeFromNowOn() {
    if (streamAsked || response.dropped() || status < 200 || status >= 300) {
      return null;
    }
    streamAsked = true;
    StreamDecoder decoder = protocol.streamDecoder(request, this, setup.maxBodyBytes);
    if (decoder == null) {
      return null;
    }
    if (response.length() > 0) {
      decoder.feed(response.bytes(), 0, response.length());
    }
    response.release();
    response = null;
    stream = decoder;
    return decoder;
  }

  // ---- the end

  public void complete() {
    end(End.COMPLETE, null);
  }

  public void fail(Throwable t) {
    CallIds.seen(callIdHigh, callIdLow); // a failure may come before any answer (responseHeaders says the rest)
    end(End.FAILED, t);
  }

  public void closed() {
    end(End.CLOSED, null);
  }

  /** The application dropped the response unread (seen by {@link AbandonWatch}). */
  void abandoned() {
    end(End.ABANDONED, null);
  }

  /** The application cancelled the call ({@code Future.cancel}, {@code Call.cancel}). */
  public void cancelled() {
    end(End.CANCELLED, null);
  }

  /** True once some thread ended the exchange (it may still be waiting for a writer to leave). */
  public boolean hasEnded() {
    return ending != null;
  }

  /** Starts a write section, unless the exchange is ending. */
  private boolean enter() {
    while (true) {
      int s = state;
      if ((s & (END_REQUESTED | HANDED_OFF)) != 0 || (s & WRITERS) == WRITERS) {
        return false;
      }
      if (STATE.compareAndSet(this, s, s + 1)) {
        return true;
      }
    }
  }

  /** Leaves a write section; the last writer out completes an end asked for meanwhile. */
  private void exit() {
    while (true) {
      int s = state;
      int next = s - 1;
      boolean handOff = (next & WRITERS) == 0 && (next & END_REQUESTED) != 0;
      if (handOff) {
        next = (next & ~END_REQUESTED) | HANDED_OFF;
      }
      if (STATE.compareAndSet(this, s, next)) {
        if (handOff) {
          handOff();
        }
        return;
      }
    }
  }

  private void end(End how, Throwable t) {
    if (ending != null || !ENDING.compareAndSet(this, null, new Ending(how, t, System.nanoTime()))) {
      return;
    }
    AbandonWatch.Ref w = watch;
    if (w != null && how != End.ABANDONED) {
      w.cancel();
    }
    while (true) {
      int s = state;
      if ((s & WRITERS) == 0) {
        if (STATE.compareAndSet(this, s, s | HANDED_OFF)) {
          handOff();
          return;
        }
      } else if (STATE.compareAndSet(this, s, s | END_REQUESTED)) {
        return; // the writer inside hands it off as it leaves
      }
    }
  }

  private void handOff() {
    setup.ended.increment();
    try {
      setup.sink.accept(this);
    } catch (Throwable error) {
      InternalErrors.report(instrumentation, "ending a call", error);
    }
  }

  /**
   * Gives the captured bodies' memory back to the budget; called once the exchange was decoded or
   * dropped (by then no thread writes to it). The body accessors return nothing afterwards.
   */
  public void releaseCaptures() {
    if (requestBody != null) {
      requestBody.release();
      requestBody = null;
    }
    if (response != null) {
      response.release();
      response = null;
    }
  }

  // ---- read by the pipeline thread after the hand-off

  public End end() {
    return ending.how;
  }

  public Throwable failure() {
    return ending.failure;
  }

  public long endNanos() {
    return ending.nanos;
  }

  /** The request body captured (all of it, or its first part), or null. */
  public byte[] requestBytes() {
    return requestBody == null ? null : requestBody.bytes();
  }

  public int requestLength() {
    return requestBody == null ? 0 : requestBody.length();
  }

  /** True when {@link #requestBytes()} is the whole body as sent. */
  public boolean requestComplete() {
    return requestSent && !requestNotCaptured && (requestBody == null || !requestBody.truncated());
  }

  /** True when the request had a body the agent did not (wholly) see. */
  public boolean requestTruncated() {
    return requestNotCaptured || (requestBody != null && requestBody.truncated())
        || (requestBody != null && !requestSent);
  }

  @Override
  public int status() {
    return status;
  }

  @Override
  public String contentType() {
    return contentType;
  }

  @Override
  public String header(String name) {
    String[] names = responseHeaderNames;
    String[] values = responseHeaderValues;
    for (int i = 0; values != null && i < names.length; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        return values[i];
      }
    }
    return null;
  }

  /**
   * For a successful streamed response, its decoder with every byte fed (the buffered ones fed
   * now); null for any other response.
   */
  public StreamDecoder stream() {
    if (stream == null && !streamAsked && status >= 200 && status < 300 && response != null
        && !response.dropped()) {
      streamAsked = true;
      StreamDecoder decoder = protocol.streamDecoder(request, this, setup.maxBodyBytes);
      if (decoder != null) {
        if (response.length() > 0) {
          decoder.feed(response.bytes(), 0, response.length());
        }
        stream = decoder;
      }
    }
    return stream;
  }

  /** The whole body captured, or null (none, cut, or decoded as a stream). */
  public byte[] responseBytes() {
    return response == null || stream != null ? null : response.bytes();
  }

  public int responseLength() {
    return response == null ? 0 : response.length();
  }

  /** True when a body was cut at the cap and neither kept nor decoded as a stream. */
  public boolean responseTruncated() {
    return response != null && response.truncated();
  }

  public long firstChunkNanos() {
    return firstChunkNanos;
  }

  /** The gaps between a stream's chunks, or null when it had fewer than two (read after the end). */
  public io.tracelight.core.model.ChunkGaps chunkGaps() {
    return chunkGaps;
  }

  /** Notes when response bytes arrived: the first chunk's time, then for a stream each gap. */
  private void chunkArrived() {
    if (firstChunkNanos == 0) {
      firstChunkNanos = lastChunkNanos = System.nanoTime();
      return;
    }
    if (!timesChunks) {
      return;
    }
    long now = System.nanoTime();
    if (chunkGaps == null) {
      chunkGaps = new io.tracelight.core.model.ChunkGaps();
    }
    chunkGaps.record(now - lastChunkNanos);
    lastChunkNanos = now;
  }
}
