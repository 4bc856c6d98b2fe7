package io.tracelight.core.exchange;

/**
 * The ids of an AI call's span, chosen on the application's thread when the call starts because
 * they go out with the request ({@code tracelight.propagation=tracecontext}): a traced model server
 * then continues the trace under the AI span. Without propagation the ids are chosen later, on the
 * pipeline thread. Immutable.
 */
final class ChosenTrace {
  /** The span the call joins (the application's current span), or null: the call starts a trace. */
  final TraceParent parent;
  final String traceId;
  final String spanId;
  final boolean sampled;
  /** What the captured context was, kept for whoever else reads it. */
  final Object captured;

  private ChosenTrace(TraceParent parent, String traceId, String spanId, boolean sampled, Object captured) {
    this.parent = parent;
    this.traceId = traceId;
    this.spanId = spanId;
    this.sampled = sampled;
    this.captured = captured;
  }

  static ChosenTrace under(TraceParent parent, Object captured) {
    if (parent == null) {
      return new ChosenTrace(null, TraceIds.newTraceId(), TraceIds.newSpanId(), true, captured);
    }
    return new ChosenTrace(parent, parent.traceId, TraceIds.newSpanId(), parent.sampled, captured);
  }

  /** The {@code traceparent} header naming this span (version 00). */
  String header() {
    return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
  }
}
