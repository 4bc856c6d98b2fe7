package io.tracelight.mock;

/** The misbehaviours a request asks for by its model name; see {@link MockLlmServer} for the list. */
enum Special {
  NONE(null),
  NO_SUCH_MODEL(null),
  ERROR_500("mock-error-500"),
  ERROR_429("mock-error-429"),
  OVERLOADED("mock-overloaded"),
  MALFORMED("mock-malformed"),
  EMPTY("mock-empty"),
  NON_UTF8("mock-non-utf8"),
  BIG("mock-big"),
  TRUNCATED("mock-truncated"),
  RESET("mock-reset"),
  STREAM_ERROR("mock-stream-error"),
  REFUSAL("mock-refusal"),
  TOOLS("mock-tools"),
  PII("mock-pii"),
  SORRY("mock-sorry"),
  LENGTH("mock-length"),
  BAD_JSON("mock-bad-json"),
  /** {@code mock-drift-<n>}: ordinary for its first n calls, then refusing, longer and slower (see {@link Call#drift}). */
  DRIFT(null);

  static final String DRIFT_PREFIX = "mock-drift-";

  final String model;

  Special(String model) {
    this.model = model;
  }

  /**
   * The misbehaviour of a model name. Names may carry what the providers put around a model:
   * a path ({@code models/mock-tools}, an ARN), a vendor or region prefix ({@code us.anthropic.mock-tools})
   * or a tag/version ({@code mock-tools:latest}, {@code :0}).
   */
  static Special of(String model) {
    if (model == null) {
      return NONE;
    }
    String base = model.substring(model.lastIndexOf('/') + 1);
    int colon = base.indexOf(':');
    if (colon >= 0) {
      base = base.substring(0, colon);
    }
    if (model.endsWith("-no-such-model") || base.endsWith("-no-such-model")) {
      return NO_SUCH_MODEL;
    }
    if (driftAfter(base) >= 0) {
      return DRIFT;
    }
    for (Special s : values()) {
      if (s.model != null && (model.equals(s.model) || base.equals(s.model) || base.endsWith("." + s.model))) {
        return s;
      }
    }
    return NONE;
  }

  /** The n of {@code mock-drift-<n>}, or -1 for another name. */
  static long driftAfter(String base) {
    int at = base.lastIndexOf(DRIFT_PREFIX);
    if (at < 0 || (at > 0 && base.charAt(at - 1) != '.')) {
      return -1;
    }
    try {
      return Long.parseLong(base.substring(at + DRIFT_PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The misbehaviours that only change a stream: a whole answer is given normally. */
  boolean cutsStream() {
    return this == TRUNCATED || this == RESET || this == STREAM_ERROR;
  }
}
