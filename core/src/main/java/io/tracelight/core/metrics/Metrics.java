package io.tracelight.core.metrics;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per (provider, request model, operation) statistics of every decoded call, before sampling.
 * {@link #record} is called by the pipeline thread only; {@link #all} by any thread.
 */
public final class Metrics {
  private final ConcurrentHashMap<String, ModelStats> stats = new ConcurrentHashMap<>();

  public void record(AiCall call) {
    String requestModel = call.get(Keys.REQUEST_MODEL);
    String responseModel = call.get(Keys.RESPONSE_MODEL);
    String model = requestModel != null ? requestModel : responseModel != null ? responseModel : "unknown";
    String provider = call.get(Keys.PROVIDER);
    String operation = call.get(Keys.OPERATION);
    String key = provider + '\u0000' + model + '\u0000' + operation;
    ModelStats s = stats.get(key);
    if (s == null) {
      ModelStats made = new ModelStats(provider, model, operation);
      ModelStats raced = stats.putIfAbsent(key, made);
      s = raced != null ? raced : made;
    }
    s.calls.increment();
    if (call.error) {
      s.errors.increment();
    }
    s.durationMicros.recordValue(Math.max(0, call.durationNanos / 1000));
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
        return c != 0 ? c : a.operation.compareTo(b.operation);
      }
    });
    return list;
  }
}
