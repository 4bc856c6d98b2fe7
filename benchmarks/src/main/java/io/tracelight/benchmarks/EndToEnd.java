package io.tracelight.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracelight.mock.MockLlmServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the workload and the start-up probe as separate JVMs in each mode, repetitions
 * interleaved (mode after mode, then again, each round starting with another mode) so that
 * drifts of the machine hit every mode alike.
 */
final class EndToEnd {
  enum Mode {
    NONE("no agent"),
    TRACELIGHT("Tracelight (records exported nowhere)"),
    TRACELIGHT_JSONL("Tracelight (JSONL file on)"),
    /** Tracelight exporting spans and metrics over OTLP to a local receiver that answers 200. */
    TRACELIGHT_OTLP("Tracelight (OTLP export on, to a local receiver)"),
    OTEL("OpenTelemetry agent 2.33.1 (exporters none)"),
    /** Extension mode: the OpenTelemetry agent with Tracelight's extension jar, its exporters none. */
    OTEL_TRACELIGHT("OpenTelemetry agent 2.33.1 with the Tracelight extension (exporters none)"),
    /** Another build of Tracelight ({@code --baseline=<jar>}), exporters none, to show what a change costs. */
    BASELINE("Tracelight baseline build (records exported nowhere)"),
    /** Start-up only: Tracelight with the one module the probe needs, to show the cost does not grow with modules. */
    TRACELIGHT_ONE_MODULE("Tracelight, only `jdk-httpclient` enabled (records exported nowhere)"),
    /** Start-up only: an agent whose premain does nothing, the JVM's own cost of {@code -javaagent}. */
    NOOP_AGENT("an agent that does nothing (the floor of `-javaagent`)"),
    /** Start-up only: an agent that only loads the classes Tracelight loads in the probe: its code size's floor. */
    CLASSES_ONLY("an agent that only loads Tracelight's classes (the floor of its code size)");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  static final List<String> CASES =
      List.of("jdk-plain", "jdk-stream", "okhttp-plain", "okhttp-stream", "apache5-plain", "apache5-stream",
          "urlconn-plain", "urlconn-stream", "reactor-plain", "reactor-stream", "sdk-plain", "sdk-stream");

  /** Per mode: per case, per metric, one value per repetition. */
  final Map<Mode, Map<String, Map<String, List<Double>>>> results = new LinkedHashMap<>();
  /** Start-up runs per mode and repetition. */
  static final int STARTUPS_PER_REPETITION = 6;
  /** Per mode: one list of wall times per repetition (ms). */
  final Map<Mode, List<List<Double>>> startupMillis = new LinkedHashMap<>();
  /** Per mode: one list of CPU times (user + system, all threads) per repetition (ms). */
  final Map<Mode, List<List<Double>>> startupCpuMillis = new LinkedHashMap<>();
  final Map<Mode, List<Double>> startupRssKb = new LinkedHashMap<>();
  double serverMicrosPerCall;
  /** Cores of the machine. */
  final int cores = Runtime.getRuntime().availableProcessors();
  int warmup;
  int calls;
  int repetitions;

  private final Path agentJar;
  private final Path otelJar;
  private final Path extensionJar;
  /** Where the OTLP mode sends; counts what it received. */
  final OtlpSink receiver;
  private final Path noopJar;
  private final Path classesOnlyJar;
  private Path classList;
  /** The mock server's URL the start-up probes call (the class list is made with it). */
  private String probeBase;
  /** The baseline agent jar, or null when no baseline is compared. */
  final Path baselineJar;
  private final String workloadClassPath;
  private final Path scratch;
  private final ObjectMapper json = new ObjectMapper();

  EndToEnd(Path agentJar, Path otelJar, Path extensionJar, Path baselineJar, String workloadClassPath)
      throws Exception {
    this.agentJar = agentJar;
    this.otelJar = otelJar;
    this.extensionJar = extensionJar;
    this.receiver = new OtlpSink();
    this.baselineJar = baselineJar;
    this.workloadClassPath = workloadClassPath;
    this.scratch = Files.createTempDirectory("tracelight-e2e");
    this.noopJar = NoOpAgent.writeJar(scratch);
    this.classesOnlyJar = ClassesOnlyAgent.writeJar(scratch);
  }

