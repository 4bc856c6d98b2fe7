package io.tracelight.instrumentation.jdkhttpclient;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.Log;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.Exchanges;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;

/**
 * Wraps the application's handler: on the response headers it notes status and content type and
 * wraps the application's subscriber in a {@link TeeSubscriber}. The application's handler and
 * subscriber see exactly what they would have seen.
 */
final class TracingBodyHandler<T> implements HttpResponse.BodyHandler<T> {
  /** Whether {@link TrustedTeeSubscriber} loads: it needs a JDK-internal package exported to us. */
  private static final boolean TRUSTED_TEE = loads("io.tracelight.instrumentation.jdkhttpclient.TrustedTeeSubscriber");

  private final HttpResponse.BodyHandler<T> delegate;
  private final Exchange exchange;

  private TracingBodyHandler(HttpResponse.BodyHandler<T> delegate, Exchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  /**
   * For an AI call, the request (its body teed) and the handler to send instead of the
   * application's; null to send them unchanged.
   */
  static Object[] wrap(HttpRequest request, HttpResponse.BodyHandler<?> handler) {
    if (handler == null || handler instanceof TracingBodyHandler) {
      return null;
    }
    try {
      URI uri = request.uri();
      Exchange exchange = Exchanges.start("jdk-httpclient", request.method(), uri.getScheme(), uri.getHost(),
          port(uri), uri.getRawPath(), uri.getRawQuery(), request, JdkHeaders.REQUEST);
      if (exchange == null) {
        return null;
      }
      HttpRequest sent = request;
      java.util.Optional<HttpRequest.BodyPublisher> body = request.bodyPublisher();
      String traceparent = exchange.traceparentToSend();
      if (body.isPresent()) {
        sent = new TeeRequest(request, java.util.Optional.of(new TeeBodyPublisher(body.get(), exchange)), traceparent);
      } else {
        exchange.requestSent();
        if (traceparent != null) {
          sent = new TeeRequest(request, body, traceparent);
        }
      }
      return new Object[] {sent, tracing(handler, exchange)};
    } catch (Throwable t) {
      InternalErrors.report("jdk-httpclient", "request", t);
      return null;
    }
  }

  private static <T> TracingBodyHandler<T> tracing(HttpResponse.BodyHandler<T> handler, Exchange exchange) {
    return new TracingBodyHandler<>(handler, exchange);
  }

  private static boolean loads(String className) {
    try {
      Class.forName(className, true, TracingBodyHandler.class.getClassLoader());
      return true;
    } catch (Throwable t) {
      Log.warn("jdk-httpclient: the JDK's trusted-subscriber interface is not usable (" + t
          + "); recorded calls take one more thread hop");
      return false;
    }
  }

  private static int port(URI uri) {
    if (uri.getPort() > 0) {
      return uri.getPort();
    }
    return "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
  }

  @Override
  public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
    try {
      exchange.responseHeaders(info.statusCode(), info.headers().firstValueAsLong("content-length").orElse(-1L),
          info.headers(), JdkHeaders.RESPONSE);
    } catch (Throwable t) {
      InternalErrors.report("jdk-httpclient", "response", t);
    }
    HttpResponse.BodySubscriber<T> subscriber = delegate.apply(info);
    if (subscriber == null) {
      return null;
    }
    return TRUSTED_TEE ? TrustedTeeSubscriber.wrap(subscriber, exchange) : new TeeSubscriber<>(subscriber, exchange);
  }

  /** A future that fails (connection refused, timeout) or is cancelled ends the exchange. */
  void watch(CompletableFuture<?> future, Throwable thrown) {
    if (thrown != null) {
      exchange.fail(thrown);
    } else if (future != null) {
      future.whenComplete(new java.util.function.BiConsumer<Object, Throwable>() { // no lambda: start-up time
        @Override
        public void accept(Object response, Throwable failure) {
          if (failure == null) {
            return;
          }
          Throwable cause = unwrap(failure);
          if (cause instanceof java.util.concurrent.CancellationException) {
            exchange.cancelled();
          } else {
            exchange.fail(cause);
          }
        }
      });
    }
  }

  private static Throwable unwrap(Throwable t) {
    Throwable cause = t.getCause();
    return t instanceof java.util.concurrent.CompletionException && cause != null ? cause : t;
  }
}
