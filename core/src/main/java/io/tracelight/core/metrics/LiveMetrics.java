package io.tracelight.core.metrics;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * What the agent's {@code /metrics} endpoint and live page serve: per label set (provider, model,
 * operation, status, model version, deployment label) the semantic conventions' histograms
 * (duration, time to first chunk, token usage), counters of calls, tokens, cost and answer flags,
 * and the latency's and time to first chunk's quantiles over the current minute and the ones before
 * it, {@value #WINDOW_MINUTES} in all (HdrHistograms of one minute each, reused as the window slides). Every call counts, before
 * sampling. At most {@code maxSeries} label sets: a call of a new one past the bound counts under
 * {@code other} for provider, model, version and label, and the fold is counted; memory is fixed by
 * the bound: about 1 KB per label set, plus the window's histograms once it had calls (six per
 * signal: a minute each and their sum, about 9 KB each for calls up to 30 s; reset, not freed, as
 * the window moves).
 *
 * <p>Threads: {@link #record} by the pipeline thread, the readers ({@link #series}, {@link #folded},
 * the {@code Series} fields) by the HTTP server's thread holding this object's lock; a scrape a few
 * times a minute contends with nothing.
 */
public final class LiveMetrics {
  /** The label names, in order, as the OpenTelemetry Collector's Prometheus exporter names the OTLP attributes. */
  public static final String[] LABELS = {"gen_ai_provider_name", "gen_ai_request_model", "gen_ai_operation_name",
      "ai_status", "ai_model_version", "ai_deployment"};
  public static final String OTHER = "other";
  public static final int WINDOW_MINUTES = 5;
  static final long SLICE_NANOS = 60_000_000_000L;
  /** The window histograms' range and precision: microseconds up to an hour, two significant digits. */
  private static final long MAX_MICROS = 3_600_000_000L;
  public static final double[] QUANTILES = {0.5, 0.9, 0.95, 0.99, 0.999};

  /** One label set's numbers. Read under the registry's lock. */
  public static final class Series {
    public final String[] labels;
    public final boolean prediction;
    public final ExplicitBuckets duration;
    public final ExplicitBuckets firstChunk = new ExplicitBuckets(GenAiMetrics.SECONDS_BOUNDS);
    public final ExplicitBuckets inputTokens = new ExplicitBuckets(GenAiMetrics.TOKEN_BOUNDS);
    public final ExplicitBuckets outputTokens = new ExplicitBuckets(GenAiMetrics.TOKEN_BOUNDS);
    public long calls;
    public double cost;
    public boolean priced;
    public final long[] flagged = new long[ModelStats.QUALITY_FLAGS.length];
    final Window durationWindow = new Window();
    final Window firstChunkWindow = new Window();

    Series(String[] labels, boolean prediction) {
      this.labels = labels;
      this.prediction = prediction;
      this.duration = new ExplicitBuckets(prediction ? GenAiMetrics.PREDICTION_SECONDS_BOUNDS : GenAiMetrics.SECONDS_BOUNDS);
    }
  }

  /** Quantiles of the last minutes: a histogram per minute, allocated when a value comes, reset when reused. */
  static final class Window {
    private final AbstractHistogram[] slices = new AbstractHistogram[WINDOW_MINUTES];
    private final long[] sliceMinute = {-10, -10, -10, -10, -10}; // no minute yet
    /** The live slices added up, kept as they come and go, so a scrape reads quantiles without merging. */
    private AbstractHistogram sum;
    /** Per minute slice: tokens (input and output) and cost, for the live page's rates. */
    private final long[] tokens = new long[WINDOW_MINUTES];
    private final double[] cost = new double[WINDOW_MINUTES];

    void record(long minute, double seconds) {
      int i = slot(minute);
      AbstractHistogram h = slices[i];
      if (h == null) {
        h = new IntCountsHistogram(2); // grows to the values that come: ~9 KB for calls up to 30 s
        slices[i] = h;
        if (sum == null) {
          sum = new IntCountsHistogram(2);
        }
      }
      long micros = Math.max(0, Math.min(MAX_MICROS, (long) (seconds * 1e6)));
      h.recordValue(micros);
      sum.recordValue(micros);
    }

    void spend(long minute, long callTokens, double callCost) {
      int i = slot(minute);
      tokens[i] += callTokens;
      cost[i] += callCost;
    }

    /** The slot of {@code minute}, emptied when it last held an older minute. */
    private int slot(long minute) {
      int i = (int) (minute % WINDOW_MINUTES);
      if (sliceMinute[i] != minute) {
        empty(i);
        sliceMinute[i] = minute;
      }
      return i;
    }

