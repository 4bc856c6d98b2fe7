package io.tracelight.instrumentation.apachehttpclient4;

import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.RequestTeeStream;
import java.io.IOException;
import java.io.OutputStream;
import org.apache.http.HttpEntity;
import org.apache.http.entity.HttpEntityWrapper;

/**
 * The application's request entity, teed: {@code writeTo} writes it once, as it would, and every
 * byte also goes to the exchange on its way. Everything else is the application's entity's answer.
 */
final class TeeRequestEntity extends HttpEntityWrapper {
  private final Exchange exchange;

  TeeRequestEntity(HttpEntity delegate, Exchange exchange) {
    super(delegate);
    this.exchange = exchange;
  }

  HttpEntity delegate() {
    return wrappedEntity;
  }

  @Override
  public void writeTo(OutputStream out) throws IOException {
    exchange.requestRestarted(); // a retry writes the entity again
    wrappedEntity.writeTo(new RequestTeeStream(out, exchange));
    exchange.requestSent();
  }
}
