package io.tracelight.core.metrics;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per (provider, request model, operation) statistics of every decoded call, before sampling; for
 * a prediction, per (runtime, model name, model version), with its {@link PredictionWindows}.
 * {@link #record} is called by the pipeline thread only; {@link #all} by any thread.
 */
public final class Metrics {
  /** Calls per prediction window when none is configured. */
  public static final long DEFAULT_WINDOW_CALLS = 1000;
  private final ConcurrentHashMap<String, ModelStats> stats = new ConcurrentHashMap<>();
  private final long windowCalls;

  public Metrics() {
    this(DEFAULT_WINDOW_CALLS);
  }

  /** @param windowCalls calls per window of each model's predicted classes and confidences */
  public Metrics(long windowCalls) {
    this.windowCalls = Math.max(1, windowCalls);
  }

  /** Counts the call; returns its model's stats (for the feedback stage to find them by call id). */
  public ModelStats record(AiCall call) {
    boolean prediction = Keys.isPrediction(call);
    String provider;
    String model;
    String version = null;
    String operation;
    if (prediction) {
      provider = orUnknown(call.get(Keys.MODEL_RUNTIME));
      model = orUnknown(call.get(Keys.MODEL_NAME));
      version = call.get(Keys.MODEL_VERSION);
      operation = call.get(Keys.PREDICT_OPERATION);
    } else {
      String requestModel = call.get(Keys.REQUEST_MODEL);
      String responseModel = call.get(Keys.RESPONSE_MODEL);
      model = requestModel != null ? requestModel : orUnknown(responseModel);
      provider = call.get(Keys.PROVIDER);
      operation = call.get(Keys.OPERATION);
    }
    String key = provider + '\u0000' + model + '\u0000' + operation + '\u0000' + version;
    ModelStats s = stats.get(key);
    if (s == null) {
      ModelStats made = new ModelStats(provider, model, version, operation,
          prediction ? new PredictionWindows(windowCalls) : null);
      ModelStats raced = stats.putIfAbsent(key, made);
      s = raced != null ? raced : made;
    }
    s.calls.increment();
    if (call.error) {
      s.errors.increment();
    }
    s.durationMicros.recordValue(Math.max(0, call.durationNanos / 1000));
    if (s.predictions != null) {
      s.predictions.record(call.outputSummary);
      if (call.features != null) {
        s.features.record(call.features);
      }
      return s;
    }
    if (call.costByType != null) {
      s.pricedCalls.increment();
      for (int i = 0; i < call.costByType.length; i++) {
        s.cost[i].add(call.costByType[i]);
      }
    } else if ("unknown_model".equals(call.get(Keys.COST_STATUS))) {
      s.unpricedCalls.increment();
    }
    for (int i = 0; i < ModelStats.QUALITY_FLAGS.length; i++) {
      if (qualityFlag(call, i)) {
        s.quality[i].increment();
      }
    }
    Double firstChunk = call.get(Keys.TIME_TO_FIRST_CHUNK);
    if (firstChunk != null) {
      s.firstChunkMicros.recordValue(Math.max(0, (long) (firstChunk * 1e6)));
    }
    Long input = call.get(Keys.INPUT_TOKENS);
    if (input != null) {
      s.inputTokens.add(input);
    }
    Long output = call.get(Keys.OUTPUT_TOKENS);
    if (output != null) {
      s.outputTokens.add(output);
    }
    return s;
  }

  /** Whether the call has the answer flag at {@code index} of {@link ModelStats#QUALITY_FLAGS}. */
  public static boolean qualityFlag(AiCall call, int index) {
    switch (index) {
      case 0:
        return Boolean.TRUE.equals(call.get(Keys.REFUSAL));
      case 1:
        return Boolean.TRUE.equals(call.get(Keys.OUTPUT_TRUNCATED));
      case 2:
        return Boolean.TRUE.equals(call.get(Keys.OUTPUT_EMPTY));
      case 3:
        return Boolean.TRUE.equals(call.get(Keys.OUTPUT_INVALID_JSON));
      case 4:
        return call.has(Keys.OUTPUT_INVALID_TOOL_CALLS);
      default:
        return call.has(Keys.SAFETY_FLAGS);
    }
  }

  private static String orUnknown(String value) {
    return value == null ? "unknown" : value;
  }

  /** Snapshot of the keys seen, ordered by provider, model, operation. */
  public List<ModelStats> all() {
    List<ModelStats> list = new ArrayList<>(stats.values());
    list.sort(new Comparator<ModelStats>() { // no lambdas in the agent: each costs start-up time
      @Override
      public int compare(ModelStats a, ModelStats b) {
        int c = a.provider.compareTo(b.provider);
        if (c == 0) {
          c = a.model.compareTo(b.model);
        }
        if (c == 0) {
          c = a.operation.compareTo(b.operation);
        }
        return c != 0 ? c : String.valueOf(a.version).compareTo(String.valueOf(b.version));
      }
    });
    return list;
  }
}
