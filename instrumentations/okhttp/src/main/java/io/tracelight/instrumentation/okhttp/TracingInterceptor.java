package io.tracelight.instrumentation.okhttp;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.Exchanges;
import java.io.IOException;
import java.util.List;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
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
    Request sent = teeRequest(request, exchange);
    Response response;
    try {
      response = chain.proceed(sent);
    } catch (Throwable t) {
      failed(exchange, chain.call(), t);
      throw t;
    }
    return teeResponse(response, exchange, chain.call());
  }

  private static Exchange start(Request request) {
    try {
      HttpUrl url = request.url();
      return Exchanges.start("okhttp", request.method(), url.scheme(), url.host(), url.port(), url.encodedPath(),
          url.encodedQuery(), request, OkHeaders.REQUEST);
    } catch (Throwable t) {
      InternalErrors.report("okhttp", "request", t);
      return null;
    }
  }

  /** The request to send on: its body (if any) teed as OkHttp writes it, a {@code traceparent} added if asked. */
  private static Request teeRequest(Request request, Exchange exchange) {
    try {
      RequestBody body = request.body();
      String traceparent = exchange.traceparentToSend();
      if (body == null) {
        exchange.requestSent();
        return traceparent == null ? request : request.newBuilder().header("traceparent", traceparent).build();
      }
      Request.Builder sent = request.newBuilder().method(request.method(), new TeeRequestBody(body, exchange));
      if (traceparent != null) {
        sent.header("traceparent", traceparent);
      }
      return sent.build();
    } catch (Throwable t) {
      InternalErrors.report("okhttp", "request", t);
      exchange.requestNotCaptured();
      return request;
    }
  }

  /** A cancelled call fails with whatever the socket said; the record says it was cancelled. */
  static void failed(Exchange exchange, Call call, Throwable t) {
    if (call.isCanceled()) {
      exchange.cancelled();
    } else {
      exchange.fail(t);
    }
  }

  private static Response teeResponse(Response response, Exchange exchange, Call call) {
    try {
      ResponseBody body = response.body();
      exchange.responseHeaders(response.code(), body == null ? -1 : body.contentLength(), response,
          OkHeaders.RESPONSE);
      if (body == null) {
        exchange.complete();
        return response;
      }
      return response.newBuilder().body(new TeeResponseBody(body, exchange, call)).build();
    } catch (Throwable t) {
      InternalErrors.report("okhttp", "response", t);
      return response;
    }
  }
}
