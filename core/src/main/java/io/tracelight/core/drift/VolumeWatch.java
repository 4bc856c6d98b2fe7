package io.tracelight.core.drift;

/**
 * One subject's call rate against its reference's: the reference's calls over the time they took
 * (at least {@value #MIN_WINDOW_SECONDS} s) set the expected rate and the window, whose calls are
 * counted in {@value #BUCKETS} time buckets. Checked on the pipeline's ticks, not on calls, so a
 * subject whose traffic stopped is still checked. A window with at most {@code 1 - MAX_DROP} of the
 * expected calls and a Poisson lower tail below alpha is a drop.
 *
 * <p>Threads: the pipeline thread only.
 */
final class VolumeWatch {
  static final int BUCKETS = 20;
  static final long MIN_WINDOW_SECONDS = 10;
  /** The drop that alerts: calls down by more than a fifth. */
  static final double MAX_DROP = 0.2;

  private long referenceStartNanos;
  private long referenceCalls;
  private double expectedPerNano;
  private long bucketNanos;
  private long monitorStartNanos;
  private final long[] counts = new long[BUCKETS];
  /** The bucket number (from the monitoring's start) counts[...] was last written for. */
  private long lastBucket = -1;

  /** A reference call arrived. */
  void reference(long nowNanos) {
    if (referenceCalls++ == 0) {
      referenceStartNanos = nowNanos;
    }
  }

  /** Reference calls counted so far. */
  long referenceCalls() {
    return referenceCalls;
  }

  /** The reference is complete: the expected rate and the window follow from it. */
  void closeReference(long nowNanos) {
    long took = Math.max(1, nowNanos - referenceStartNanos);
    long window = Math.max(MIN_WINDOW_SECONDS * 1_000_000_000L, took);
    expectedPerNano = referenceCalls / (double) took;
    bucketNanos = Math.max(1, window / BUCKETS);
    monitorStartNanos = nowNanos;
  }

  /** The reference's calls per second, and its window in nanoseconds; for a baseline file. */
  double callsPerSecond() {
    return expectedPerNano * 1e9;
  }

  long windowNanos() {
    return bucketNanos * BUCKETS;
  }

  /** A reference rate and window from a baseline file; monitoring starts now. */
  void restore(double callsPerSecond, long windowNanos, long nowNanos) {
    if (!(callsPerSecond > 0) || windowNanos < BUCKETS) {
      return; // no rate saved: the subject's calls make one (ModelDrift)
    }
    expectedPerNano = callsPerSecond / 1e9;
    bucketNanos = windowNanos / BUCKETS;
    monitorStartNanos = nowNanos;
    referenceCalls = 1;
  }

  boolean started() {
    return bucketNanos > 0;
  }

  /** A monitored call arrived. */
  void call(long nowNanos) {
    if (started()) {
      counts[advance(nowNanos)]++;
    }
  }

  /** Moves to the bucket of {@code nowNanos}, emptying the ones skipped; returns its slot. */
  private int advance(long nowNanos) {
    long bucket = (nowNanos - monitorStartNanos) / bucketNanos;
    if (bucket > lastBucket) {
      for (long b = Math.max(lastBucket + 1, bucket - BUCKETS + 1); b <= bucket; b++) {
        counts[(int) (b % BUCKETS)] = 0;
      }
      lastBucket = bucket;
    }
    return (int) (bucket % BUCKETS);
  }

  /**
   * The window's calls and the calls the reference's rate expects in the same time, {@code [observed,
   * expected]}; null until a whole window has passed since the reference.
   */
  double[] observedAndExpected(long nowNanos) {
    if (!started()) {
      return null;
    }
    advance(nowNanos);
    long bucket = (nowNanos - monitorStartNanos) / bucketNanos;
    if (bucket < BUCKETS) {
      return null;
    }
    long observed = 0;
    for (long c : counts) {
      observed += c;
    }
    long covered = (BUCKETS - 1) * bucketNanos + (nowNanos - monitorStartNanos) % bucketNanos;
    return new double[] {observed, expectedPerNano * covered};
  }

  /** P(X <= observed) for X Poisson with mean {@code expected}: the regularised upper gamma Q(observed + 1, expected). */
  static double poissonLowerTail(double observed, double expected) {
    if (expected <= 0) {
      return 1.0;
    }
    return Statistics.upperGamma(observed + 1, expected);
  }
}
