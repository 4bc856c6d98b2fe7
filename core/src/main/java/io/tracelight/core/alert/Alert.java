package io.tracelight.core.alert;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tracelight.core.export.IsoTimestamp;
import java.io.IOException;

/**
 * One alert event: an episode {@code firing} or {@code resolved}, or an {@code announced} change
 * (a new system prompt for a model). Written once and then only read, by any thread.
 */
public final class Alert implements io.tracelight.core.export.EventFile.Line {
  public enum State { FIRING, RESOLVED, ANNOUNCED }

  public enum Severity { INFO, WARNING, CRITICAL }

  public final long epochNanos;
  public final State state;
  public final Severity severity;
  /** The rule: {@code drift}, {@code rate}, {@code cost_runaway}, {@code new_system_prompt}, ... */
  public final String rule;
  /** What moved: a {@code Signal}'s id, or the changed hash's name. */
  public final String signal;
  /** How it was measured: {@code psi}, {@code jsd}, {@code p_chart}, ... ; null for an announcement. */
  public final String statistic;
  public final double value;
  public final double threshold;
  /** The test's p-value, NaN when the rule has none. */
  public final double pValue;
  /** The reference's and the current window's value of the signal (median, rate, share). */
  public final double baseline;
  public final double current;
  /** {@code up} or {@code down}: where the current value went from the baseline. */
  public final String trend;
  public final AlertSubject subject;
  public final long referenceCalls;
  public final long windowCalls;
  /** Identifies the episode: its firing and resolved events share it. */
  public final String episode;
  public final String runbook;
  public final String message;
  /** What the agent did about it at once (a raised fidelity level), or null. */
  public final String response;

  public Alert(long epochNanos, State state, Severity severity, String rule, String signal, String statistic,
      double value, double threshold, double pValue, double baseline, double current, String trend,
      AlertSubject subject, long referenceCalls, long windowCalls, String episode, String runbook, String message) {
    this.epochNanos = epochNanos;
    this.state = state;
    this.severity = severity;
    this.rule = rule;
    this.signal = signal;
    this.statistic = statistic;
    this.value = value;
    this.threshold = threshold;
    this.pValue = pValue;
    this.baseline = baseline;
    this.current = current;
    this.trend = trend;
    this.subject = subject;
    this.referenceCalls = referenceCalls;
    this.windowCalls = windowCalls;
    this.episode = episode;
    this.runbook = runbook;
    this.message = message;
    this.response = null;
  }

  private Alert(Alert a, long epochNanos, State state, double value, double pValue, double current, String message,
      String response) {
    this.epochNanos = epochNanos;
    this.state = state;
    this.severity = a.severity;
    this.rule = a.rule;
    this.signal = a.signal;
    this.statistic = a.statistic;
    this.value = value;
    this.threshold = a.threshold;
    this.pValue = pValue;
    this.baseline = a.baseline;
    this.current = current;
    this.trend = a.trend;
    this.subject = a.subject;
    this.referenceCalls = a.referenceCalls;
    this.windowCalls = a.windowCalls;
    this.episode = a.episode;
    this.runbook = a.runbook;
    this.message = message;
    this.response = response;
  }

  /** The same event, saying what the agent did about it. */
  Alert withResponse(String what) {
    return new Alert(this, epochNanos, state, value, pValue, current, message, what);
  }

  /** The same alert in another state at another time (the episode's resolution). */
  Alert as(State newState, long atEpochNanos, double newValue, double newCurrent, String newMessage) {
    return new Alert(this, atEpochNanos, newState, newValue, Double.NaN, newCurrent, newMessage, null);
  }

  public static String name(Enum<?> e) {
    return e.name().toLowerCase(java.util.Locale.ROOT);
  }

  /** One line of {@code alerts.jsonl}. */
  @Override
  public void write(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("time", IsoTimestamp.format(epochNanos));
    g.writeStringField("state", name(state));
    g.writeStringField("severity", name(severity));
    g.writeStringField("rule", rule);
    g.writeStringField("signal", signal);
    if (statistic != null) {
      g.writeStringField("statistic", statistic);
    }
    number(g, "value", value);
    number(g, "threshold", threshold);
    number(g, "p_value", pValue);
    number(g, "baseline", baseline);
    number(g, "current", current);
    if (trend != null) {
      g.writeStringField("trend", trend);
    }
    subject.write(g);
    if (referenceCalls > 0) {
      g.writeNumberField("reference_calls", referenceCalls);
    }
    if (windowCalls > 0) {
      g.writeNumberField("window_calls", windowCalls);
    }
    g.writeStringField("episode", episode);
    if (runbook != null && !runbook.isEmpty()) {
      g.writeStringField("runbook", runbook);
    }
    g.writeStringField("message", message);
    if (response != null) {
      g.writeStringField("response", response);
    }
    g.writeEndObject();
  }

  private static void number(JsonGenerator g, String name, double v) throws IOException {
    if (!Double.isNaN(v) && !Double.isInfinite(v)) {
      g.writeNumberField(name, v);
    }
  }
}
