package io.tracelight.core.drift;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.AttributeKey;
import io.tracelight.core.model.Keys;
import java.util.List;

/**
 * What drift detection watches in each call, and how each is compared: a numeric signal's
 * distribution (PSI and Kolmogorov–Smirnov), a category's shares (Jensen–Shannon and chi-square),
 * or a bad outcome's rate (a p-chart).
 */
public enum Signal {
  LATENCY("latency", Kind.CONTINUOUS, "s"),
  TIME_TO_FIRST_CHUNK("time_to_first_chunk", Kind.CONTINUOUS, "s"),
  OUTPUT_TOKENS("output_tokens", Kind.CONTINUOUS, "{token}"),
  OUTPUT_CHARS("output_chars", Kind.CONTINUOUS, "{char}"),
  COST("cost", Kind.CONTINUOUS, "USD"),
  LOGPROB("logprob_mean", Kind.CONTINUOUS, ""),
  CONFIDENCE("prediction_confidence", Kind.CONTINUOUS, ""),
  PREDICTED_VALUE("prediction_value", Kind.CONTINUOUS, ""),
  FINISH_REASON("finish_reason", Kind.CATEGORICAL, ""),
  RESPONSE_MODEL("response_model", Kind.CATEGORICAL, ""),
  PREDICTED_CLASS("predicted_class", Kind.CATEGORICAL, ""),
  ERROR_RATE("error_rate", Kind.RATE, ""),
  REFUSAL_RATE("refusal_rate", Kind.RATE, ""),
  SAFETY_RATE("safety_rate", Kind.RATE, ""),
  TRUNCATION_RATE("truncation_rate", Kind.RATE, ""),
  INVALID_JSON_RATE("invalid_json_rate", Kind.RATE, "");

  /** How a signal is compared. */
  public enum Kind { CONTINUOUS, CATEGORICAL, RATE }

  /** The name alerts and the summary use. */
  public final String id;
  public final Kind kind;
  public final String unit;

  Signal(String id, Kind kind, String unit) {
    this.id = id;
    this.kind = kind;
    this.unit = unit;
  }

  static final Signal[] CONTINUOUS = of(Kind.CONTINUOUS);
  static final Signal[] CATEGORICAL = of(Kind.CATEGORICAL);
  static final Signal[] RATES = of(Kind.RATE);

  private static Signal[] of(Kind kind) {
    int n = 0;
    for (Signal s : values()) {
      n += s.kind == kind ? 1 : 0;
    }
    Signal[] list = new Signal[n];
    n = 0;
    for (Signal s : values()) {
      if (s.kind == kind) {
        list[n++] = s;
      }
    }
    return list;
  }

  /** A numeric signal's value in the call; NaN when the call has none. */
  double value(AiCall call) {
    switch (this) {
      case LATENCY:
        return call.durationNanos / 1e9;
      case TIME_TO_FIRST_CHUNK:
        return number(call, Keys.TIME_TO_FIRST_CHUNK);
      case OUTPUT_TOKENS:
        return call.error ? Double.NaN : integer(call, Keys.OUTPUT_TOKENS);
      case OUTPUT_CHARS:
        return call.error ? Double.NaN : integer(call, Keys.OUTPUT_CHARS);
      case COST:
        return number(call, Keys.COST_USD);
      case LOGPROB:
        return number(call, Keys.LOGPROB_MEAN);
      case CONFIDENCE:
        return number(call, Keys.PREDICTED_CONFIDENCE);
      case PREDICTED_VALUE:
        return number(call, Keys.PREDICTED_VALUE);
      default:
        return Double.NaN;
    }
  }

  /** A categorical signal's category in the call; null when the call has none. */
  String category(AiCall call) {
    switch (this) {
      case FINISH_REASON:
        List<String> reasons = call.get(Keys.FINISH_REASONS);
        return reasons == null || reasons.isEmpty() ? null : reasons.get(0);
      case RESPONSE_MODEL:
        return call.get(Keys.RESPONSE_MODEL);
      case PREDICTED_CLASS:
        return call.get(Keys.PREDICTED_CLASS);
      default:
        return null;
    }
  }

  /** Whether the call counts towards a rate signal. */
  boolean flagged(AiCall call) {
    switch (this) {
      case ERROR_RATE:
        return call.error;
      case REFUSAL_RATE:
        return Boolean.TRUE.equals(call.get(Keys.REFUSAL));
      case SAFETY_RATE:
        return call.has(Keys.SAFETY_FLAGS) || call.has(Keys.BLOCK_REASON);
      case TRUNCATION_RATE:
        return Boolean.TRUE.equals(call.get(Keys.OUTPUT_TRUNCATED));
      case INVALID_JSON_RATE:
        return Boolean.TRUE.equals(call.get(Keys.OUTPUT_INVALID_JSON));
      default:
        return false;
    }
  }

  private static double number(AiCall call, AttributeKey<Double> key) {
    Double v = call.get(key);
    return v == null ? Double.NaN : v;
  }

  private static double integer(AiCall call, AttributeKey<Long> key) {
    Long v = call.get(key);
    return v == null ? Double.NaN : v;
  }
}
