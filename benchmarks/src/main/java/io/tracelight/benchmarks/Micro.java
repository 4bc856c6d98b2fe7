package io.tracelight.benchmarks;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs the JMH benchmarks (one fork each, with the allocation profiler) and keeps the scores. */
final class Micro {
  /** One benchmark's outcome. */
  static final class Score {
    final double value;
    final double error;
    final String unit;
    final double allocBytesPerOp;

    Score(double value, double error, String unit, double allocBytesPerOp) {
      this.value = value;
      this.error = error;
      this.unit = unit;
      this.allocBytesPerOp = allocBytesPerOp;
    }
  }

  final Map<String, Score> scores = new LinkedHashMap<>();

  void run(boolean quick) throws Exception {
    Options options = new OptionsBuilder()
        .include(HotPathBenchmarks.class.getSimpleName())
        .include(PipelineThroughputBenchmark.class.getSimpleName())
        .include(PropagationBenchmarks.class.getSimpleName())
        .include(PrivacyBenchmarks.class.getSimpleName())
        .include(SignalBenchmarks.class.getSimpleName())
        .forks(1)
        .warmupIterations(quick ? 2 : 5)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(quick ? 3 : 5)
        .measurementTime(TimeValue.seconds(1))
        .jvmArgs("-Xms256m", "-Xmx256m")
        .addProfiler(GCProfiler.class)
        .build();
    Collection<RunResult> results = new Runner(options).run();
    for (RunResult r : results) {
      String name = r.getParams().getBenchmark();
      name = name.substring(name.lastIndexOf('.') + 1);
      for (String key : r.getParams().getParamsKeys()) { // a parameterised benchmark: one score per value
        name = name + " (" + key + "=" + r.getParams().getParam(key) + ")";
      }
      Result<?> primary = r.getPrimaryResult();
      Result<?> alloc = r.getSecondaryResults().get("gc.alloc.rate.norm");
      scores.put(name, new Score(primary.getScore(), primary.getScoreError(), primary.getScoreUnit(),
          alloc == null ? Double.NaN : alloc.getScore()));
    }
  }
}
