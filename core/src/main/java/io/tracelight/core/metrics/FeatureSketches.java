package io.tracelight.core.metrics;

import io.tracelight.core.prediction.FeatureValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.DoubleHistogram;

/**
 * Per model, one bounded sketch of each numeric input feature (with {@code tracelight.capture.features}):
 * HdrHistogram {@link DoubleHistogram}s (2 significant digits, auto-ranging; one for the magnitudes of
 * negative values, one for the rest), plus the count, sum,
 * minimum and maximum; at most {@value FeatureValues#MAX_FEATURES} features, the values of others
 * counted as left out. Memory is bounded by features, not by traffic.
 *
 * <p>Threads: {@link #record} is called by the pipeline thread; {@link #snapshot} by any thread. Both
 * hold this object's lock.
 */
public final class FeatureSketches {
  /** One feature's numbers as {@link #snapshot} copies them. */
  public static final class Sketch {
    public final String name;
    public final long count;
    public final double mean;
    public final double min;
    public final double max;
    public final double p5;
    public final double p50;
    public final double p95;

    Sketch(String name, long count, double mean, double min, double max, double p5, double p50, double p95) {
      this.name = name;
      this.count = count;
      this.mean = mean;
      this.min = min;
      this.max = max;
      this.p5 = p5;
      this.p50 = p50;
      this.p95 = p95;
    }
  }

  /** A feature's values: negative ones' magnitudes and the rest in two histograms, made on first use. */
  private static final class Feature {
    DoubleHistogram negative;
    DoubleHistogram positive;
    long count;
    double sum;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;

    void record(double v) {
      if (v < 0) {
        if (negative == null) {
          negative = new DoubleHistogram(2);
        }
        negative.recordValue(-v);
      } else {
        if (positive == null) {
          positive = new DoubleHistogram(2);
        }
        positive.recordValue(v);
      }
    }

    /** The value below which {@code percent} of the recorded ones fall. */
    double percentile(double percent) {
      long neg = negative == null ? 0 : negative.getTotalCount();
      long pos = positive == null ? 0 : positive.getTotalCount();
      if (neg + pos == 0) {
        return Double.NaN;
      }
      double rank = percent / 100 * (neg + pos);
      if (rank <= neg && neg > 0) {
        return -negative.getValueAtPercentile(Math.max(0, 100 * (1 - rank / neg)));
      }
      return positive.getValueAtPercentile(Math.min(100, 100 * (rank - neg) / pos));
    }
  }

  private final Map<String, Feature> features = new LinkedHashMap<>();
  private long leftOut;

  synchronized void record(FeatureValues values) {
    for (int f = 0; f < values.features(); f++) {
      String name = values.name(f);
      Feature feature = features.get(name);
      if (feature == null) {
        if (features.size() >= FeatureValues.MAX_FEATURES) {
          leftOut += values.count(f);
          continue;
        }
        feature = new Feature();
        features.put(name, feature);
      }
      for (int i = 0; i < values.count(f); i++) {
        double v = values.value(f, i);
        feature.count++;
        feature.sum += v;
        feature.min = Math.min(feature.min, v);
        feature.max = Math.max(feature.max, v);
        try {
          feature.record(v);
        } catch (ArrayIndexOutOfBoundsException outOfRange) {
          leftOut++; // a value beyond the histogram's dynamic range: in count, min, max and mean only
        }
      }
    }
  }

  /** Every feature's numbers, in order of first appearance. */
  public synchronized List<Sketch> snapshot() {
    List<Sketch> out = new ArrayList<>(features.size());
    for (Map.Entry<String, Feature> e : features.entrySet()) {
      Feature f = e.getValue();
      out.add(new Sketch(e.getKey(), f.count, f.count == 0 ? Double.NaN : f.sum / f.count, f.min, f.max,
          f.percentile(5), f.percentile(50), f.percentile(95)));
    }
    return out;
  }

  /** Values not sketched: of features past the bound, or beyond the histogram's range. */
  public synchronized long leftOut() {
    return leftOut;
  }
}
