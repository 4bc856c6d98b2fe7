package io.tracelight.instrumentation.okhttp;

import io.tracelight.core.exchange.HeaderGetter;
import okhttp3.Request;
import okhttp3.Response;

/** Reads single headers of OkHttp requests and responses, for the agent's views. */
final class OkHeaders {
  static final HeaderGetter<Request> REQUEST = Request::header;
  static final HeaderGetter<Response> RESPONSE = (response, name) -> response.header(name);

  private OkHeaders() {}
}
