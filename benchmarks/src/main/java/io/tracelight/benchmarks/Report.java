package io.tracelight.benchmarks;

import io.tracelight.benchmarks.EndToEnd.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Locale;

/** Renders BENCHMARKS.md from one run: the targets, marked met or not, then every number. */
final class Report {
  private final Micro micro;
  private final EndToEnd e2e;
  private final InferenceBench inference;
  private final boolean quick;
  private final StringBuilder b = new StringBuilder();

  Report(Micro micro, EndToEnd e2e, InferenceBench inference, boolean quick) {
    this.inference = inference;
    this.micro = micro;
    this.e2e = e2e;
    this.quick = quick;
  }

  String render() throws Exception {
    b.append("# Benchmarks\n\n");
    b.append("Written by `benchmarks/run all").append(quick ? " --quick" : "")
        .append(e2e.baselineJar == null ? "" : " --baseline=" + e2e.baselineJar.getFileName())
        .append("` (see the README) on ").append(LocalDate.now()).append(".\n");
    b.append("Machine: ").append(e2e.cores).append(" cores, ")
        .append(cpuModel()).append(", ").append(memory()).append("; JDK ")
        .append(System.getProperty("java.vm.vendor")).append(' ').append(System.getProperty("java.runtime.version"))
        .append(" (").append(System.getProperty("java.vm.name")).append(").\n");
    if (quick) {
      b.append("\nQuick mode: fewer calls and repetitions; expect wide spreads.\n");
    }
    targets();
    endToEnd();
    extensionAndOtlp();
    baseline();
    startup();
    b.append(inference.render());
    microbenchmarks();
    method();
    findings();
    return b.toString();
  }

