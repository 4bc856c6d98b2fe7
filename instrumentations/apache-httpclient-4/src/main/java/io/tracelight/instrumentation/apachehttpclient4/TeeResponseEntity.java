package io.tracelight.instrumentation.apachehttpclient4;

import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.ResponseTeeStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.http.HttpEntity;
import org.apache.http.entity.HttpEntityWrapper;

/**
 * The response entity, teed: its content stream shows the exchange each byte as the application
 * reads it; the end of the stream completes the exchange, closing it early closes it. The
 * exchange ends by itself if the application drops the entity (and its stream) unread.
 */
final class TeeResponseEntity extends HttpEntityWrapper {
  private final Exchange exchange;
  private InputStream content;

  TeeResponseEntity(HttpEntity delegate, Exchange exchange) {
    super(delegate);
    this.exchange = exchange;
    exchange.endWhenUnreachable(this);
  }

  @Override
  public synchronized InputStream getContent() throws IOException {
    if (content == null) {
      content = new ResponseTeeStream(wrappedEntity.getContent(), exchange, this);
    }
    return content;
  }

  /** Through the teed content, as an entity without a {@code writeTo} of its own would. */
  @Override
  public void writeTo(OutputStream out) throws IOException {
    try (InputStream in = getContent()) {
      byte[] buffer = new byte[8192];
      int n;
      while ((n = in.read(buffer)) != -1) {
        out.write(buffer, 0, n);
      }
    }
  }

  @Override
  @SuppressWarnings("deprecation")
  public void consumeContent() throws IOException {
    exchange.closed(); // a no-op once the content was read to its end
    super.consumeContent();
  }
}
