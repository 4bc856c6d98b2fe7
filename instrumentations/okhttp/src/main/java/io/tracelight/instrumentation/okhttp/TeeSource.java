package io.tracelight.instrumentation.okhttp;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.Exchange;
import java.io.IOException;
import java.io.OutputStream;
import okhttp3.Call;
import okio.Buffer;
import okio.ForwardingSource;
import okio.Source;

/** Forwards reads unchanged; copies what each read added to the sink into the exchange. */
final class TeeSource extends ForwardingSource {
  private final Exchange exchange;
  private final Call call;
  private final OutputStream toExchange;
  /**
   * The response body the abandonment watch follows. Apps often keep only {@code source()} or
   * {@code byteStream()} and drop the body: holding it here keeps it reachable exactly as long
   * as what the app reads from.
   */
  @SuppressWarnings("unused")
  private final Object watchedOwner;

  TeeSource(Source delegate, Exchange exchange, Call call, Object watchedOwner) {
    super(delegate);
    this.exchange = exchange;
    this.call = call;
    this.watchedOwner = watchedOwner;
    this.toExchange = new OutputStream() {
      @Override
      public void write(int b) {
        exchange.responseBytes(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        exchange.responseBytes(b, off, len);
      }
    };
  }

  @Override
  public long read(Buffer sink, long byteCount) throws IOException {
    long n;
    try {
      n = super.read(sink, byteCount);
    } catch (Throwable t) {
      TracingInterceptor.failed(exchange, call, t);
      throw t;
    }
    if (n == -1) {
      exchange.complete();
    } else if (n > 0 && !exchange.hasEnded()) {
      try {
        // Okio hands segments to write(byte[], off, len): no extra copy.
        sink.copyTo(toExchange, sink.size() - n, n);
      } catch (Throwable t) {
        InternalErrors.report("okhttp", "response", t);
      }
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    exchange.closed();
    super.close();
  }
}
