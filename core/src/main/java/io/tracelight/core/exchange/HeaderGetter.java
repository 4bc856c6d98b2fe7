package io.tracelight.core.exchange;

/**
 * How an instrumentation reads one header of its client's request or response object, without the
 * agent copying the headers: a stateless singleton per client type (no allocation per call).
 */
public interface HeaderGetter<C> {
  /** The first value of header {@code name} (lower case) in {@code carrier}, or null. */
  String get(C carrier, String name);
}
