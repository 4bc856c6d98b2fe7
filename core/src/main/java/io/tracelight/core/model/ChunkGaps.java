package io.tracelight.core.model;

/**
 * The times between a stream's chunks (each read of the streamed body that returned bytes, after
 * the first), kept as counts and sums per bucket of the conventions' seconds boundaries
 * ({@code gen_ai.client.operation.time_per_output_chunk}), so a stream of any length costs the
 * same few hundred bytes. Filled by the thread reading the response, then read by the pipeline
 * thread after the exchange ended (the exchange's end publishes it).
 */
public final class ChunkGaps {
  /** Upper bounds in nanoseconds of every bucket but the last. */
  private static final long[] BOUNDS_NANOS = nanos(io.tracelight.core.metrics.GenAiMetrics.SECONDS_BOUNDS);

  private final long[] counts = new long[BOUNDS_NANOS.length + 1];
  private final long[] sums = new long[BOUNDS_NANOS.length + 1];
  private long total;
  private long minNanos = Long.MAX_VALUE;
  private long maxNanos;

  private static long[] nanos(double[] seconds) {
    long[] out = new long[seconds.length];
    for (int i = 0; i < seconds.length; i++) {
      out[i] = Math.round(seconds[i] * 1e9);
    }
    return out;
  }

  /** One gap; a bucket holds the values above the previous bound up to and including its own. */
  public void record(long nanos) {
    int i = 0;
    while (i < BOUNDS_NANOS.length && nanos > BOUNDS_NANOS[i]) {
      i++;
    }
    counts[i]++;
    sums[i] += nanos;
    total++;
    minNanos = Math.min(minNanos, nanos);
    maxNanos = Math.max(maxNanos, nanos);
  }

  /** The shortest gap in seconds (meaningful when {@link #count()} is not 0). */
  public double minSeconds() {
    return minNanos / 1e9;
  }

  public double maxSeconds() {
    return maxNanos / 1e9;
  }

  public long count() {
    return total;
  }

  public int buckets() {
    return counts.length;
  }

  public long count(int bucket) {
    return counts[bucket];
  }

  /** The gaps of {@code bucket} summed, in seconds. */
  public double seconds(int bucket) {
    return sums[bucket] / 1e9;
  }
}
