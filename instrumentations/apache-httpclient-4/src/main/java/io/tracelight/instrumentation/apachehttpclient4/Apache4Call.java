package io.tracelight.instrumentation.apachehttpclient4;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.Exchanges;
import java.net.URI;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpUriRequest;

/**
 * One AI call through HttpClient 4, from {@code doExecute}'s start to its return: the request
 * entity the application set is swapped for a tee while the client sends it and put back after, so
 * the application finds its own entity in its request; the response gets a teed entity.
 */
final class Apache4Call {
  private static final String NAME = "apache-httpclient-4";
  private final Exchange exchange;
  private final HttpEntity requestEntity;
  /** The tee set in its place, or null. */
  private final HttpEntity tee;

  /** The {@code traceparent} added to the application's request (propagation on), taken off at the end; or null. */
  private String traceparent;

  private Apache4Call(Exchange exchange, HttpEntity requestEntity, HttpEntity tee) {
    this.exchange = exchange;
    this.requestEntity = requestEntity;
    this.tee = tee;
  }

  /**
   * With propagation on, adds the call's {@code traceparent} to the request, which is the
   * application's own object: {@link #end} takes it off again, so a request sent twice does not
   * carry the first call's span as its parent.
   */
  private Apache4Call propagate(HttpRequest request) {
    String header = exchange.traceparentToSend();
    if (header != null) {
      try {
        request.setHeader("traceparent", header);
        traceparent = header;
      } catch (Throwable t) {
        InternalErrors.report(NAME, "propagation", t);
      }
    }
    return this;
  }

  /** The state of an AI call, its request entity teed; null for any other request. */
  static Apache4Call start(HttpHost target, HttpRequest request) {
    try {
      String method = request.getRequestLine().getMethod();
      if (!Exchanges.mayBeAiCall(method)) {
        return null; // a GET: no URI built for it
      }
      URI uri = request instanceof HttpUriRequest
          ? ((HttpUriRequest) request).getURI()
          : URI.create(request.getRequestLine().getUri());
      String scheme = target != null ? target.getSchemeName() : uri.getScheme();
      String host = target != null ? target.getHostName() : uri.getHost();
      int port = target != null ? target.getPort() : uri.getPort();
      if (port < 0) {
        port = "http".equalsIgnoreCase(scheme) ? 80 : 443;
      }
      Exchange exchange = Exchanges.start(NAME, method, scheme, host, port,
          uri.getRawPath(), uri.getRawQuery(), request, ApacheHeaders.INSTANCE);
      if (exchange == null) {
        return null;
      }
      HttpEntity entity = request instanceof HttpEntityEnclosingRequest
          ? ((HttpEntityEnclosingRequest) request).getEntity()
          : null;
      if (entity instanceof TeeRequestEntity) { // the same request executing on another thread
        entity = ((TeeRequestEntity) entity).delegate();
        return teed(exchange, (HttpEntityEnclosingRequest) request, entity); // its headers are that thread's to change
      }
      if (entity == null) {
        exchange.requestSent();
        return new Apache4Call(exchange, null, null).propagate(request);
      }
      return teed(exchange, (HttpEntityEnclosingRequest) request, entity).propagate(request);
    } catch (Throwable t) {
      InternalErrors.report(NAME, "request", t);
      return null;
    }
  }

  private static Apache4Call teed(Exchange exchange, HttpEntityEnclosingRequest request, HttpEntity entity) {
    HttpEntity tee = new TeeRequestEntity(entity, exchange);
    request.setEntity(tee);
    return new Apache4Call(exchange, entity, tee);
  }

  void end(HttpRequest request, Object response, Throwable thrown) {
    try {
      if (tee != null && ((HttpEntityEnclosingRequest) request).getEntity() == tee) {
        ((HttpEntityEnclosingRequest) request).setEntity(requestEntity); // the application's own entity again
      }
      if (traceparent != null) {
        request.removeHeaders("traceparent"); // the request had none before
      }
      if (thrown != null) {
        exchange.fail(thrown);
        return;
      }
      if (!(response instanceof HttpResponse)) {
        exchange.fail(new IllegalStateException("no response"));
        return;
      }
      HttpResponse r = (HttpResponse) response;
      HttpEntity entity = r.getEntity();
      exchange.responseHeaders(r.getStatusLine().getStatusCode(), entity == null ? -1 : entity.getContentLength(), r,
          ApacheHeaders.INSTANCE);
      if (entity == null) {
        exchange.complete();
      } else {
        r.setEntity(new TeeResponseEntity(entity, exchange));
      }
    } catch (Throwable t) {
      InternalErrors.report(NAME, "response", t);
    }
  }
}
