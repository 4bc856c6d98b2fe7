package io.tracelight.instrumentation.jdkhttpclient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;

/**
 * The application's request with its body publisher wrapped in a {@link TeeBodyPublisher}; every
 * other answer is the application's request's own. The JDK client copies a request it is given
 * into its own ({@code HttpRequestImpl}) before sending, and responses report that copy, so the
 * application never sees this object.
 */
final class TeeRequest extends HttpRequest {
  private final HttpRequest delegate;
  private final Optional<BodyPublisher> body;

  TeeRequest(HttpRequest delegate, BodyPublisher tee) {
    this.delegate = delegate;
    this.body = Optional.of(tee);
  }

  @Override
  public Optional<BodyPublisher> bodyPublisher() {
    return body;
  }

  @Override
  public String method() {
    return delegate.method();
  }

  @Override
  public Optional<Duration> timeout() {
    return delegate.timeout();
  }

  @Override
  public boolean expectContinue() {
    return delegate.expectContinue();
  }

  @Override
  public URI uri() {
    return delegate.uri();
  }

  @Override
  public Optional<HttpClient.Version> version() {
    return delegate.version();
  }

  @Override
  public HttpHeaders headers() {
    return delegate.headers();
  }
}
