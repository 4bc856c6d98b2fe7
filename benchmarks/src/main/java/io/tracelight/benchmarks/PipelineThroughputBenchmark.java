package io.tracelight.benchmarks;

import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.export.Exporter;
import io.tracelight.core.export.JsonlExporter;
import io.tracelight.core.metrics.Metrics;
import io.tracelight.core.pipeline.CallProcessor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the pipeline thread sustains on one core: decode, metrics and a JSONL line per call,
 * written to a real file. Operations per second are records per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PipelineThroughputBenchmark {
  private Path dir;
  private JsonlExporter jsonl;
  private CallProcessor processor;

  /** With the drift and feedback stages as the agent runs them by default, or without. */
  @Param({"true", "false"})
  public boolean drift;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("tracelight-bench");
    jsonl = JsonlExporter.open(dir);
    processor = new CallProcessor(new Metrics(), List.<Exporter>of(jsonl), new io.tracelight.core.protocol.ProviderHosts(""));
    if (drift) {
      io.tracelight.core.drift.DriftMonitor monitor = new io.tracelight.core.drift.DriftMonitor(
          io.tracelight.core.drift.DriftSettings.defaults(), new io.tracelight.core.alert.AlertBook(0));
      processor.drift(monitor);
      processor.feedback(new io.tracelight.core.feedback.FeedbackStage(null, monitor));
    }
    Payloads.install(ex -> { });
  }

  @Benchmark
  public void recordToJsonl() {
    Exchange ex = Payloads.wholeCall();
    processor.process(ex);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    processor.close();
    try (var files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }
}
