package io.tracelight.core.exchange;

/**
 * Which span is current when an AI call starts: the host agent's (the OpenTelemetry Java agent, in
 * extension mode), or standalone the application's own OpenTelemetry API span when it uses the API.
 * {@link #capture} runs on the application's thread for every AI call and must be a read, not a
 * computation; {@link #parentOf} runs on the pipeline thread (and on the application's, once per
 * call, when propagation needs the ids before the request goes out).
 */
public interface ContextCapture {
  /** The application thread's current context, kept as is; null when there is none. */
  Object capture();

  /** The captured context's span as the call's parent, or null when it holds no valid span. */
  TraceParent parentOf(Object captured);

  /**
   * True when the captured context's span is the host's own record of this AI call (its GenAI
   * instrumentation of an SDK) and the user chose the host's: Tracelight then records nothing.
   */
  boolean recordedByHost(Object captured);

  /**
   * True for a host agent: its own HTTP instrumentation reads and writes {@code traceparent}, so
   * Tracelight neither takes the request's header as the parent nor adds one. False for the
   * application's API: the request's own header, when it has one, names the more specific parent.
   */
  boolean hostPropagates();
}
