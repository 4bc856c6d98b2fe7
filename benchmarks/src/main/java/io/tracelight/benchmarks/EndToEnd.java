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
    OTEL("OpenTelemetry agent 2.33.1 (exporters none)"),
    /** Another build of Tracelight ({@code --baseline=<jar>}), exporters none, to show what a change costs. */
    BASELINE("Tracelight baseline build (records exported nowhere)");

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
  final Map<Mode, List<Double>> startupMillis = new LinkedHashMap<>();
  final Map<Mode, List<Double>> startupRssKb = new LinkedHashMap<>();
  double serverMicrosPerCall;
  /** Cores of the machine. */
  final int cores = Runtime.getRuntime().availableProcessors();
  int warmup;
  int calls;
  int repetitions;

  private final Path agentJar;
  private final Path otelJar;
  /** The baseline agent jar, or null when no baseline is compared. */
  final Path baselineJar;
  private final String workloadClassPath;
  private final Path scratch;
  private final ObjectMapper json = new ObjectMapper();

  EndToEnd(Path agentJar, Path otelJar, Path baselineJar, String workloadClassPath) throws Exception {
    this.agentJar = agentJar;
    this.otelJar = otelJar;
    this.baselineJar = baselineJar;
    this.workloadClassPath = workloadClassPath;
    this.scratch = Files.createTempDirectory("tracelight-e2e");
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
          for (int i = 0; i < 2; i++) {
            startup(mode, server.baseUrl());
          }
        }
      }
      serverMicrosPerCall = server.meanHandleMicros();
    }
  }

  /** The modes this run compares: the baseline only when one was given. */
  List<Mode> modes() {
    List<Mode> modes = new ArrayList<>(List.of(Mode.values()));
    if (baselineJar == null) {
      modes.remove(Mode.BASELINE);
    }
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
      case BASELINE:
        return List.of("-javaagent:" + baselineJar, "-Dtracelight.exporters=none", "-Dtracelight.summary=false",
            "-Dtracelight.output.dir=" + out);
      case OTEL:
        return List.of("-javaagent:" + otelJar, "-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none",
            "-Dotel.logs.exporter=none");
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

  private void startup(Mode mode, String base) throws Exception {
    long start = System.nanoTime();
    String out = fork(mode, StartupProbe.class.getName(), base);
    double millis = (System.nanoTime() - start) / 1e6;
    startupMillis.computeIfAbsent(mode, m -> new ArrayList<>()).add(millis);
    String rss = out.substring(out.indexOf("rss_kb=") + 7).trim();
    startupRssKb.computeIfAbsent(mode, m -> new ArrayList<>()).add(Double.parseDouble(rss));
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
