package io.tracelight.instrumentation.jdkhttpclient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BiPredicate;

/**
 * The application's request with its body publisher wrapped in a {@link TeeBodyPublisher} and,
 * with propagation on, a {@code traceparent} header added; every other answer is the application's
 * request's own. The JDK client copies a request it is given into its own ({@code HttpRequestImpl})
 * before sending, and responses report that copy, so the application never sees this object.
 */
final class TeeRequest extends HttpRequest {
  private final HttpRequest delegate;
  private final Optional<BodyPublisher> body;
  private final HttpHeaders headers;

  /**
   * @param body the publisher to send instead (a tee), or the application's empty one
   * @param traceparent the header to add, or null
   */
  TeeRequest(HttpRequest delegate, Optional<BodyPublisher> body, String traceparent) {
    this.delegate = delegate;
    this.body = body;
    this.headers = traceparent == null ? delegate.headers() : withTraceparent(delegate.headers(), traceparent);
  }

  private static HttpHeaders withTraceparent(HttpHeaders headers, String traceparent) {
    Map<String, List<String>> all = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    all.putAll(headers.map());
    all.put("traceparent", Collections.singletonList(traceparent));
    return HttpHeaders.of(all, AllHeaders.INSTANCE);
  }

  /** Keeps every header ({@link HttpHeaders#of} asks for a filter). No lambda: the first costs start-up time. */
  private static final class AllHeaders implements BiPredicate<String, String> {
    static final AllHeaders INSTANCE = new AllHeaders();

    @Override
    public boolean test(String name, String value) {
      return true;
    }
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
    return headers;
  }
}
