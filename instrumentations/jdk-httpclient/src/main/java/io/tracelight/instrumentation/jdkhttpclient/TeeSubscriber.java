package io.tracelight.instrumentation.jdkhttpclient;

import io.tracelight.core.exchange.Exchange;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * Passes every signal straight on to the application's subscriber, after showing the exchange the
 * bytes (read without moving the buffers' positions). A cancelled subscription is an early close.
 */
class TeeSubscriber<T> implements HttpResponse.BodySubscriber<T> {
  private final HttpResponse.BodySubscriber<T> delegate;
  private final Exchange exchange;

  TeeSubscriber(HttpResponse.BodySubscriber<T> delegate, Exchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
    exchange.endWhenUnreachable(this);
  }

  @Override
  public CompletionStage<T> getBody() {
    return delegate.getBody();
  }

  @Override
  public void onSubscribe(Flow.Subscription subscription) {
    delegate.onSubscribe(new Flow.Subscription() {
      @Override
      public void request(long n) {
        subscription.request(n);
      }

      @Override
      public void cancel() {
        exchange.closed();
        subscription.cancel();
      }
    });
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    for (int i = 0, n = items.size(); i < n; i++) {
      exchange.responseBytes(items.get(i));
    }
    delegate.onNext(items);
  }

  @Override
  public void onError(Throwable throwable) {
    exchange.fail(throwable);
    delegate.onError(throwable);
  }

  @Override
  public void onComplete() {
    exchange.complete();
    delegate.onComplete();
  }
}
