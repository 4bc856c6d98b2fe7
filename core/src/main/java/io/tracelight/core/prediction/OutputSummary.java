package io.tracelight.core.prediction;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one prediction call's output looked like, row by row, without keeping the output: for a
 * classifier the class each row got, its top-1 probability and the entropy of its distribution;
 * for a regressor the values' mean, minimum and maximum. At most {@value #MAX_ROWS} rows are
 * summarised per call. One instance per call, filled by one thread (a decoder on the pipeline
 * thread, or an in-JVM record being turned into a call there).
 */
public final class OutputSummary {
  /** Rows summarised per call; a bigger batch is summarised by its first rows. */
  public static final int MAX_ROWS = 4096;
  private static final double LN2 = Math.log(2);

  private int rows;
  private int classified;
  private final Map<String, int[]> classCounts = new LinkedHashMap<>(); // in order of first appearance
  private String firstClass;
  private int scored;
  private double confidenceSum;
  private double confidenceMin = Double.POSITIVE_INFINITY;
  private int withEntropy;
  private double entropySum;
  private int valued;
  private double valueSum;
  private double valueMin = Double.POSITIVE_INFINITY;
  private double valueMax = Double.NEGATIVE_INFINITY;
  /** Rows by top-1 probability, in {@value #CONFIDENCE_BUCKETS} buckets of equal width; made on first use. */
  private int[] confidenceBuckets;
  public static final int CONFIDENCE_BUCKETS = 20;

  /** False once {@value #MAX_ROWS} rows were summarised: the caller can stop reading rows. */
  public boolean wantsMore() {
    return rows < MAX_ROWS;
  }

  public int rows() {
    return rows;
  }

  /**
   * A row of class probabilities (or scores), {@code count} of them from {@code offset}: the class
   * is {@code labels[argmax]}, or the index when there are no labels. Entropy is given only when
   * the row is a distribution (non-negative, summing to 1 within 1%).
   */
  public void probabilities(double[] values, int offset, int count, String[] labels) {
    probabilities(values, offset, count, labels, null);
  }

  /**
   * As {@link #probabilities(double[], int, int, String[])}, with the class the model itself named
   * for this row ({@code rowLabel}, e.g. a label output beside a probability output), which wins.
   */
  public void probabilities(double[] values, int offset, int count, String[] labels, String rowLabel) {
    if (!wantsMore() || count <= 0) {
      return;
    }
    int best = 0;
    double sum = 0;
    boolean distribution = true;
    for (int i = 0; i < count; i++) {
      double v = values[offset + i];
      if (v > values[offset + best]) {
        best = i;
      }
      if (!(v >= 0)) {
        distribution = false; // negative, or NaN
      }
      sum += v;
    }
    distribution &= Math.abs(sum - 1) <= 0.01;
    double entropy = Double.NaN;
    if (distribution && count > 1) {
      entropy = 0;
      for (int i = 0; i < count; i++) {
        double p = values[offset + i] / sum;
        if (p > 0) {
          entropy -= p * Math.log(p);
        }
      }
      entropy /= LN2;
    }
    String label = rowLabel != null ? rowLabel
        : labels != null && best < labels.length ? labels[best] : Integer.toString(best);
    row(label, distribution ? values[offset + best] : Double.NaN, entropy);
  }

  /** A row whose class the model named, with its probability when known (else NaN). */
  public void label(String label, double confidence) {
    if (wantsMore() && label != null) {
      row(label, confidence, Double.NaN);
    }
  }

  /**
   * A row with its class, its top-1 probability (NaN when unknown) and the entropy of its
   * distribution in bits (NaN when unknown).
   */
  public void row(String label, double confidence, double entropy) {
    if (!wantsMore() || label == null) {
      return; // no class (a map of NaN scores): not a row a class can be counted for
    }
    rows++;
    classified++;
    if (firstClass == null) {
      firstClass = label;
    }
    int[] n = classCounts.get(label);
    if (n == null) {
      if (classCounts.size() < 256) { // labels beyond are rows without a counted class
        classCounts.put(label, new int[] {1});
      }
    } else {
      n[0]++;
    }
    if (!Double.isNaN(confidence)) {
      if (confidenceBuckets == null) {
        confidenceBuckets = new int[CONFIDENCE_BUCKETS];
      }
      confidenceBuckets[confidenceBucket(confidence)]++;
      scored++;
      confidenceSum += confidence;
      confidenceMin = Math.min(confidenceMin, confidence);
    }
    if (!Double.isNaN(entropy)) {
      withEntropy++;
      entropySum += entropy;
    }
  }

  /** A regressor's row. */
  public void value(double v) {
    if (!wantsMore() || Double.isNaN(v)) {
      return;
    }
    rows++;
    valued++;
    valueSum += v;
    valueMin = Math.min(valueMin, v);
    valueMax = Math.max(valueMax, v);
  }

  /** The bucket of a probability: 0 for [0, 0.05), ..., 19 for [0.95, 1]; values outside are clamped. */
  public static int confidenceBucket(double confidence) {
    int b = (int) (confidence * CONFIDENCE_BUCKETS);
    return b < 0 ? 0 : b >= CONFIDENCE_BUCKETS ? CONFIDENCE_BUCKETS - 1 : b;
  }

  /** Rows per confidence bucket (see {@link #confidenceBucket}), or null when no row had one. Shared. */
  public int[] confidenceBuckets() {
    return confidenceBuckets;
  }

  /** The sum of the rows' top-1 probabilities (over the rows that had one). */
  public double confidenceSum() {
    return confidenceSum;
  }

  /** Regressor rows: how many, their sum, minimum and maximum. */
  public int values() {
    return valued;
  }

  public double valueSum() {
    return valueSum;
  }

  public double valueMin() {
    return valueMin;
  }

  public double valueMax() {
    return valueMax;
  }

  /** The class predicted most often (of those tied, the first to appear), or null. */
  public String topClass() {
    String top = null;
    int topCount = 0;
    for (Map.Entry<String, int[]> e : classCounts.entrySet()) {
      if (e.getValue()[0] > topCount) {
        top = e.getKey();
        topCount = e.getValue()[0];
      }
    }
    return top != null ? top : firstClass;
  }

  /** Each class and how many rows got it (at most 256 classes). Shared, not a copy. */
  public Map<String, int[]> classCounts() {
    return classCounts;
  }

  /** Sets the call's {@code ai.prediction.*} attributes; nothing when no row was summarised. */
  public void writeTo(AiCall call) {
    if (rows == 0) {
      return;
    }
    call.set(Keys.PREDICTED_ROWS, (long) rows);
    if (classified > 0) {
      call.setIfAbsent(Keys.MODEL_FUNCTION, "classification");
      call.set(Keys.PREDICTED_CLASS, topClass());
    }
    if (scored > 0) {
      call.set(Keys.PREDICTED_CONFIDENCE, confidenceSum / scored);
      if (scored > 1) {
        call.set(Keys.PREDICTED_CONFIDENCE_MIN, confidenceMin);
      }
    }
    if (withEntropy > 0) {
      call.set(Keys.PREDICTED_ENTROPY, entropySum / withEntropy);
    }
    if (valued > 0) {
      call.setIfAbsent(Keys.MODEL_FUNCTION, "regression");
      call.set(Keys.PREDICTED_VALUE, valueSum / valued);
      if (valued > 1) {
        call.set(Keys.PREDICTED_VALUE_MIN, valueMin);
        call.set(Keys.PREDICTED_VALUE_MAX, valueMax);
      }
    }
  }
}