    private void empty(int i) {
      AbstractHistogram h = slices[i];
      if (h != null && h.getTotalCount() > 0) {
        sum.subtract(h);
        h.reset();
      }
      tokens[i] = 0;
      cost[i] = 0;
    }

    /** Empties the slices of minutes that left the window ending at {@code minute} (no call came to reuse them). */
    private void expire(long minute) {
      for (int i = 0; i < WINDOW_MINUTES; i++) {
        if (minute - sliceMinute[i] >= WINDOW_MINUTES && sliceMinute[i] >= 0) {
          empty(i);
          sliceMinute[i] = -10;
        }
      }
    }

    /** Tokens and cost in the window ending at {@code minute}: {@code [tokens, cost]}. */
    double[] spent(long minute) {
      expire(minute);
      double[] out = new double[2];
      for (int i = 0; i < WINDOW_MINUTES; i++) {
        out[0] += tokens[i];
        out[1] += cost[i];
      }
      return out;
    }

    /** One minute's histogram, or null when that minute had no value (or is out of the window). */
    AbstractHistogram minute(long minute) {
      if (minute < 0) {
        return null; // before the agent started (the chart's first minutes)
      }
      int i = (int) (minute % WINDOW_MINUTES);
      AbstractHistogram h = slices[i];
      return h != null && sliceMinute[i] == minute && h.getTotalCount() > 0 ? h : null;
    }

    /** The values of the window ending at {@code minute}; null when there are none. Not to be changed. */
    AbstractHistogram window(long minute) {
      expire(minute);
      return sum == null || sum.getTotalCount() == 0 ? null : sum;
    }
  }

  /** One of the latest calls, as the live page lists them: metadata only, never text. Immutable. */
  public static final class Latest {
    public final long startEpochNanos;
    public final Series series;
    public final long durationNanos;
    public final Long inputTokens;
    public final Long outputTokens;
    public final Double cost;
    public final boolean refusal;

    Latest(long startEpochNanos, Series series, long durationNanos, Long inputTokens, Long outputTokens, Double cost,
        boolean refusal) {
      this.startEpochNanos = startEpochNanos;
      this.series = series;
      this.durationNanos = durationNanos;
      this.inputTokens = inputTokens;
      this.outputTokens = outputTokens;
      this.cost = cost;
      this.refusal = refusal;
    }
  }

  public static final int LATEST = 20;
  private final Latest[] latest = new Latest[LATEST];
  private int latestNext;
  private final int maxSeries;
  private final Map<List<String>, Series> series = new LinkedHashMap<>();
  private long folded;
  private final long startNanos;

  public LiveMetrics(int maxSeries, long startNanos) {
    this.maxSeries = Math.max(1, maxSeries);
    this.startNanos = startNanos;
  }