  /**
   * The classes Tracelight loads in the start-up probe, from one probe run with a class-loading
   * log (made once, before the first start-up of {@link Mode#CLASSES_ONLY}).
   */
  private Path classList() {
    if (classList == null) {
      try {
        Path log = scratch.resolve("class-load.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xms256m", "-Xmx256m", "-Xlog:class+load:file=" + log));
        command.addAll(agentArgs(Mode.TRACELIGHT));
        command.addAll(List.of("-cp", workloadClassPath, StartupProbe.class.getName(), probeBase));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
          throw new IllegalStateException("the class-loading probe failed");
        }
        List<String> names = ClassesOnlyAgent.classesFromLog(log, agentJar);
        if (names.isEmpty()) {
          throw new IllegalStateException("no Tracelight class in " + log);
        }
        classList = scratch.resolve("tracelight-classes.txt");
        Files.write(classList, names, StandardCharsets.UTF_8);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return classList;
  }

  void run(boolean quick) throws Exception {
    warmup = quick ? 300 : 2000;
    calls = quick ? 500 : 3000;
    repetitions = quick ? 2 : 5;
    try (MockLlmServer server = MockLlmServer.start(0)) {
      // Nothing is pinned: a measured JVM pinned to one core fights its own JIT, GC and agent threads
      // for it, and every agent's cost looks several times larger than in production.
      Mode[] modes = modes().toArray(new Mode[0]);
      for (int rep = 1; rep <= repetitions; rep++) {
        for (int m = 0; m < modes.length; m++) {
          Mode mode = modes[(rep - 1 + m) % modes.length]; // each repetition starts with another mode
          System.err.printf("[bench] repetition %d/%d, %s%n", rep, repetitions, mode.label);
          workload(mode, server.baseUrl());
        }
        Mode[] startupModes = startupModes().toArray(new Mode[0]);
        for (int i = 0; i < STARTUPS_PER_REPETITION; i++) {
          for (int m = 0; m < startupModes.length; m++) {
            startup(startupModes[(i + m) % startupModes.length], server.baseUrl(), rep);
          }
        }
      }
      serverMicrosPerCall = server.meanHandleMicros();
    }
  }

  /** The modes the workload runs compare: the baseline only when one was given. */
  List<Mode> modes() {
    List<Mode> modes = new ArrayList<>(List.of(Mode.values()));
    modes.remove(Mode.TRACELIGHT_ONE_MODULE);
    modes.remove(Mode.NOOP_AGENT);
    modes.remove(Mode.CLASSES_ONLY);
    if (baselineJar == null) {
      modes.remove(Mode.BASELINE);
    }
    return modes;
  }

  /** The modes the start-up runs compare: the workload's, one module only, and the floor. */
  List<Mode> startupModes() {
    List<Mode> modes = new ArrayList<>(modes());
    modes.add(modes.indexOf(Mode.TRACELIGHT) + 1, Mode.TRACELIGHT_ONE_MODULE);
    modes.add(1, Mode.NOOP_AGENT);
    modes.add(2, Mode.CLASSES_ONLY);
    return modes;
  }

  private List<String> agentArgs(Mode mode) {
    Path out = scratch.resolve(mode.name().toLowerCase());
    switch (mode) {
      case TRACELIGHT:
        return List.of("-javaagent:" + agentJar, "-Dtracelight.exporters=none", "-Dtracelight.summary=false",
            "-Dtracelight.output.dir=" + out);
      case TRACELIGHT_JSONL:
        return List.of("-javaagent:" + agentJar, "-Dtracelight.summary=false", "-Dtracelight.output.dir=" + out);
      case TRACELIGHT_ONE_MODULE:
        return List.of("-javaagent:" + agentJar, "-Dtracelight.exporters=none", "-Dtracelight.summary=false",
            "-Dtracelight.output.dir=" + out, "-Dtracelight.instrumentation.default-enabled=false",
            "-Dtracelight.instrumentation.jdk-httpclient.enabled=true");
      case NOOP_AGENT:
        return List.of("-javaagent:" + noopJar);
      case CLASSES_ONLY:
        return List.of("-javaagent:" + classesOnlyJar + "=" + agentJar + "|" + classList());
      case BASELINE:
        return List.of("-javaagent:" + baselineJar, "-Dtracelight.exporters=none", "-Dtracelight.summary=false",
            "-Dtracelight.output.dir=" + out);
      case TRACELIGHT_OTLP:
        return List.of("-javaagent:" + agentJar, "-Dtracelight.exporters=otlp", "-Dtracelight.summary=false",
            "-Dtracelight.output.dir=" + out, "-Dotel.exporter.otlp.endpoint=" + receiver.endpoint(),
            "-Dotel.metric.export.interval=1000");
      case OTEL:
        return List.of("-javaagent:" + otelJar, "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none",
            "-Dotel.logs.exporter=none");
      case OTEL_TRACELIGHT:
        return List.of("-javaagent:" + otelJar, "-Dotel.javaagent.extensions=" + extensionJar,
            "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none",
            "-Dtracelight.summary=false");
      default:
        return List.of();
    }
  }

