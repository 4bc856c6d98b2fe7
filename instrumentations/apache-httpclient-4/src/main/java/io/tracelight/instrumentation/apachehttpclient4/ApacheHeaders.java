package io.tracelight.instrumentation.apachehttpclient4;

import io.tracelight.core.exchange.HeaderGetter;
import org.apache.http.Header;
import org.apache.http.HttpMessage;

/** Reads single headers of HttpClient 4 requests and responses, for the agent's views. */
final class ApacheHeaders implements HeaderGetter<HttpMessage> {
  static final ApacheHeaders INSTANCE = new ApacheHeaders();

  private ApacheHeaders() {}

  @Override
  public String get(HttpMessage carrier, String name) {
    Header h = carrier.getFirstHeader(name);
    return h == null ? null : h.getValue();
  }
}
