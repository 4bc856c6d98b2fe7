package io.tracelight.core.drift;

/** Drift detection's configuration, read once at start. Immutable. */
public final class DriftSettings {
  /** The largest reference and window: 100,000 calls (a reference holds 8 bytes per numeric signal per call while it fills). */
  static final int MAX_CALLS = 100_000;

  /** Calls of a model (after start or after a new system prompt) that make its reference. */
  public final int referenceCalls;
  /** Calls in the sliding window compared with the reference; checked every fifth of it. */
  public final int windowCalls;
  /** A distribution or category change alerts only with a test's p-value below this. */
  public final double alpha;
  /** PSI at or above which a numeric signal has drifted (the convention's "significant"). */
  public final double psiThreshold;
  /** Jensen–Shannon divergence (bits) at or above which a category mix has drifted. */
  public final double jsdThreshold;
  /** A numeric signal's median must also have moved by this fraction of the reference's. */
  public final double minChange;
  /** A rate alerts only with at least this many flagged calls in the window. */
  public final int minEvents;
  /** Models (provider, model, version, deployment, system prompt) watched at most; more are counted. */
  public final int maxKeys;
  /** A single call costing more than this many times the reference's most expensive call alerts. */
  public final double runawayFactor;
  /** The runbook link alerts carry, {@code {rule}} replaced by the alert's rule; empty for none. */
  private final String runbook;

  public DriftSettings(int referenceCalls, int windowCalls, double alpha, double psiThreshold, double jsdThreshold,
      double minChange, int minEvents, int maxKeys, double runawayFactor, String runbook) {
    // a side needs ModelDrift.MIN_VALUES values to be compared; the reference is held in memory while it fills
    this.referenceCalls = Math.max(ModelDrift.MIN_VALUES, Math.min(MAX_CALLS, referenceCalls));
    this.windowCalls = Math.max(Window.SLICES * 10, Math.min(MAX_CALLS, windowCalls));
    this.alpha = alpha;
    this.psiThreshold = psiThreshold;
    this.jsdThreshold = jsdThreshold;
    this.minChange = minChange;
    this.minEvents = Math.max(1, minEvents);
    this.maxKeys = Math.max(1, maxKeys);
    this.runawayFactor = runawayFactor;
    this.runbook = runbook == null ? "" : runbook;
  }

  /**
   * The rule for a numeric signal, live and in the report: the PSI and the KS test past their
   * thresholds, and the median moved by {@link #minChange} of the reference's.
   */
  public boolean numericDrift(double psi, double ksPValue, double referenceMedian, double currentMedian) {
    return psi >= psiThreshold && ksPValue < alpha
        && ModelDrift.relativeChange(referenceMedian, currentMedian) >= minChange;
  }

  String runbook(String rule) {
    return runbook.replace("{rule}", rule);
  }

  public static DriftSettings defaults() {
    return new DriftSettings(500, 500, 1e-4, 0.2, 0.01, 0.25, 5, 100, 10, "");
  }
}