  /** Runs one JVM on all cores. */
  private String fork(Mode mode, String mainClass, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms256m");
    command.add("-Xmx256m");
    command.addAll(agentArgs(mode));
    command.add("-cp");
    command.add(workloadClassPath);
    command.add(mainClass);
    command.addAll(List.of(args));
    Path out = Files.createTempFile(scratch, "out", ".txt");
    Path err = Files.createTempFile(scratch, "err", ".txt");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(mode + " " + mainClass + " failed: " + Files.readString(err));
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }

  private void workload(Mode mode, String base) throws Exception {
    String out = fork(mode, Workload.class.getName(), base, String.valueOf(warmup), String.valueOf(calls));
    Map<String, Map<String, List<Double>>> perCase = results.computeIfAbsent(mode, m -> new LinkedHashMap<>());
    for (String line : out.split("\n")) {
      if (!line.startsWith("{")) {
        continue;
      }
      JsonNode n = json.readTree(line);
      String name = n.has("case") ? n.get("case").asText() : "process";
      Map<String, List<Double>> metrics = perCase.computeIfAbsent(name, c -> new LinkedHashMap<>());
      for (Map.Entry<String, JsonNode> f : n.properties()) {
        if (f.getValue().isNumber()) {
          metrics.computeIfAbsent(f.getKey(), k -> new ArrayList<>()).add(f.getValue().asDouble());
        }
      }
    }
  }

  private void startup(Mode mode, String base, int repetition) throws Exception {
    probeBase = base;
    long cpuBefore = childrenCpuMillis();
    long start = System.nanoTime();
    String out = fork(mode, StartupProbe.class.getName(), base);
    double millis = (System.nanoTime() - start) / 1e6;
    long cpu = childrenCpuMillis() - cpuBefore;
    perRepetition(startupMillis, mode, repetition).add(millis);
    perRepetition(startupCpuMillis, mode, repetition).add((double) cpu);
    String rss = out.substring(out.indexOf("rss_kb=") + 7).trim();
    startupRssKb.computeIfAbsent(mode, m -> new ArrayList<>()).add(Double.parseDouble(rss));
  }

  private static List<Double> perRepetition(Map<Mode, List<List<Double>>> values, Mode mode, int repetition) {
    List<List<Double>> reps = values.computeIfAbsent(mode, m -> new ArrayList<>());
    while (reps.size() < repetition) {
      reps.add(new ArrayList<>());
    }
    return reps.get(repetition - 1);
  }

  /**
   * CPU time (user and system, every thread) of this process's children that have ended: the
   * forked JVMs run one at a time and the mock server runs in this process, so the difference
   * around one fork is that JVM's CPU time. From {@code /proc/self/stat}, in clock ticks of 10 ms.
   */
  private static long childrenCpuMillis() throws Exception {
    String stat = Files.readString(Path.of("/proc/self/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10; // cutime, cstime: fields 16 and 17
  }

  /** Every start-up run of a mode, all repetitions together. */
  static List<Double> all(Map<Mode, List<List<Double>>> values, Mode mode) {
    List<Double> all = new ArrayList<>();
    for (List<Double> rep : values.getOrDefault(mode, List.of())) {
      all.addAll(rep);
    }
    return all;
  }

  /** The median of each repetition of a mode. */
  static List<Double> repetitionMedians(Map<Mode, List<List<Double>>> values, Mode mode) {
    List<Double> medians = new ArrayList<>();
    for (List<Double> rep : values.getOrDefault(mode, List.of())) {
      medians.add(Stats.median(rep));
    }
    return medians;
  }

  /** Median over repetitions of one metric. */
  double median(Mode mode, String caseName, String metric) {
    List<Double> v = results.getOrDefault(mode, Map.of()).getOrDefault(caseName, Map.of()).get(metric);
    return v == null || v.isEmpty() ? Double.NaN : Stats.median(v);
  }

  List<Double> values(Mode mode, String caseName, String metric) {
    return results.getOrDefault(mode, Map.of()).getOrDefault(caseName, Map.of()).getOrDefault(metric, List.of());
  }
}
