package io.tracelight.core.exchange;

/**
 * How the agent Tracelight runs inside (the OpenTelemetry Java agent, in extension mode) tells
 * which span is current when an AI call starts. Standalone, there is none and nothing is asked.
 * {@link #capture} runs on the application's thread for every AI call and must be a read, not a
 * computation; {@link #parentOf} runs on the pipeline thread.
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
}
