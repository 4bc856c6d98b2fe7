package io.tracelight.instrumentation.apachehttpclient5;

import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.ResponseTeeOutputStream;
import io.tracelight.core.exchange.ResponseTeeStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * The response entity, teed: its content stream shows the exchange each byte as the application
 * reads it; the end of the stream completes the exchange, closing it early closes it. The
 * exchange ends by itself if the application drops the entity (and its stream) unread.
 */
final class TeeResponseEntity extends HttpEntityWrapper {
  private final HttpEntity delegate;
  private final Exchange exchange;
  private InputStream content;

  TeeResponseEntity(HttpEntity delegate, Exchange exchange) {
    super(delegate);
    this.delegate = delegate;
    this.exchange = exchange;
    exchange.endWhenUnreachable(this);
  }

  /**
   * The first stream is teed; a repeatable entity (buffered, cached) gives each later call a fresh
   * stream of its own, as it would without the agent.
   */
  @Override
  public synchronized InputStream getContent() throws IOException {
    if (content == null) {
      content = new ResponseTeeStream(delegate.getContent(), exchange, this);
      return content;
    }
    return delegate.isRepeatable() ? delegate.getContent() : content;
  }

  /** The entity writes itself as it would; the exchange sees what it writes. */
  @Override
  public void writeTo(OutputStream out) throws IOException {
    try {
      delegate.writeTo(new ResponseTeeOutputStream(out, exchange));
    } catch (IOException | RuntimeException e) {
      exchange.fail(e);
      throw e;
    }
    exchange.complete();
  }

  @Override
  public void close() throws IOException {
    exchange.closed(); // a no-op once the content was read to its end
    delegate.close();
  }
}
