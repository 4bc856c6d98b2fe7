package io.tracelight.instrumentation.okhttp;

import io.tracelight.core.exchange.Exchange;
import java.io.IOException;
import okio.Buffer;
import okio.BufferedSink;
import okio.ForwardingSink;
import okio.Okio;

/**
 * Copies a request body by writing it once more into a buffer, unless it can be written only once
 * (one-shot, duplex) or is larger than the cap; then the record says the request was not captured.
 */
final class RequestBodies {
  private RequestBodies() {}

  static void capture(okhttp3.RequestBody body, Exchange exchange) throws IOException {
    if (body == null) {
      return;
    }
    long length = body.contentLength();
    if (body.isOneShot() || body.isDuplex() || length > exchange.maxBodyBytes()) {
      exchange.requestNotCaptured();
      return;
    }
    Buffer copy = new Buffer();
    if (length >= 0) {
      body.writeTo(copy); // a known length under the cap: write straight into the buffer
    } else {
      BufferedSink sink = Okio.buffer(new CappedSink(copy, exchange.maxBodyBytes()));
      try {
        body.writeTo(sink);
        sink.flush();
      } catch (CapReached e) {
        exchange.requestNotCaptured();
        return;
      }
    }
    byte[] bytes = copy.readByteArray();
    exchange.requestBody(bytes, bytes.length);
  }

  /** Stops a body of unknown length at the cap. */
  private static final class CappedSink extends ForwardingSink {
    private final long cap;
    long written;

    CappedSink(Buffer delegate, long cap) {
      super(delegate);
      this.cap = cap;
    }

    @Override
    public void write(Buffer source, long byteCount) throws IOException {
      if (written + byteCount > cap) {
        throw new CapReached();
      }
      written += byteCount;
      super.write(source, byteCount);
    }
  }

  private static final class CapReached extends IOException {
    private static final long serialVersionUID = 1L;

    CapReached() {
      super("request body over the capture cap", null);
    }
  }
}
