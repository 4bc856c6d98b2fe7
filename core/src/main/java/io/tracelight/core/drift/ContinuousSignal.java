package io.tracelight.core.drift;

import java.util.Arrays;

/**
 * One numeric signal of one model (latency, output tokens, cost, ...): its reference distribution
 * as {@value #QUANTILES} quantile intervals of the reference calls' values, and the current window
 * as counts over the same intervals in {@link Window#SLICES} slices. While the reference fills,
 * its values are held in an array of at most the reference size; afterwards only the edges stay, so
 * memory is fixed whatever the traffic (about 1.5 KB).
 *
 * <p>Bins: 0 below the reference's minimum, 1 to {@value #QUANTILES} the quantile intervals
 * {@code [min, q1], (q1, q2], ... (q19, max]}, and the last above the maximum. Equal quantiles leave
 * intervals empty on both sides, so a constant reference still separates lower, equal and higher.
 *
 * <p>Threads: the pipeline thread only (its {@link ModelDrift} owns it).
 */
final class ContinuousSignal {
  static final int QUANTILES = 20;
  static final int BINS = QUANTILES + 2;

  /** Reference values while they are being collected (grown as they come, up to the reference's size); null once the edges are set. */
  private double[] collecting = new double[16];
  private int collected;
  private final int referenceCalls;
  /** {@code edges[0]} the minimum, {@code edges[i]} the i/20 quantile, {@code edges[20]} the maximum. */
  private double[] edges;
  private final long[] reference = new long[BINS];
  private long referenceValues;
  private double referenceMedian;
  private final long[][] slices = new long[Window.SLICES][BINS];
  /** Per slice: the sums of values below the minimum and above the maximum (for a median out there). */
  private final double[][] outsideSums = new double[Window.SLICES][2];

  ContinuousSignal(int referenceCalls) {
    this.referenceCalls = referenceCalls;
  }

  /** Adds a reference call's value; NaN for a call without one (infinities are left out too). */
  void addReference(double value) {
    if (!Double.isFinite(value) || collected >= referenceCalls) {
      return;
    }
    if (collected == collecting.length) {
      collecting = Arrays.copyOf(collecting, Math.min(referenceCalls, collecting.length * 2));
    }
    collecting[collected++] = value;
  }

  /** Ends the reference: sorts what came and keeps the edges and counts. */
  void closeReference() {
    double[] values = Arrays.copyOf(collecting, collected);
    collecting = null;
    referenceValues = values.length;
    if (values.length == 0) {
      return;
    }
    Arrays.sort(values);
    edges = new double[QUANTILES + 1];
    for (int i = 0; i <= QUANTILES; i++) {
      edges[i] = values[(int) ((long) i * (values.length - 1) / QUANTILES)];
    }
    for (double v : values) {
      reference[bin(v)]++;
    }
    referenceMedian = currentMedian(reference); // the window's estimator, so the two medians compare like with like
  }

  /** Whether the reference is still being collected. */
  boolean learning() {
    return collecting != null;
  }

  /** Reference values collected so far. */
  int collected() {
    return collected;
  }

  /** Whether the reference is made and holds values: what a baseline file keeps. */
  boolean hasReference() {
    return edges != null;
  }

  /** The reference's quantile edges (min, the 1/20 quantiles, max); null before it is made or when it got no value. */
  double[] edges() {
    return edges;
  }

  /** A reference from a baseline file: its edges and counts per interval, as {@link #edges} and {@link #reference} gave them. */
  void restore(double[] savedEdges, long[] savedCounts) {
    if (savedEdges.length != QUANTILES + 1 || savedCounts.length != BINS) {
      throw new IllegalArgumentException("a numeric reference needs " + (QUANTILES + 1) + " edges and " + BINS + " counts");
    }
    for (int i = 1; i < savedEdges.length; i++) {
      if (!(savedEdges[i] >= savedEdges[i - 1])) {
        throw new IllegalArgumentException("reference edges out of order");
      }
    }
    collecting = null;
    edges = savedEdges.clone();
    referenceValues = 0;
    for (int i = 0; i < BINS; i++) {
      reference[i] = Math.max(0, savedCounts[i]);
      referenceValues += reference[i];
    }
    referenceMedian = currentMedian(reference);
  }

  /** A reference without values (a baseline's signal that had none): stays without, as a closed empty one. */
  void restoreEmpty() {
    collecting = null;
  }

  /** Adds a monitored call's value to the slice; NaN for a call without one. */
  void add(int slice, double value) {
    if (edges == null || !Double.isFinite(value)) {
      return;
    }
    int bin = bin(value);
    slices[slice][bin]++;
    if (bin == 0) {
      outsideSums[slice][0] += value;
    } else if (bin == BINS - 1) {
      outsideSums[slice][1] += value;
    }
  }

  void clearSlice(int slice) {
    Arrays.fill(slices[slice], 0);
    outsideSums[slice][0] = 0;
    outsideSums[slice][1] = 0;
  }

  int bin(double value) {
    if (value < edges[0]) {
      return 0;
    }
    if (value > edges[QUANTILES]) {
      return BINS - 1;
    }
    int lo = 1;
    int hi = QUANTILES;
    while (lo < hi) { // the first interval whose upper edge is at least the value
      int mid = (lo + hi) >>> 1;
      if (edges[mid] >= value) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  long referenceValues() {
    return referenceValues;
  }

  /** The reference's median, estimated as the window's is (from the counts per interval). */
  double referenceMedian() {
    return referenceMedian;
  }

  /** The current window: the slices' counts added. */
  long[] current() {
    long[] sum = new long[BINS];
    for (long[] slice : slices) {
      for (int i = 0; i < BINS; i++) {
        sum[i] += slice[i];
      }
    }
    return sum;
  }

  long[] reference() {
    return reference;
  }

  /**
   * The current window's median, interpolated inside its interval; in a bin outside the reference's
   * range, the mean of the values there.
   */
  double currentMedian(long[] current) {
    long n = 0;
    for (long c : current) {
      n += c;
    }
    if (n == 0 || edges == null) {
      return Double.NaN;
    }
    double half = n / 2.0;
    long seen = 0;
    for (int i = 0; i < BINS; i++) {
      if (current[i] == 0) {
        continue;
      }
      if (seen + current[i] >= half) {
        if (i == 0 || i == BINS - 1) {
          double sum = 0;
          for (double[] s : outsideSums) {
            sum += s[i == 0 ? 0 : 1];
          }
          return sum / current[i];
        }
        double lower = edges[i - 1];
        double fraction = (half - seen) / current[i];
        return lower + fraction * (edges[i] - lower);
      }
      seen += current[i];
    }
    return edges[QUANTILES];
  }

  /** PSI over deciles: the quantile intervals paired, the two outside bins on their own. */
  double psi(long[] current) {
    int groups = QUANTILES / 2 + 2;
    long[] r = new long[groups];
    long[] c = new long[groups];
    for (int i = 0; i < BINS; i++) {
      int g = i == 0 ? 0 : i == BINS - 1 ? groups - 1 : (i + 1) / 2;
      r[g] += reference[i];
      c[g] += current[i];
    }
    return Statistics.psi(r, c);
  }
}
