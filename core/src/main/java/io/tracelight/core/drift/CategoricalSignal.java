package io.tracelight.core.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One categorical signal of one model (finish reason, response model, predicted class): counts per
 * category in the reference and in each slice of the current window. At most
 * {@value #MAX_CATEGORIES} categories are told apart; later ones share {@code other}.
 *
 * <p>Threads: the pipeline thread only.
 */
final class CategoricalSignal {
  static final int MAX_CATEGORIES = 16;
  static final String OTHER = "other";
  private final List<String> names = new ArrayList<>();
  private final long[] reference = new long[MAX_CATEGORIES + 1];
  private final long[][] slices = new long[Window.SLICES][MAX_CATEGORIES + 1];

  private int index(String category) {
    int i = names.indexOf(category);
    if (i >= 0) {
      return i;
    }
    if (names.size() < MAX_CATEGORIES) {
      names.add(category);
      return names.size() - 1;
    }
    return MAX_CATEGORIES;
  }

  void addReference(String category) {
    if (category != null) {
      reference[index(category)]++;
    }
  }

  void add(int slice, String category) {
    if (category != null) {
      slices[slice][index(category)]++;
    }
  }

  void clearSlice(int slice) {
    Arrays.fill(slices[slice], 0);
  }

  long[] reference() {
    return reference;
  }

  /** The categories told apart, in index order ({@code other} is the last count). */
  List<String> names() {
    return names;
  }

  /** A reference from a baseline file: the names and counts {@link #names} and {@link #reference} gave. */
  void restore(List<String> savedNames, long[] savedCounts) {
    if (savedNames.size() > MAX_CATEGORIES || savedCounts.length != MAX_CATEGORIES + 1) {
      throw new IllegalArgumentException("a categorical reference has at most " + MAX_CATEGORIES + " names and "
          + (MAX_CATEGORIES + 1) + " counts");
    }
    names.clear();
    names.addAll(savedNames);
    for (int i = 0; i < reference.length; i++) {
      reference[i] = Math.max(0, savedCounts[i]);
    }
  }

  long[] current() {
    long[] sum = new long[MAX_CATEGORIES + 1];
    for (long[] slice : slices) {
      for (int i = 0; i < sum.length; i++) {
        sum[i] += slice[i];
      }
    }
    return sum;
  }

  String name(int index) {
    return index < names.size() ? names.get(index) : OTHER;
  }

  /** The category whose share grew most from the reference to {@code current}, for the alert's text. */
  String mostGrown(long[] current) {
    long n = 0;
    long m = 0;
    for (int i = 0; i < reference.length; i++) {
      n += reference[i];
      m += current[i];
    }
    int best = -1;
    double grown = 0;
    for (int i = 0; i < reference.length; i++) {
      double g = (m == 0 ? 0 : current[i] / (double) m) - (n == 0 ? 0 : reference[i] / (double) n);
      if (g > grown) {
        grown = g;
        best = i;
      }
    }
    return best < 0 ? null : name(best);
  }
}
