package io.tracelight.instrumentation.okhttp;

import io.tracelight.core.exchange.HeaderGetter;
import okhttp3.Request;
import okhttp3.Response;

/** Reads single headers of OkHttp requests and responses, for the agent's views. */
final class OkHeaders {
  // anonymous classes, not lambdas: each lambda costs start-up time on the first call
  static final HeaderGetter<Request> REQUEST = new HeaderGetter<Request>() {
    @Override
    public String get(Request request, String name) {
      return request.header(name);
    }
  };
  static final HeaderGetter<Response> RESPONSE = new HeaderGetter<Response>() {
    @Override
    public String get(Response response, String name) {
      return response.header(name);
    }
  };

  private OkHeaders() {}
}