  private void targets() {
    b.append("\n## Targets\n\nA target on a difference is met only when the difference is resolved: the two modes' "
        + "repetition medians do not overlap and the difference is positive. Otherwise it reads *not resolved*.\n\n"
        + "| Target | Measured | Met |\n|---|---|---|\n");
    for (String c : List.of("okhttp-plain", "sdk-plain", "jdk-plain", "apache5-plain", "urlconn-plain", "reactor-plain")) {
      double ours = overhead(Mode.TRACELIGHT, c);
      double otel = overhead(Mode.OTEL, c);
      double cpu = overhead(Mode.TRACELIGHT, c, "cpu_us_per_call");
      double otelCpu = overhead(Mode.OTEL, c, "cpu_us_per_call");
      row("Per-call overhead on the app's side, non-streaming `" + c + "`, warm: at most 3 µs (judged on the calling "
              + "thread's CPU, the steadier figure)",
          fmt("calling thread's CPU %+.1f µs (OpenTelemetry agent: %+.1f µs); wall %+.1f µs (%+.1f µs)", cpu, otelCpu,
              ours, otel), verdict(resolved(c, "cpu_us_per_call"), cpu <= 3));
    }
    for (String c : List.of("okhttp-stream", "sdk-stream", "jdk-stream", "apache5-stream", "urlconn-stream", "reactor-stream")) {
      double ours = overhead(Mode.TRACELIGHT, c);
      double firstChunk = e2e.median(Mode.TRACELIGHT, c, "first_chunk_median_us")
          - e2e.median(Mode.NONE, c, "first_chunk_median_us");
      double cpu = overhead(Mode.TRACELIGHT, c, "cpu_us_per_call");
      row("Streaming `" + c + "`: at most 0.3 µs per chunk (" + chunks() + " chunks, calling thread's CPU) and no "
              + "measurable delay of the first chunk the app sees",
          fmt("calling thread's CPU %+.1f µs per call (%+.2f µs per chunk); wall %+.1f µs per call; first chunk %+.1f µs",
              cpu, cpu / chunks(), ours, firstChunk),
          verdict(resolved(c, "cpu_us_per_call"), cpu / chunks() <= 0.3 && !resolved(c, "first_chunk_median_us")));
    }
    double wall = startupOverhead(e2e.startupMillis, Mode.TRACELIGHT);
    double cpu = startupOverhead(e2e.startupCpuMillis, Mode.TRACELIGHT);
    row("Start-up of a hello-world app whose first statement is an AI call, every module enabled: at most +100 ms wall "
            + "and +150 ms CPU",
        fmt("wall %+.0f ms, CPU %+.0f ms (an agent that does nothing: %+.0f ms, %+.0f ms; one that only loads "
                + "Tracelight's classes, its code size's floor: %+.0f ms, %+.0f ms; OpenTelemetry agent: %+.0f ms, "
                + "%+.0f ms)", wall, cpu, startupOverhead(e2e.startupMillis, Mode.NOOP_AGENT),
            startupOverhead(e2e.startupCpuMillis, Mode.NOOP_AGENT), startupOverhead(e2e.startupMillis, Mode.CLASSES_ONLY),
            startupOverhead(e2e.startupCpuMillis, Mode.CLASSES_ONLY), startupOverhead(e2e.startupMillis, Mode.OTEL),
            startupOverhead(e2e.startupCpuMillis, Mode.OTEL)),
        verdict(startupResolved(e2e.startupMillis, Mode.TRACELIGHT, Mode.NONE)
            && startupResolved(e2e.startupCpuMillis, Mode.TRACELIGHT, Mode.NONE), wall <= 100 && cpu <= 150));
    double oneWall = startupOverhead(e2e.startupMillis, Mode.TRACELIGHT_ONE_MODULE);
    double oneCpu = startupOverhead(e2e.startupCpuMillis, Mode.TRACELIGHT_ONE_MODULE);
    boolean grows = startupResolved(e2e.startupMillis, Mode.TRACELIGHT, Mode.TRACELIGHT_ONE_MODULE)
        || startupResolved(e2e.startupCpuMillis, Mode.TRACELIGHT, Mode.TRACELIGHT_ONE_MODULE);
    row("Start-up does not grow with the number of modules: every module against `jdk-httpclient` alone",
        fmt("all modules: wall %+.0f ms, CPU %+.0f ms; one: %+.0f ms, %+.0f ms (difference %s)", wall, cpu, oneWall,
            oneCpu, grows ? "resolved" : "inside the spread between repetitions"),
        grows ? "**no**" : "not resolved (no difference measurable)");
    double rss = (e2e.median(Mode.TRACELIGHT, "process", "rss_kb") - e2e.median(Mode.NONE, "process", "rss_kb")) / 1024;
    double otelRss = (e2e.median(Mode.OTEL, "process", "rss_kb") - e2e.median(Mode.NONE, "process", "rss_kb")) / 1024;
    row("Peak RSS of the workload: at most +25 MB", fmt("%+.0f MB (OpenTelemetry agent: %+.0f MB)", rss, otelRss), rss <= 25);
    double heap = (e2e.median(Mode.TRACELIGHT_JSONL, "process", "heap_after_paced_kb")
        - e2e.median(Mode.NONE, "process", "heap_after_paced_kb")) / 1024;
    row("Heap retained by the agent at 1,000 calls/s: bounded (here: under 16 MB) and reported",
        fmt("%+.1f MB after 5 s at 1,000 calls/s and a GC (OpenTelemetry agent: %+.1f MB)", heap,
            (e2e.median(Mode.OTEL, "process", "heap_after_paced_kb") - e2e.median(Mode.NONE, "process", "heap_after_paced_kb")) / 1024),
        heap < 16);
    Micro.Score whole = micro.scores.get("appThreadWholeCall");
    row("Allocation per recorded call on the application's thread (reported)",
        whole == null ? "not measured" : fmt("%.0f bytes/call (JMH, `appThreadWholeCall`)", whole.allocBytesPerOp), true);
    Micro.Score pipeline = micro.scores.get("recordToJsonl");
    row("Pipeline on one core, JSONL: at least 50,000 records/s",
        pipeline == null ? "not measured" : fmt("%,.0f records/s", pipeline.value), pipeline != null && pipeline.value >= 50_000);
    b.append("\nRecords equal calls at 100% capture is asserted by the test suite (`HttpClientSmokeTest`, "
        + "`FaultSmokeTest`), not measured here.\n");
  }

