package io.tracelight.core.exchange;

import io.tracelight.core.InternalErrors;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Where a client writes a response body out for the application (an entity's {@code writeTo}):
 * each write passes through once and the exchange sees the bytes. The caller ends the exchange
 * when the writing returns or throws. Threads: the one thread writing.
 */
public final class ResponseTeeOutputStream extends FilterOutputStream {
  private final Exchange exchange;

  public ResponseTeeOutputStream(OutputStream out, Exchange exchange) {
    super(out);
    this.exchange = exchange;
  }

  @Override
  public void write(int b) throws IOException {
    out.write(b);
    seen(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    out.write(b, off, len);
    seen(b, off, len);
  }

  private void seen(byte[] b, int off, int len) {
    try {
      exchange.responseBytes(b, off, len);
    } catch (Throwable t) {
      InternalErrors.report(exchange.instrumentation, "response", t);
    }
  }
}
