package io.tracelight.core.exchange;

/**
 * The ids of an AI call's span, chosen on the application's thread when the call starts because
 * they go out with the request ({@code tracelight.propagation=tracecontext}): a traced model server
 * then continues the trace under the AI span. Without propagation the ids are chosen later, on the
 * pipeline thread. Only the header is made on the application's thread (one string); the ids are
 * cut from it on the pipeline thread. Immutable.
 */
final class ChosenTrace {
  private static final int TRACE_ID = 3;
  private static final int SPAN_ID = 36;

  /** The span the call joins (the application's current span), or null: the call starts a trace. */
  final TraceParent parent;
  /** The {@code traceparent} header naming this span (version 00). */
  final String header;

  private ChosenTrace(TraceParent parent, String header) {
    this.parent = parent;
    this.header = header;
  }

  static ChosenTrace under(TraceParent parent) {
    char[] h = new char[55];
    h[0] = '0';
    h[1] = '0';
    h[2] = '-';
    if (parent == null) {
      TraceIds.writeNewTraceId(h, TRACE_ID);
    } else {
      parent.traceId.getChars(0, 32, h, TRACE_ID);
    }
    h[35] = '-';
    TraceIds.writeNewSpanId(h, SPAN_ID);
    h[52] = '-';
    h[53] = '0';
    h[54] = parent == null || parent.sampled ? '1' : '0';
    return new ChosenTrace(parent, new String(h));
  }

  String traceId() {
    return header.substring(TRACE_ID, TRACE_ID + 32);
  }

  String spanId() {
    return header.substring(SPAN_ID, SPAN_ID + 16);
  }
}