  private void endToEnd() {
    b.append("\n## End to end\n\n");
    b.append(fmt("Each mode ran the workload in its own JVM (`-Xms256m -Xmx256m`), %d repetitions interleaved; "
        + "each repetition makes %d warm-up calls then times %d calls per case, one after another on one thread, "
        + "against the loopback mock server. Medians over repetitions; the spread is the lowest and highest "
        + "repetition's median. The mock server spent %.1f µs per call on average, delays included. %s%n%n",
        e2e.repetitions, e2e.warmup, e2e.calls, e2e.serverMicrosPerCall,
        "Server and measured JVMs shared all cores (none is pinned: a JVM pinned to one core fights its own JIT, GC and "
            + "agent threads for it). The calling thread's CPU time per call (`ThreadMXBean`) is the steadier measure on a "
            + "busy machine: it counts the app thread's own work, not its waits."));
    b.append("| Case | Mode | Median per call | Spread | Overhead | Calling thread's CPU per call | CPU overhead | p99 | Calls/s "
        + "| Allocated on the calling thread |\n");
    b.append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (String c : EndToEnd.CASES) {
      for (Mode m : e2e.modes()) {
        List<Double> medians = e2e.values(m, c, "median_us");
        if (medians.isEmpty()) {
          continue;
        }
        List<Double> cpu = e2e.values(m, c, "cpu_us_per_call");
        b.append(fmt("| `%s` | %s | %.1f µs | %.1f–%.1f | %s | %.1f µs (%.1f–%.1f) | %s | %.1f µs | %,.0f | %,.0f B/call |%n",
            c, m.label, e2e.median(m, c, "median_us"), Stats.min(medians), Stats.max(medians),
            m == Mode.NONE ? "" : fmt("%+.1f µs", overhead(m, c)), Stats.median(cpu), Stats.min(cpu), Stats.max(cpu),
            m == Mode.NONE ? "" : fmt("%+.1f µs", overhead(m, c, "cpu_us_per_call")), e2e.median(m, c, "p99_us"),
            e2e.median(m, c, "calls_per_s"), e2e.median(m, c, "alloc_bytes_per_call")));
      }
    }
  }

  /** Extension mode's cost over the OpenTelemetry agent alone, and OTLP export's over none. */
  private void extensionAndOtlp() {
    b.append("\n## Extension mode and OTLP export\n\n");
    b.append(fmt("Per call, the OpenTelemetry agent with the Tracelight extension minus the agent alone (both "
        + "exporters none: the extension's spans go to the agent's pipeline, which drops them), and Tracelight "
        + "with OTLP export on minus Tracelight exporting nowhere (the receiver got %,d requests, %,d bytes). "
        + "Medians over repetitions; a difference inside the spreads is noise.%n%n",
        e2e.receiver.requests.get(), e2e.receiver.bytes.get()));
    b.append("| Case | Extension − agent alone, wall | CPU | OTLP on − exported nowhere, wall | CPU |\n"
        + "|---|---|---|---|---|\n");
    for (String c : EndToEnd.CASES) {
      if (e2e.values(Mode.OTEL_TRACELIGHT, c, "median_us").isEmpty()) {
        continue;
      }
      b.append(fmt("| `%s` | %s | %+.1f µs | %s | %+.1f µs |%n", c,
          difference(Mode.OTEL_TRACELIGHT, Mode.OTEL, c),
          e2e.median(Mode.OTEL_TRACELIGHT, c, "cpu_us_per_call") - e2e.median(Mode.OTEL, c, "cpu_us_per_call"),
          difference(Mode.TRACELIGHT_OTLP, Mode.TRACELIGHT, c),
          e2e.median(Mode.TRACELIGHT_OTLP, c, "cpu_us_per_call") - e2e.median(Mode.TRACELIGHT, c, "cpu_us_per_call")));
    }
  }

