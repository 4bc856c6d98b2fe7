package io.tracelight.core.metrics;

import java.util.Arrays;

/**
 * One explicit-bucket histogram as the semantic conventions define their metrics: counts per
 * bucket (not cumulative), sum, count, minimum and maximum. The OTLP exporter and the metrics
 * endpoint keep their series in these. Not thread-safe: its owner's lock guards it.
 */
public final class ExplicitBuckets {
  public final double[] bounds;
  public long[] counts;
  public long count;
  public double sum;
  public double min = Double.POSITIVE_INFINITY;
  public double max = Double.NEGATIVE_INFINITY;

  public ExplicitBuckets(double[] bounds) {
    this.bounds = bounds;
    this.counts = new long[bounds.length + 1];
  }

  /** A bucket holds the values above the previous bound, up to and including its own. */
  public void record(double value) {
    int i = Arrays.binarySearch(bounds, value);
    counts[i >= 0 ? i : -i - 1]++;
    count++;
    sum += value;
    min = Math.min(min, value);
    max = Math.max(max, value);
  }

  /** A stream's chunk gaps, bucket by bucket (their bounds are this histogram's). */
  public void add(io.tracelight.core.model.ChunkGaps gaps) {
    for (int i = 0; i < gaps.buckets(); i++) {
      long n = gaps.count(i);
      if (n == 0) {
        continue;
      }
      counts[i] += n;
      count += n;
      sum += gaps.seconds(i);
    }
    if (gaps.count() > 0) {
      min = Math.min(min, gaps.minSeconds());
      max = Math.max(max, gaps.maxSeconds());
    }
  }

  public void reset() {
    counts = new long[bounds.length + 1];
    count = 0;
    sum = 0;
    min = Double.POSITIVE_INFINITY;
    max = Double.NEGATIVE_INFINITY;
  }
}
