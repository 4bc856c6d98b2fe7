package io.tracelight.instrumentation.jdkhttpclient;

import io.tracelight.core.exchange.HeaderGetter;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;

/** Reads single headers of the JDK client's requests and responses, for the agent's views. */
final class JdkHeaders {
  static final HeaderGetter<HttpRequest> REQUEST = (request, name) -> request.headers().firstValue(name).orElse(null);
  static final HeaderGetter<HttpHeaders> RESPONSE = (headers, name) -> headers.firstValue(name).orElse(null);

  private JdkHeaders() {}
}
