package io.tracelight.instrumentation.apachehttpclient5;

import io.tracelight.core.exchange.HeaderGetter;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.MessageHeaders;

/** Reads single headers of HttpClient 5 requests and responses, for the agent's views. */
final class ApacheHeaders implements HeaderGetter<MessageHeaders> {
  static final ApacheHeaders INSTANCE = new ApacheHeaders();

  private ApacheHeaders() {}

  @Override
  public String get(MessageHeaders carrier, String name) {
    Header h = carrier.getFirstHeader(name);
    return h == null ? null : h.getValue();
  }
}
