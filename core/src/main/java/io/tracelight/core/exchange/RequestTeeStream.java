package io.tracelight.core.exchange;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A request body stream, teed: each write passes through once and the exchange sees the bytes.
 * For the clients that give the application (or an entity) an {@link OutputStream} to write to.
 * Closing it marks the request sent. A failed write is left to the client's call to report (a
 * client may retry). Threads: the one thread writing the request body.
 */
public final class RequestTeeStream extends FilterOutputStream {
  private final Exchange exchange;
  /** The stream this one writes through. */
  public final OutputStream sink;

  public RequestTeeStream(OutputStream sink, Exchange exchange) {
    super(sink);
    this.sink = sink;
    this.exchange = exchange;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    exchange.requestBytes(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    exchange.requestBytes(b, off, len);
  }

  @Override
  public void close() throws IOException {
    super.close();
    exchange.requestSent();
  }
}
