package io.tracelight.instrumentation.jdkhttpclient;

import io.tracelight.core.exchange.Exchange;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Flow;

/**
 * Copies a request body when that cannot disturb the application: only the JDK's in-memory
 * publishers ({@code ofString}, {@code ofByteArray}), which hand each subscriber a fresh copy,
 * synchronously. Streams, files and custom publishers are left alone and the record says so.
 */
final class RequestBodies {
  private RequestBodies() {}

  static void capture(HttpRequest request, Exchange exchange) {
    Optional<HttpRequest.BodyPublisher> body = request.bodyPublisher();
    if (body.isEmpty()) {
      return;
    }
    HttpRequest.BodyPublisher publisher = body.get();
    String type = publisher.getClass().getName();
    if (!type.startsWith("jdk.internal.net.http.RequestPublishers$")
        || !(type.endsWith("$ByteArrayPublisher") || type.endsWith("$StringPublisher"))
        || publisher.contentLength() > exchange.maxBodyBytes()) {
      exchange.requestNotCaptured();
      return;
    }
    Collector collector = new Collector((int) Math.max(publisher.contentLength(), 0));
    publisher.subscribe(collector);
    if (collector.done) {
      exchange.requestBody(collector.bytes, collector.length);
    } else {
      collector.cancel();
      exchange.requestNotCaptured();
    }
  }

  private static final class Collector implements Flow.Subscriber<ByteBuffer> {
    byte[] bytes;
    int length;
    boolean done;
    private Flow.Subscription subscription;

    Collector(int expected) {
      bytes = new byte[Math.max(expected, 64)];
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
      subscription = s;
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ByteBuffer item) {
      int n = item.remaining();
      if (length + n > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
      }
      item.get(bytes, length, n);
      length += n;
    }

    @Override
    public void onError(Throwable throwable) {
      done = false;
    }

    @Override
    public void onComplete() {
      done = true;
    }

    void cancel() {
      if (subscription != null) {
        subscription.cancel();
      }
    }
  }
}
