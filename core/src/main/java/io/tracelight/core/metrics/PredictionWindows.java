package io.tracelight.core.metrics;

import io.tracelight.core.prediction.OutputSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one model predicted, window by window: each window is {@code windowCalls} consecutive calls,
 * with the rows per predicted class (at most {@value #MAX_CLASSES} classes, the rest counted as
 * {@code other}), the rows per top-1 probability bucket and the regressed values' mean, minimum and
 * maximum. The first window (the reference a drift check compares with) and the last
 * {@value #RECENT} are kept, so memory stays bounded whatever the traffic.
 *
 * <p>Threads: {@link #record} is called by the pipeline thread; {@link #windows} by any thread.
 * Both hold this object's lock, which only the summary and exporters ever contend for.
 */
public final class PredictionWindows {
  static final int MAX_CLASSES = 32;
  static final int RECENT = 8;
  public static final String OTHER = "other";

  /** One window's counts. Immutable once {@link PredictionWindows#windows} has copied it. */
  public static final class Window {
    /** 1 for the first window. */
    public final long index;
    public long calls;
    public long rows;
    /** Rows per predicted class, in the order the classes first appeared. */
    public final Map<String, Long> classes = new LinkedHashMap<>();
    /** Rows per top-1 probability bucket of width 1/{@value OutputSummary#CONFIDENCE_BUCKETS}. */
    public final long[] confidence = new long[OutputSummary.CONFIDENCE_BUCKETS];
    /** The sum of the rows' top-1 probabilities, for their mean. */
    public double confidenceSum;
    public long values;
    public double valueSum;
    public double valueMin = Double.POSITIVE_INFINITY;
    public double valueMax = Double.NEGATIVE_INFINITY;

    Window(long index) {
      this.index = index;
    }

    Window copy() {
      Window w = new Window(index);
      w.calls = calls;
      w.rows = rows;
      w.classes.putAll(classes);
      System.arraycopy(confidence, 0, w.confidence, 0, confidence.length);
      w.confidenceSum = confidenceSum;
      w.values = values;
      w.valueSum = valueSum;
      w.valueMin = valueMin;
      w.valueMax = valueMax;
      return w;
    }

    public long confidenceRows() {
      long n = 0;
      for (long c : confidence) {
        n += c;
      }
      return n;
    }

    /** The top-1 probability below which {@code percent} of the rows fall, as a bucket's upper edge. */
    public double confidencePercentile(double percent) {
      long total = confidenceRows();
      long seen = 0;
      for (int i = 0; i < confidence.length; i++) {
        seen += confidence[i];
        if (total > 0 && seen * 100.0 >= percent * total) {
          return (i + 1) / (double) confidence.length;
        }
      }
      return Double.NaN;
    }
  }

  private final long windowCalls;
  private Window first;
  private final Window[] recent = new Window[RECENT];
  private Window current;
  private long windowsStarted;

  PredictionWindows(long windowCalls) {
    this.windowCalls = windowCalls;
  }

  synchronized void record(OutputSummary output) {
    if (current == null || current.calls >= windowCalls) {
      current = new Window(++windowsStarted);
      if (first == null) {
        first = current;
      } else {
        recent[(int) ((current.index - 2) % RECENT)] = current; // the first is kept apart
      }
    }
    Window w = current;
    w.calls++;
    if (output == null) {
      return;
    }
    w.rows += output.rows();
    for (Map.Entry<String, int[]> e : output.classCounts().entrySet()) {
      String label = e.getKey();
      if (!w.classes.containsKey(label) && w.classes.size() >= MAX_CLASSES) {
        label = OTHER;
      }
      Long had = w.classes.get(label);
      w.classes.put(label, (had == null ? 0 : had) + e.getValue()[0]);
    }
    int[] buckets = output.confidenceBuckets();
    if (buckets != null) {
      for (int i = 0; i < buckets.length; i++) {
        w.confidence[i] += buckets[i];
      }
      w.confidenceSum += output.confidenceSum();
    }
    if (output.values() > 0) {
      w.values += output.values();
      w.valueSum += output.valueSum();
      w.valueMin = Math.min(w.valueMin, output.valueMin());
      w.valueMax = Math.max(w.valueMax, output.valueMax());
    }
  }

  /** Copies of the windows kept, oldest first: the first window, then the most recent ones. */
  public synchronized List<Window> windows() {
    if (first == null) {
      return Collections.emptyList();
    }
    List<Window> list = new ArrayList<>(RECENT + 1);
    list.add(first.copy());
    long oldest = Math.max(2, windowsStarted - RECENT + 1);
    for (long i = oldest; i <= windowsStarted; i++) {
      list.add(recent[(int) ((i - 2) % RECENT)].copy());
    }
    return list;
  }

  public long windowCalls() {
    return windowCalls;
  }
}
