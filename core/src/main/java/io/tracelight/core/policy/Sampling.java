package io.tracelight.core.policy;

/** The samplers' settings for fidelity level 2 ({@code tracelight.sampling.*}). Immutable. */
public final class Sampling {
  /** Share of traces kept, by trace id. */
  public final double ratio;
  /** Records kept per model and finish reason each minute before the ratio applies; 0: none. */
  public final int floorPerMinute;
  /** Records chosen uniformly from each interval's unkept calls; 0: no reservoir. */
  public final int reservoirSize;
  public final long reservoirIntervalNanos;
  /** A call slower than this is always kept; 0: no slow rule. */
  public final long slowNanos;
  /** Unkept calls held in case a later call of their trace is kept by a tail rule. */
  public final int traceBuffer;
  /** A call that cost more than this (USD) is always kept; 0: no cost rule. */
  public final double costUsd;

  public Sampling(double ratio, int floorPerMinute, int reservoirSize, long reservoirIntervalNanos, long slowNanos,
      int traceBuffer) {
    this(ratio, floorPerMinute, reservoirSize, reservoirIntervalNanos, slowNanos, traceBuffer, 0);
  }

  public Sampling(double ratio, int floorPerMinute, int reservoirSize, long reservoirIntervalNanos, long slowNanos,
      int traceBuffer, double costUsd) {
    this.costUsd = costUsd;
    this.ratio = ratio;
    this.floorPerMinute = floorPerMinute;
    this.reservoirSize = reservoirSize;
    this.reservoirIntervalNanos = reservoirIntervalNanos;
    this.slowNanos = slowNanos;
    this.traceBuffer = traceBuffer;
  }

  public static Sampling defaults() {
    return new Sampling(0.1, 1, 0, 60_000_000_000L, 10_000_000_000L, 256);
  }
}
