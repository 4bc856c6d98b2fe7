package io.tracelight.core.metrics;

import io.tracelight.core.model.AiCall;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Per (provider, request model, operation) statistics of every decoded call, before sampling. */
public final class Metrics {
  private final ConcurrentHashMap<String, ModelStats> stats = new ConcurrentHashMap<>();

  public void record(AiCall call) {
    String model = call.requestModel != null ? call.requestModel
        : call.responseModel != null ? call.responseModel : "unknown";
    String key = call.provider + '\u0000' + model + '\u0000' + call.operation;
    ModelStats s = stats.get(key);
    if (s == null) {
      s = stats.computeIfAbsent(key, k -> new ModelStats(call.provider, model, call.operation));
    }
    s.calls.increment();
    if (call.error) {
      s.errors.increment();
    }
    s.durationMicros.recordValue(Math.max(0, call.durationNanos / 1000));
    if (call.timeToFirstChunkNanos >= 0) {
      s.firstChunkMicros.recordValue(call.timeToFirstChunkNanos / 1000);
    }
    if (call.inputTokens != null) {
      s.inputTokens.add(call.inputTokens);
    }
    if (call.outputTokens != null) {
      s.outputTokens.add(call.outputTokens);
    }
  }

  /** Snapshot of the keys seen, ordered by provider, model, operation. */
  public List<ModelStats> all() {
    List<ModelStats> list = new ArrayList<>(stats.values());
    list.sort(Comparator.comparing((ModelStats s) -> s.provider)
        .thenComparing(s -> s.model).thenComparing(s -> s.operation));
    return list;
  }
}