  /** One finished call (before sampling); {@code nowNanos} its end on the {@code System.nanoTime} clock. */
  public synchronized void record(AiCall call, long nowNanos) {
    boolean prediction = Keys.isPrediction(call);
    String[] labels = {
        prediction ? call.get(Keys.MODEL_RUNTIME) : call.get(Keys.PROVIDER),
        prediction ? call.get(Keys.MODEL_NAME) : model(call),
        prediction ? call.get(Keys.PREDICT_OPERATION) : call.get(Keys.OPERATION),
        call.error ? "error" : "ok",
        call.get(Keys.MODEL_VERSION),
        call.get(Keys.DEPLOYMENT)};
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] == null) {
        labels[i] = "";
      }
    }
    List<String> key = Arrays.asList(labels);
    Series s = series.get(key);
    if (s == null) {
      if (series.size() >= maxSeries) {
        folded++;
        labels = new String[] {OTHER, OTHER, labels[2], labels[3], OTHER, OTHER};
        key = Arrays.asList(labels);
        s = series.get(key);
      }
      if (s == null) { // the folded sets are allowed past the bound: at most one per operation and status
        s = new Series(labels, prediction);
        series.put(key, s);
      }
    }
    long minute = minute(nowNanos);
    double seconds = call.durationNanos / 1e9;
    s.calls++;
    s.duration.record(seconds);
    s.durationWindow.record(minute, seconds);
    Double firstChunk = call.get(Keys.TIME_TO_FIRST_CHUNK);
    if (firstChunk != null) {
      s.firstChunk.record(firstChunk);
      s.firstChunkWindow.record(minute, firstChunk);
    }
    Long input = call.get(Keys.INPUT_TOKENS);
    if (input != null) {
      s.inputTokens.record(input);
    }
    Long output = call.get(Keys.OUTPUT_TOKENS);
    if (output != null) {
      s.outputTokens.record(output);
    }
    Double cost = call.get(Keys.COST_USD);
    if (cost != null) {
      s.cost += cost;
      s.priced = true;
    }
    s.durationWindow.spend(minute, (input == null ? 0 : input) + (output == null ? 0 : output), cost == null ? 0 : cost);
    latest[latestNext] = new Latest(call.startEpochNanos, s, call.durationNanos, input, output, cost,
        Metrics.qualityFlag(call, 0));
    latestNext = (latestNext + 1) % latest.length;
    for (int i = 0; i < s.flagged.length; i++) {
      if (Metrics.qualityFlag(call, i)) {
        s.flagged[i]++;
      }
    }
  }

  private static String model(AiCall call) {
    String m = call.get(Keys.REQUEST_MODEL);
    return m != null ? m : call.get(Keys.RESPONSE_MODEL);
  }

  /** The label sets; the caller holds this object's lock while it reads them. */
  public Collection<Series> series() {
    return series.values();
  }

  /** The latest calls, newest first; under the lock. */
  public List<Latest> latest() {
    List<Latest> out = new java.util.ArrayList<>(LATEST);
    for (int i = 1; i <= LATEST; i++) {
      Latest l = latest[(latestNext - i + LATEST) % LATEST];
      if (l != null) {
        out.add(l);
      }
    }
    return out;
  }

  /** How long the window ending at {@code nowNanos} is: the minutes before the current one, and the current one so far. */
  public double windowSeconds(long nowNanos) {
    long elapsed = Math.max(0, nowNanos - startNanos);
    long intoMinute = elapsed % SLICE_NANOS;
    long span = Math.min(elapsed, (WINDOW_MINUTES - 1) * SLICE_NANOS + intoMinute);
    return Math.max(1e-3, span / 1e9);
  }

  /** The minute (since start) that {@code nowNanos} falls in. */
  public long minute(long nowNanos) {
    return Math.max(0, nowNanos - startNanos) / SLICE_NANOS;
  }

  /**
   * For a group of series (a model's), over the window: the latency's quantiles merged (seconds, as
   * {@link #QUANTILES}, then the count), or null with no call; under the lock.
   */
  public double[] mergedQuantiles(List<Series> group, boolean firstChunk, long nowNanos) {
    if (group.size() == 1) {
      AbstractHistogram one = (firstChunk ? group.get(0).firstChunkWindow : group.get(0).durationWindow)
          .window(minute(nowNanos));
      return one == null ? null : quantiles(one);
    }
    Histogram all = null;
    for (Series s : group) { // the live page: a few models, a few times a minute
      AbstractHistogram h = (firstChunk ? s.firstChunkWindow : s.durationWindow).window(minute(nowNanos));
      if (h != null) {
        if (all == null) {
          all = new Histogram(2);
        }
        all.add(h);
      }
    }
    return all == null ? null : quantiles(all);
  }

  /** A group's p50 and p95 latency per minute of the window, oldest first (NaN for a minute without calls). */
  public double[][] perMinute(List<Series> group, long nowNanos) {
    double[][] out = new double[WINDOW_MINUTES][];
    long now = minute(nowNanos);
    for (int m = 0; m < WINDOW_MINUTES; m++) {
      Histogram all = null;
      for (Series s : group) {
        AbstractHistogram h = s.durationWindow.minute(now - WINDOW_MINUTES + 1 + m);
        if (h != null) {
          if (all == null) {
            all = new Histogram(2);
          }
          all.add(h);
        }
      }
      out[m] = all == null ? new double[] {Double.NaN, Double.NaN}
          : new double[] {all.getValueAtPercentile(50) / 1e6, all.getValueAtPercentile(95) / 1e6};
    }
    return out;
  }

  /** A group's tokens and cost over the window: {@code [tokens, cost]}; under the lock. */
  public double[] spent(List<Series> group, long nowNanos) {
    double[] out = new double[2];
    for (Series s : group) {
      double[] one = s.durationWindow.spent(minute(nowNanos));
      out[0] += one[0];
      out[1] += one[1];
    }
    return out;
  }

  private static double[] quantiles(AbstractHistogram h) {
    double[] q = new double[QUANTILES.length + 1];
    for (int i = 0; i < QUANTILES.length; i++) {
      q[i] = h.getValueAtPercentile(QUANTILES[i] * 100) / 1e6;
    }
    q[QUANTILES.length] = h.getTotalCount();
    return q;
  }

  /** Calls counted under {@code other} because the label sets were at the bound. */
  public synchronized long folded() {
    return folded;
  }

  public int maxSeries() {
    return maxSeries;
  }

  /** The window's quantiles of a series' latency (or time to first chunk), in seconds; null with no value in it. Under the lock. */
  public double[] windowQuantiles(Series s, boolean firstChunk, long nowNanos) {
    AbstractHistogram h = (firstChunk ? s.firstChunkWindow : s.durationWindow).window(minute(nowNanos));
    return h == null ? null : quantiles(h);
  }

}
