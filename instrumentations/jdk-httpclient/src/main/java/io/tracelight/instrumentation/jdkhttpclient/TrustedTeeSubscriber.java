package io.tracelight.instrumentation.jdkhttpclient;

import io.tracelight.core.exchange.Exchange;
import java.net.http.HttpResponse;

/**
 * A tee around one of the JDK's own subscribers. The JDK completes a "trusted" subscriber's body
 * on the thread that read it and any other subscriber's through its executor, a thread hop that
 * costs tens of microseconds per call; wrapping must not turn the one into the other. The
 * interface is JDK-internal: {@link JdkHttpClientModule} has its package exported to this
 * module's loader, and {@link TracingBodyHandler} loads this class only when that worked.
 */
final class TrustedTeeSubscriber<T> extends TeeSubscriber<T>
    implements jdk.internal.net.http.ResponseSubscribers.TrustedSubscriber<T> {
  private final boolean needsExecutor;

  private TrustedTeeSubscriber(HttpResponse.BodySubscriber<T> delegate, Exchange exchange, boolean needsExecutor) {
    super(delegate, exchange);
    this.needsExecutor = needsExecutor;
  }

  @Override
  public boolean needsExecutor() {
    return needsExecutor;
  }

  /** A tee that is trusted exactly when the application's subscriber is. */
  static <T> HttpResponse.BodySubscriber<T> wrap(HttpResponse.BodySubscriber<T> delegate, Exchange exchange) {
    if (delegate instanceof jdk.internal.net.http.ResponseSubscribers.TrustedSubscriber) {
      boolean needs = ((jdk.internal.net.http.ResponseSubscribers.TrustedSubscriber<?>) delegate).needsExecutor();
      return new TrustedTeeSubscriber<>(delegate, exchange, needs);
    }
    return new TeeSubscriber<>(delegate, exchange);
  }
}