  /** The wall-time median difference, with both modes' spreads. */
  private String difference(Mode a, Mode base, String c) {
    List<Double> x = e2e.values(a, c, "median_us");
    List<Double> y = e2e.values(base, c, "median_us");
    return fmt("%+.1f µs (%.1f–%.1f; %.1f–%.1f)", e2e.median(a, c, "median_us") - e2e.median(base, c, "median_us"),
        Stats.min(x), Stats.max(x), Stats.min(y), Stats.max(y));
  }

  /** What the change from the baseline build costs, per case: this build minus the baseline. */
  private void baseline() {
    if (e2e.baselineJar == null) {
      return;
    }
    b.append("\n## Against the baseline build\n\n");
    b.append("The same runs with another build of the agent (`--baseline`), exporters none in both. A difference "
        + "inside the two builds' spreads is noise.\n\n");
    b.append("| Case | Wall, this build − baseline | Spreads (this; baseline) | Calling thread's CPU, this build − baseline "
        + "| Allocated on the calling thread, this build − baseline |\n|---|---|---|---|---|\n");
    for (String c : EndToEnd.CASES) {
      List<Double> ours = e2e.values(Mode.TRACELIGHT, c, "median_us");
      List<Double> base = e2e.values(Mode.BASELINE, c, "median_us");
      if (ours.isEmpty() || base.isEmpty()) {
        continue;
      }
      b.append(fmt("| `%s` | %+.1f µs | %.1f–%.1f; %.1f–%.1f | %+.1f µs | %+,.0f B |%n", c,
          e2e.median(Mode.TRACELIGHT, c, "median_us") - e2e.median(Mode.BASELINE, c, "median_us"),
          Stats.min(ours), Stats.max(ours), Stats.min(base), Stats.max(base),
          e2e.median(Mode.TRACELIGHT, c, "cpu_us_per_call") - e2e.median(Mode.BASELINE, c, "cpu_us_per_call"),
          e2e.median(Mode.TRACELIGHT, c, "alloc_bytes_per_call") - e2e.median(Mode.BASELINE, c, "alloc_bytes_per_call")));
    }
  }

  private void startup() {
    b.append("\n## Start-up and memory\n\n");
    b.append(fmt("Start-up: a JVM whose `main` makes one chat call with the JDK client as its first statement and "
        + "exits (`StartupProbe`), %d runs per mode in each of the %d repetitions, modes interleaved; wall time from "
        + "fork to exit, and CPU time of the whole process (user and system, every thread: JIT, GC, the agent's), "
        + "from the children's times in `/proc/self/stat`. Medians over all runs; the spread is the lowest and "
        + "highest repetition's median. RSS: peak resident set (`VmHWM`) of that JVM and of the workload JVM.%n%n",
        EndToEnd.STARTUPS_PER_REPETITION, e2e.repetitions));
    b.append("| Mode | Start-up wall, median | Spread | CPU, median | Spread | Peak RSS, start-up probe | "
        + "Peak RSS, workload |\n|---|---|---|---|---|---|---|\n");
    for (Mode m : e2e.startupModes()) {
      List<Double> wall = EndToEnd.all(e2e.startupMillis, m);
      List<Double> wallReps = EndToEnd.repetitionMedians(e2e.startupMillis, m);
      List<Double> cpu = EndToEnd.all(e2e.startupCpuMillis, m);
      List<Double> cpuReps = EndToEnd.repetitionMedians(e2e.startupCpuMillis, m);
      double workloadRss = e2e.median(m, "process", "rss_kb") / 1024;
      b.append(fmt("| %s | %.0f ms | %.0f–%.0f | %.0f ms | %.0f–%.0f | %.0f MB | %s |%n", m.label, Stats.median(wall),
          Stats.min(wallReps), Stats.max(wallReps), Stats.median(cpu), Stats.min(cpuReps), Stats.max(cpuReps),
          Stats.median(e2e.startupRssKb.get(m)) / 1024, Double.isNaN(workloadRss) ? "" : fmt("%.0f MB", workloadRss)));
    }
  }

  /** Median start-up of {@code mode} minus that without an agent, over all runs. */
  private double startupOverhead(Map<Mode, List<List<Double>>> values, Mode mode) {
    return Stats.median(EndToEnd.all(values, mode)) - Stats.median(EndToEnd.all(values, Mode.NONE));
  }

