package io.tracelight.instrumentation.apachehttpclient5;

import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.RequestTeeStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Set;
import org.apache.hc.core5.function.Supplier;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;

/**
 * The application's request entity, teed: {@code writeTo} writes it once, as it would, and every
 * byte also goes to the exchange on its way. Everything else is the application's entity's answer.
 */
final class TeeRequestEntity implements HttpEntity {
  final HttpEntity delegate;
  private final Exchange exchange;

  TeeRequestEntity(HttpEntity delegate, Exchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    exchange.requestRestarted();
    delegate.writeTo(new RequestTeeStream(out, exchange));
    exchange.requestSent();
  }

  @Override
  public boolean isRepeatable() {
    return delegate.isRepeatable();
  }

  @Override
  public InputStream getContent() throws IOException {
    return delegate.getContent();
  }

  @Override
  public boolean isStreaming() {
    return delegate.isStreaming();
  }

  @Override
  public Supplier<List<? extends Header>> getTrailers() {
    return delegate.getTrailers();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public long getContentLength() {
    return delegate.getContentLength();
  }

  @Override
  public String getContentType() {
    return delegate.getContentType();
  }

  @Override
  public String getContentEncoding() {
    return delegate.getContentEncoding();
  }

  @Override
  public boolean isChunked() {
    return delegate.isChunked();
  }

  @Override
  public Set<String> getTrailerNames() {
    return delegate.getTrailerNames();
  }
}
