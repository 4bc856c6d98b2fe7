package io.tracelight.instrumentation.jdkhttpclient;

import io.tracelight.core.exchange.Exchange;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.concurrent.Flow;

/**
 * The application's body publisher, teed: each buffer the JDK client takes to send is shown to the
 * exchange (read without moving its position) and passed on unchanged, as it goes; nothing is
 * read ahead or serialised twice. Every subscription (a retry, a redirect) starts the capture
 * afresh.
 */
final class TeeBodyPublisher implements HttpRequest.BodyPublisher {
  private final HttpRequest.BodyPublisher delegate;
  private final Exchange exchange;

  TeeBodyPublisher(HttpRequest.BodyPublisher delegate, Exchange exchange) {
    this.delegate = delegate;
    this.exchange = exchange;
  }

  @Override
  public long contentLength() {
    return delegate.contentLength();
  }

  @Override
  public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
    exchange.requestRestarted();
    delegate.subscribe(new Tee(subscriber, exchange));
  }

  /** Passes every signal on, after showing the exchange each buffer. */
  private static final class Tee implements Flow.Subscriber<ByteBuffer> {
    private final Flow.Subscriber<? super ByteBuffer> downstream;
    private final Exchange exchange;

    Tee(Flow.Subscriber<? super ByteBuffer> downstream, Exchange exchange) {
      this.downstream = downstream;
      this.exchange = exchange;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      downstream.onSubscribe(subscription);
    }

    @Override
    public void onNext(ByteBuffer item) {
      exchange.requestBytes(item);
      downstream.onNext(item);
    }

    @Override
    public void onError(Throwable throwable) {
      downstream.onError(throwable);
    }

    @Override
    public void onComplete() {
      exchange.requestSent();
      downstream.onComplete();
    }
  }
}
