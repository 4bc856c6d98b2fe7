package io.tracelight.core.exchange;

import io.tracelight.core.InternalErrors;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body stream, teed: each read passes through and the exchange sees what it returned;
 * the end of the stream completes the exchange, an error fails it, closing it early closes it.
 * For the clients whose response body is an {@link InputStream}.
 *
 * <p>Threads: the application's reading thread; {@link #close} from any thread.
 */
public final class ResponseTeeStream extends FilterInputStream {
  private final Exchange exchange;
  /** What the application got the stream from, kept reachable while it holds the stream. */
  @SuppressWarnings("unused")
  private final Object owner;
  /** The stream this one reads through. */
  public final InputStream source;

  /**
   * @param owner the object the exchange watches for abandonment ({@link Exchange#endWhenUnreachable});
   *     held so that it stays reachable as long as the application reads this stream
   */
  public ResponseTeeStream(InputStream source, Exchange exchange, Object owner) {
    super(source);
    this.source = source;
    this.exchange = exchange;
    this.owner = owner;
  }

  /** Bytes read so far, from where the application stands (it may reset to a mark). */
  private long position;
  /** Bytes the exchange has seen: a read after a reset shows it only what lies beyond. */
  private long shown;
  private long markedPosition;

  @Override
  public int read() throws IOException {
    int b;
    try {
      b = super.read();
    } catch (IOException | RuntimeException e) {
      failed(e);
      throw e;
    }
    if (b == -1) {
      exchange.complete();
    } else {
      seen(new byte[] {(byte) b}, 0, 1);
    }
    return b;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    int n;
    try {
      n = super.read(b, off, len);
    } catch (IOException | RuntimeException e) {
      failed(e);
      throw e;
    }
    if (n == -1) {
      exchange.complete();
    } else if (n > 0) {
      seen(b, off, n);
    }
    return n;
  }

  /** A read timeout leaves the stream usable (an SSE reader may go on): only other errors end the call. */
  private void failed(Exception e) {
    if (!(e instanceof java.net.SocketTimeoutException)) {
      exchange.fail(e);
    }
  }

  private void seen(byte[] b, int off, int n) {
    long end = position + n;
    int fresh = (int) Math.min(n, end - shown);
    position = end;
    if (fresh <= 0) {
      return; // read again after a reset: already shown
    }
    shown = end;
    try {
      exchange.responseBytes(b, off + n - fresh, fresh);
    } catch (Throwable t) {
      InternalErrors.report(exchange.instrumentation, "response", t);
    }
  }

  /** Skipped bytes are read through the tee: the record needs them. */
  @Override
  public long skip(long n) throws IOException {
    byte[] buffer = new byte[(int) Math.min(Math.max(n, 0), 8192)];
    long skipped = 0;
    while (skipped < n) {
      int r = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
      if (r < 0) {
        break;
      }
      skipped += r;
    }
    return skipped;
  }

  @Override
  public synchronized void mark(int readLimit) {
    super.mark(readLimit);
    markedPosition = position;
  }

  @Override
  public synchronized void reset() throws IOException {
    super.reset();
    position = markedPosition;
  }

  @Override
  public void close() throws IOException {
    exchange.closed(); // a no-op once the stream was read to its end
    super.close();
  }
}
