package io.tracelight.instrumentation.apachehttpclient5;

import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.RequestTeeStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.HttpEntityWrapper;

/**
 * The application's request entity, teed: {@code writeTo} writes it once, as it would, and every
 * byte also goes to the exchange on its way. Everything else is the application's entity's answer
 * ({@code HttpEntityWrapper} passes it on).
 */
final class TeeRequestEntity extends HttpEntityWrapper {
  final HttpEntity delegate;
  private final Exchange exchange;

  TeeRequestEntity(HttpEntity delegate, Exchange exchange) {
    super(delegate);
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    exchange.requestRestarted();
    delegate.writeTo(new RequestTeeStream(out, exchange));
    exchange.requestSent();
  }
}
