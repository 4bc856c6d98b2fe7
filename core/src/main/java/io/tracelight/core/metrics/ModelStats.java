package io.tracelight.core.metrics;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * Latency and token counts for one (provider, request model, operation); for a prediction, latency
 * and {@link PredictionWindows} for one (runtime, model, version, {@code predict}). Written by the pipeline
 * thread only (single-writer recorders: plain histograms, no atomic per bucket); read from any
 * thread, which folds interval snapshots into totals under this object's lock.
 */
public final class ModelStats {
  public final String provider;
  public final String model;
  public final String operation;
  /** The model version of a prediction, else null. */
  public final String version;
  /** Predicted classes and confidences window by window, for a prediction model; else null. */
  public final PredictionWindows predictions;
  /** Sketches of a prediction model's numeric input features (with feature capture on); else null. */
  public final FeatureSketches features;
  final SingleWriterRecorder durationMicros = new SingleWriterRecorder(3);
  final SingleWriterRecorder firstChunkMicros = new SingleWriterRecorder(3);
  final LongAdder calls = new LongAdder();
  final LongAdder errors = new LongAdder();
  final LongAdder inputTokens = new LongAdder();
  final LongAdder outputTokens = new LongAdder();
  /** USD by token type (input, output, cache read, cache write), of the calls that were priced. */
  final java.util.concurrent.atomic.DoubleAdder[] cost = {new java.util.concurrent.atomic.DoubleAdder(),
      new java.util.concurrent.atomic.DoubleAdder(), new java.util.concurrent.atomic.DoubleAdder(),
      new java.util.concurrent.atomic.DoubleAdder()};
  final LongAdder unpricedCalls = new LongAdder();
  /** Calls with each answer flag, in the order of {@link #QUALITY_FLAGS}. */
  final LongAdder[] quality = {new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(),
      new LongAdder()};
  /** The answer flags counted per model, as named in {@code summary.json} and the metrics. */
  public static final String[] QUALITY_FLAGS = {"refusal", "truncated", "empty", "invalid_json", "invalid_tool_calls",
      "safety_flagged"};
  final LongAdder pricedCalls = new LongAdder();
  private final Histogram durationTotal = new Histogram(3);
  private final Histogram firstChunkTotal = new Histogram(3);

  ModelStats(String provider, String model, String version, String operation, PredictionWindows predictions) {
    this.version = version;
    this.predictions = predictions;
    this.features = predictions == null ? null : new FeatureSketches();
    this.provider = provider;
    this.model = model;
    this.operation = operation;
  }

  /** Feedback on this model's calls ({@code Tracelight.feedback}), those accepted (score at least 0.5), outcomes reported. */
  final LongAdder feedback = new LongAdder();
  final LongAdder accepted = new LongAdder();
  final LongAdder outcomes = new LongAdder();

  /** Counts one feedback event on a call of this model; the pipeline thread. */
  public void feedback(boolean wasAccepted) {
    feedback.increment();
    if (wasAccepted) {
      accepted.increment();
    }
  }

  public void outcome() {
    outcomes.increment();
  }

  public long feedbackCount() {
    return feedback.sum();
  }

  public long acceptedCount() {
    return accepted.sum();
  }

  public long outcomeCount() {
    return outcomes.sum();
  }

  public long calls() {
    return calls.sum();
  }

  public long errors() {
    return errors.sum();
  }

  public long inputTokens() {
    return inputTokens.sum();
  }

  public long outputTokens() {
    return outputTokens.sum();
  }

  /** USD spent on the token type at {@code index} of {@code Pricing.TOKEN_TYPES}. */
  public double cost(int index) {
    return cost[index].sum();
  }

  public double costTotal() {
    double total = 0;
    for (java.util.concurrent.atomic.DoubleAdder a : cost) {
      total += a.sum();
    }
    return total;
  }

  /** Calls with the answer flag at {@code index} of {@link #QUALITY_FLAGS}. */
  public long quality(int index) {
    return quality[index].sum();
  }

  /** Calls that got a cost. */
  public long pricedCalls() {
    return pricedCalls.sum();
  }

  /** Calls with token counts but no price for their model. */
  public long unpricedCalls() {
    return unpricedCalls.sum();
  }

  /** Every duration recorded so far, in microseconds. */
  public synchronized Histogram durations() {
    durationTotal.add(durationMicros.getIntervalHistogram());
    return durationTotal.copy();
  }

  /** Every time to first chunk recorded so far, in microseconds. */
  public synchronized Histogram firstChunks() {
    firstChunkTotal.add(firstChunkMicros.getIntervalHistogram());
    return firstChunkTotal.copy();
  }
}
