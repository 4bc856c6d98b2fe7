package io.tracelight.instrumentation.okhttp;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.Exchange;
import java.io.IOException;
import java.io.OutputStream;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.Buffer;
import okio.BufferedSink;
import okio.ForwardingSink;
import okio.Okio;
import okio.Sink;

/**
 * The application's request body, teed: OkHttp writes it once, as it always would, and every
 * byte on its way to the socket is also shown to the exchange. One-shot, duplex and streaming
 * bodies work the same; nothing is written twice. Each write (a retry, a redirect) starts the
 * capture afresh.
 */
final class TeeRequestBody extends RequestBody {
  private final RequestBody delegate;
  private final Exchange exchange;

  TeeRequestBody(RequestBody delegate, Exchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() throws IOException {
    return delegate.contentLength();
  }

  @Override
  public boolean isOneShot() {
    return delegate.isOneShot();
  }

  @Override
  public boolean isDuplex() {
    return delegate.isDuplex();
  }

  @Override
  public void writeTo(BufferedSink sink) throws IOException {
    exchange.requestRestarted();
    boolean duplex = delegate.isDuplex();
    BufferedSink tee = Okio.buffer(new TeeSink(sink, exchange));
    delegate.writeTo(tee);
    if (!duplex && tee.isOpen()) {
      // what the body left in our buffer goes on, as it would have stayed in OkHttp's; a body that
      // closed its sink (a gzip or Jackson writer does) already pushed everything through close()
      tee.emit();
      exchange.requestSent();
    }
  }

  /** Copies each write into the exchange, then passes it on unchanged. */
  private static final class TeeSink extends ForwardingSink {
    private final Exchange exchange;
    private final OutputStream toExchange;

    TeeSink(Sink delegate, Exchange exchange) {
      super(delegate);
      this.exchange = exchange;
      this.toExchange = new OutputStream() {
        @Override
        public void write(int b) {
          exchange.requestBytes(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          exchange.requestBytes(b, off, len);
        }
      };
    }

    @Override
    public void write(Buffer source, long byteCount) throws IOException {
      try {
        source.copyTo(toExchange, 0, byteCount); // Okio hands over whole segments: no extra copy
      } catch (Throwable t) {
        InternalErrors.report("okhttp", "request capture", t);
      }
      super.write(source, byteCount);
    }

    /** A duplex body ends when the application closes it; any body that closes its sink is done too. */
    @Override
    public void close() throws IOException {
      exchange.requestSent();
      super.close();
    }
  }
}
