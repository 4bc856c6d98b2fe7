package io.tracelight.instrumentation.apachehttpclient5;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.Exchanges;
import java.net.URI;
import org.apache.hc.core5.http.ClassicHttpRequest;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;

/**
 * One AI call through HttpClient 5, from {@code doExecute}'s start to its return: the request
 * entity the application set is swapped for a tee while the client sends it and put back after, so
 * the application finds its own entity in its request; the response gets a teed entity.
 */
final class ApacheCall {
  private final Exchange exchange;
  private final HttpEntity requestEntity;
  /** The tee set in its place, or null. */
  private final HttpEntity tee;

  /** The {@code traceparent} added to the application's request (propagation on), taken off at the end; or null. */
  private String traceparent;

  private ApacheCall(Exchange exchange, HttpEntity requestEntity, HttpEntity tee) {
    this.exchange = exchange;
    this.requestEntity = requestEntity;
    this.tee = tee;
  }

  /**
   * With propagation on, adds the call's {@code traceparent} to the request, which is the
   * application's own object: {@link #end} takes it off again, so a request sent twice does not
   * carry the first call's span as its parent.
   */
  private ApacheCall propagate(ClassicHttpRequest request) {
    String header = exchange.traceparentToSend();
    if (header != null) {
      try {
        request.setHeader("traceparent", header);
        traceparent = header;
      } catch (Throwable t) {
        InternalErrors.report("apache-httpclient-5", "propagation", t);
      }
    }
    return this;
  }

  /** The state of an AI call, its request entity teed; null for any other request. */
  static ApacheCall start(HttpHost target, ClassicHttpRequest request) {
    try {
      String method = request.getMethod();
      if (!Exchanges.mayBeAiCall(method)) {
        return null; // a GET: no URI built for it
      }
      URI uri = request.getUri();
      String scheme = target != null ? target.getSchemeName() : uri.getScheme();
      String host = target != null ? target.getHostName() : uri.getHost();
      int port = target != null ? target.getPort() : uri.getPort();
      if (port < 0) {
        port = "http".equalsIgnoreCase(scheme) ? 80 : 443;
      }
      Exchange exchange = Exchanges.start("apache-httpclient-5", method, scheme, host, port,
          uri.getRawPath(), uri.getRawQuery(), request, ApacheHeaders.INSTANCE);
      if (exchange == null) {
        return null;
      }
      HttpEntity entity = request.getEntity();
      if (entity instanceof TeeRequestEntity) { // the same request executing on another thread
        entity = ((TeeRequestEntity) entity).delegate;
        return teed(exchange, request, entity); // its headers are that thread's to change
      }
      if (entity == null) {
        exchange.requestSent();
        return new ApacheCall(exchange, null, null).propagate(request);
      }
      return teed(exchange, request, entity).propagate(request);
    } catch (Throwable t) {
      InternalErrors.report("apache-httpclient-5", "request", t);
      return null;
    }
  }

  private static ApacheCall teed(Exchange exchange, ClassicHttpRequest request, HttpEntity entity) {
    HttpEntity tee = new TeeRequestEntity(entity, exchange);
    request.setEntity(tee);
    return new ApacheCall(exchange, entity, tee);
  }

  void end(ClassicHttpRequest request, Object response, Throwable thrown) {
    try {
      if (tee != null && request.getEntity() == tee) {
        request.setEntity(requestEntity); // the application's own entity again
      }
      if (traceparent != null) {
        request.removeHeaders("traceparent"); // the request had none before
      }
      if (thrown != null) {
        exchange.fail(thrown);
        return;
      }
      if (!(response instanceof ClassicHttpResponse)) {
        exchange.fail(new IllegalStateException("no response"));
        return;
      }
      ClassicHttpResponse r = (ClassicHttpResponse) response;
      HttpEntity entity = r.getEntity();
      exchange.responseHeaders(r.getCode(), entity == null ? -1 : entity.getContentLength(), r,
          ApacheHeaders.INSTANCE);
      if (entity == null) {
        exchange.complete();
      } else {
        r.setEntity(new TeeResponseEntity(entity, exchange));
      }
    } catch (Throwable t) {
      InternalErrors.report("apache-httpclient-5", "response", t);
    }
  }
}
