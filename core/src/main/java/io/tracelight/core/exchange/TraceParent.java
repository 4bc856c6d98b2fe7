package io.tracelight.core.exchange;

/**
 * The span an AI call joins as a child: the W3C Trace Context {@code traceparent} header the
 * application's request already carried (its own, a framework's or another agent's), or the host
 * agent's current span in extension mode.
 * Immutable.
 */
public final class TraceParent {
  private static final int LENGTH = 55; // "vv-" + 32 + "-" + 16 + "-" + "ff"

  public final String traceId;
  public final String parentSpanId;
  /** The trace flags' sampled bit: a backend may not keep a trace its root did not sample. */
  public final boolean sampled;

  private TraceParent(String traceId, String parentSpanId, boolean sampled) {
    this.traceId = traceId;
    this.parentSpanId = parentSpanId;
    this.sampled = sampled;
  }

  /** A parent known by its ids (the host agent's current span); the caller has checked them. */
  public static TraceParent of(String traceId, String parentSpanId, boolean sampled) {
    return new TraceParent(traceId, parentSpanId, sampled);
  }

  /**
   * The header's trace and parent ids, or null when it is absent or not valid: version {@code ff},
   * ids that are all zeros or not lowercase hex, or a version-00 header with anything after the
   * flags. A later version may add fields after the flags; its first four are read.
   */
  public static TraceParent parse(String header) {
    if (header == null) {
      return null;
    }
    String h = header.trim();
    if (h.length() < LENGTH || h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-'
        || !hex(h, 0, 2) || !hex(h, 3, 35) || !hex(h, 36, 52) || !hex(h, 53, 55)) {
      return null;
    }
    String version = h.substring(0, 2);
    if (version.equals("ff") || (version.equals("00") && h.length() != LENGTH)
        || (h.length() > LENGTH && h.charAt(LENGTH) != '-')) {
      return null;
    }
    String traceId = h.substring(3, 35);
    String spanId = h.substring(36, 52);
    if (zeros(traceId) || zeros(spanId)) {
      return null;
    }
    return new TraceParent(traceId, spanId, (Character.digit(h.charAt(54), 16) & 1) != 0);
  }

  private static boolean hex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static boolean zeros(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