  /** Every repetition median of {@code higher} above every one of {@code lower}. */
  private static boolean startupResolved(Map<Mode, List<List<Double>>> values, Mode higher, Mode lower) {
    List<Double> h = EndToEnd.repetitionMedians(values, higher);
    List<Double> l = EndToEnd.repetitionMedians(values, lower);
    return !h.isEmpty() && !l.isEmpty() && Stats.min(h) > Stats.max(l);
  }

  private void microbenchmarks() {
    b.append("\n## Microbenchmarks (JMH)\n\n");
    b.append("One fork each, allocation from JMH's GC profiler (`gc.alloc.rate.norm`).\n\n");
    b.append("| Benchmark | Score | Error (99.9%) | Allocated per op |\n|---|---|---|---|\n");
    for (var e : micro.scores.entrySet()) {
      Micro.Score s = e.getValue();
      b.append(fmt("| `%s` | %,.1f %s | ±%,.1f | %.0f B |%n", e.getKey(), s.value, s.unit, s.error, s.allocBytesPerOp));
    }
  }

  private void method() {
    b.append("\n## How to read this\n\n");
    b.append("- Overhead is a difference of medians between JVMs, so a few microseconds either way is noise "
        + "on a 2-core machine; the spread column shows how much the medians moved between repetitions.\n");
    b.append("- \"Tracelight (records exported nowhere)\" runs the whole agent (interception, decoding, metrics) "
        + "with `-Dtracelight.exporters=none`, as the OpenTelemetry agent runs with its exporters set to none; "
        + "\"JSONL file on\" adds the default file output.\n");
    b.append("- The calling thread's CPU time per call counts only what the app's thread itself executed (the "
        + "client, the agent's advice and tees); its waits for the server do not count, so it moves far less than "
        + "wall time between repetitions.\n");
    b.append("- Allocation per call is counted on the calling thread only: work the JDK client does on its own "
        + "threads, and the agent's pipeline thread, are not in that column (the JMH table has them).\n");
  }

  /** Hand-written analysis kept across runs: benchmarks/findings.md, appended as it is. */
  private void findings() throws Exception {
    Path file = Paths.get("benchmarks/findings.md");
    if (Files.exists(file)) {
      b.append('\n').append(Files.readString(file));
    }
  }

  private int chunks() {
    // the mock answer's deltas plus role, finish and usage chunks
    return MockAnswer.CHUNKS;
  }

  private double overhead(Mode mode, String c) {
    return overhead(mode, c, "median_us");
  }

  private double overhead(Mode mode, String c, String metric) {
    return e2e.median(mode, c, metric) - e2e.median(Mode.NONE, c, metric);
  }

  /** Tracelight's repetition medians all lie above the no-agent ones: a difference the noise cannot explain. */
  private boolean resolved(String c, String metric) {
    List<Double> ours = e2e.values(Mode.TRACELIGHT, c, metric);
    List<Double> none = e2e.values(Mode.NONE, c, metric);
    return !ours.isEmpty() && !none.isEmpty() && Stats.min(ours) > Stats.max(none);
  }

  private static String verdict(boolean resolved, boolean met) {
    return !resolved ? "not resolved" : met ? "yes" : "**no**";
  }

  private void row(String target, String measured, boolean met) {
    row(target, measured, met ? "yes" : "**no**");
  }

  private void row(String target, String measured, String verdict) {
    b.append("| ").append(target).append(" | ").append(measured).append(" | ").append(verdict).append(" |\n");
  }

  private static String fmt(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }

  private static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return System.getProperty("os.arch");
  }

  private static String memory() {
    try {
      for (String line : Files.readAllLines(Paths.get("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return fmt("%.0f GiB", kb / 1024.0 / 1024.0);
        }
      }
    } catch (Exception e) {
      // not Linux
    }
    return "memory unknown";
  }

  static void write(Path file, String text) throws Exception {
    Files.writeString(file, text);
  }
}
