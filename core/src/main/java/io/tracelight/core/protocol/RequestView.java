package io.tracelight.core.protocol;

/**
 * What a protocol may know of a request besides its body. Secrets never reach it: a header or a
 * query parameter is visible only when some protocol declared it, and never when it is one of
 * {@link Secrets}' names. Read-only; after matching, safe to read from any thread.
 */
public interface RequestView {
  /** Upper case, as sent ({@code POST}). */
  String method();

  /** {@code http} or {@code https}. */
  String scheme();

  String host();

  int port();

  /** The raw (still percent-encoded) path, without the query. */
  String path();

  /** A query parameter's (decoded) value, or null when absent, secret or not declared. */
  String queryParameter(String name);

  /** A request header's first value, or null when absent, secret or not declared. */
  String header(String name);
}
