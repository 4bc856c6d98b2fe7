package io.tracelight.instrumentation.okhttp;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.Exchanges;
import java.io.IOException;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Outermost application interceptor: sees the request as the application built it and the
 * response as the application will read it, once per call whatever the retries inside. AI calls
 * get their body teed; every other request goes straight through.
 */
public final class TracingInterceptor implements Interceptor {
  static final TracingInterceptor INSTANCE = new TracingInterceptor();

  /** Adds the interceptor unless the builder (copied from a client by newBuilder) has it. */
  public static void addTo(OkHttpClient.Builder builder) {
    List<Interceptor> interceptors = builder.interceptors();
    for (int i = 0, n = interceptors.size(); i < n; i++) {
      if (interceptors.get(i).getClass().getName().equals(TracingInterceptor.class.getName())) {
        return;
      }
    }
    interceptors.add(0, INSTANCE);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    Request request = chain.request();
    Exchange exchange = start(request);
    if (exchange == null) {
      return chain.proceed(request);
    }
    Response response;
    try {
      response = chain.proceed(request);
    } catch (Throwable t) {
      exchange.fail(t);
      throw t;
    }
    return teeResponse(response, exchange);
  }

  private static Exchange start(Request request) {
    try {
      HttpUrl url = request.url();
      Exchange exchange = Exchanges.start("okhttp", request.method(), url.host(), url.port(), url.encodedPath());
      if (exchange != null) {
        RequestBodies.capture(request.body(), exchange);
      }
      return exchange;
    } catch (Throwable t) {
      InternalErrors.report("okhttp request", t);
      return null;
    }
  }

  private static Response teeResponse(Response response, Exchange exchange) {
    try {
      ResponseBody body = response.body();
      exchange.responseHeaders(response.code(), response.header("Content-Type"),
          body == null ? -1 : body.contentLength());
      if (body == null) {
        exchange.complete();
        return response;
      }
      return response.newBuilder().body(new TeeResponseBody(body, exchange)).build();
    } catch (Throwable t) {
      InternalErrors.report("okhttp response", t);
      return response;
    }
  }
}
