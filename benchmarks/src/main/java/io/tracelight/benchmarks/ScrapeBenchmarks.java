package io.tracelight.benchmarks;

import io.tracelight.core.alert.Alert;
import io.tracelight.core.http.PrometheusFormat;
import io.tracelight.core.metrics.LiveMetrics;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a Prometheus scrape of {@code /metrics} costs the agent: rendering the body for a registry
 * of {@code series} label sets, each with calls in the last minutes (so the window quantiles are
 * computed too), in the text format and in OpenMetrics; and what recording a call into the
 * registry costs the pipeline thread. {@code series} 100 is a busy application; 200 is the default
 * bound reached (a flood of model names folded into {@code other}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScrapeBenchmarks {
  @Param({"100", "200"})
  public int series;

  private LiveMetrics live;
  private AiCall call;
  private long now;
  private final PrometheusFormat.Health health = new PrometheusFormat.Health() {
    @Override
    public long droppedCalls() {
      return 0;
    }

    @Override
    public long internalErrors() {
      return 0;
    }

    @Override
    public long queueDepth() {
      return 0;
    }

    @Override
    public long bytesInFlight() {
      return 0;
    }

    @Override
    public List<Alert> firing() {
      return Collections.emptyList();
    }
  };

  @Setup
  public void setUp() {
    now = System.nanoTime();
    live = new LiveMetrics(200, now);
    int models = series == 200 ? 1000 : series; // at the bound: a flood past it
    for (int i = 0; i < 20 * models; i++) {
      live.record(call("model-" + (i % models), 0.05 + (i % 97) / 100.0), now + (i % 5) * 60_000_000_000L / 5);
    }
    call = call("model-1", 0.4);
  }

  private static AiCall call(String model, double seconds) {
    AiCall c = new AiCall();
    c.durationNanos = (long) (seconds * 1e9);
    c.set(Keys.PROVIDER, "openai");
    c.set(Keys.REQUEST_MODEL, model);
    c.set(Keys.OPERATION, "chat");
    c.set(Keys.INPUT_TOKENS, 120L);
    c.set(Keys.OUTPUT_TOKENS, 80L);
    c.set(Keys.COST_USD, 0.0001);
    c.set(Keys.TIME_TO_FIRST_CHUNK, seconds / 4);
    return c;
  }

  @Benchmark
  public String scrapeText() {
    return PrometheusFormat.render(live, health, false, now);
  }

  @Benchmark
  public String scrapeOpenMetrics() {
    return PrometheusFormat.render(live, health, true, now);
  }

  /** The pipeline thread's cost per call of keeping the registry. */
  @Benchmark
  public LiveMetrics recordCall() {
    live.record(call, now);
    return live;
  }
}
