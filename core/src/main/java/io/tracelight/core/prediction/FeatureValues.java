package io.tracelight.core.prediction;

import java.util.Arrays;

/**
 * The numeric input features of one prediction call, row by row, when
 * {@code tracelight.capture.features=true}: at most {@value #MAX_FEATURES} features (by name, in
 * order of first appearance) and {@value #MAX_VALUES} values per feature. Filled by one thread (an
 * advice copying a runtime's inputs, or a decoder reading a request), then read by the pipeline
 * thread into the model's {@code FeatureSketches}; never exported.
 */
public final class FeatureValues {
  public static final int MAX_FEATURES = 64;
  public static final int MAX_VALUES = 4096;
  private static volatile boolean enabled;

  private String[] names = new String[4];
  private double[][] values = new double[4][];
  private int[] counts = new int[4];
  private int features;

  /** Whether feature capture is on ({@code tracelight.capture.features}); one volatile read. */
  public static boolean enabled() {
    return enabled;
  }

  /** Set once by the agent at start. */
  public static void enable(boolean on) {
    enabled = on;
  }

  /** One value of a feature; NaN and infinities are skipped, and so is a feature past the bound. */
  public void add(String feature, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value) || feature == null) {
      return;
    }
    int i = indexOf(feature);
    if (i < 0) {
      return;
    }
    if (counts[i] == MAX_VALUES) {
      return;
    }
    double[] v = values[i];
    if (v == null) {
      v = values[i] = new double[8];
    } else if (counts[i] == v.length) {
      v = values[i] = Arrays.copyOf(v, Math.min(v.length * 2, MAX_VALUES));
    }
    v[counts[i]++] = value;
  }

  private int indexOf(String feature) {
    for (int i = 0; i < features; i++) {
      if (names[i].equals(feature)) {
        return i;
      }
    }
    if (features == MAX_FEATURES) {
      return -1;
    }
    if (features == names.length) {
      names = Arrays.copyOf(names, features * 2);
      values = Arrays.copyOf(values, features * 2);
      counts = Arrays.copyOf(counts, features * 2);
    }
    names[features] = feature;
    return features++;
  }

  /**
   * A tensor's elements as features: {@code name[j]} for the columns of a {@code [rows, columns]}
   * tensor, {@code name} for a {@code [rows]} one; other ranks are skipped.
   */
  public void addTensor(Tensor t) {
    if (t.numbers == null || t.shape == null || t.shape.length == 0 || t.shape.length > 2) {
      return;
    }
    long width = t.shape.length == 1 ? 1 : t.shape[1];
    if (width <= 0) {
      return;
    }
    for (int i = 0; i < t.numberCount; i++) {
      add(width == 1 ? t.name : t.name + "[" + (i % width) + "]", t.numbers[i]);
    }
  }

  public int features() {
    return features;
  }

  public String name(int feature) {
    return names[feature];
  }

  public int count(int feature) {
    return counts[feature];
  }

  public double value(int feature, int index) {
    return values[feature][index];
  }
}
