package io.tracelight.instrumentation.jdkhttpclient;

import io.tracelight.core.exchange.HeaderGetter;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;

/** Reads single headers of the JDK client's requests and responses, for the agent's views. */
final class JdkHeaders {
  // anonymous classes, not lambdas: each lambda costs start-up time on the first call
  static final HeaderGetter<HttpRequest> REQUEST = new HeaderGetter<HttpRequest>() {
    @Override
    public String get(HttpRequest request, String name) {
      return request.headers().firstValue(name).orElse(null);
    }
  };
  static final HeaderGetter<HttpHeaders> RESPONSE = new HeaderGetter<HttpHeaders>() {
    @Override
    public String get(HttpHeaders headers, String name) {
      return headers.firstValue(name).orElse(null);
    }
  };

  private JdkHeaders() {}
}
