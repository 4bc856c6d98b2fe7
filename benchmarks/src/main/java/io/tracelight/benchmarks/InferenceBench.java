package io.tracelight.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LogisticRegressionTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * The per-prediction cost on ONNX Runtime: a small model (a Tribuo logistic regression of four
 * features, exported to ONNX) scored one row at a time in forked JVMs, with no agent and with
 * Tracelight, alternating, several repetitions each. Renders the BENCHMARKS.md section.
 */
final class InferenceBench {
  private final Path agentJar;
  private final String classPath;
  private final Path scratch;
  private final ObjectMapper json = new ObjectMapper();
  final List<JsonNode> none = new ArrayList<>();
  final List<JsonNode> traced = new ArrayList<>();
  private int warmup;
  private int calls;

  InferenceBench(Path agentJar, String classPath) throws Exception {
    this.agentJar = agentJar;
    this.classPath = classPath;
    this.scratch = Files.createTempDirectory("tracelight-inference-bench");
  }

  void run(boolean quick) throws Exception {
    int repetitions = quick ? 3 : 5;
    warmup = quick ? 10_000 : 30_000;
    calls = quick ? 20_000 : 100_000;
    Path model = makeModel();
    for (int r = 0; r < repetitions; r++) {
      System.err.println("[bench] inference repetition " + (r + 1) + "/" + repetitions);
      none.add(fork(false, model));
      traced.add(fork(true, model));
    }
  }

  /** A Tribuo logistic regression of four features trained on generated data, exported to ONNX. */
  private Path makeModel() throws Exception {
    LabelFactory labels = new LabelFactory();
    MutableDataset<Label> data = new MutableDataset<>(new SimpleDataSourceProvenance("generated", labels), labels);
    SplittableRandom random = new SplittableRandom(5);
    String[] features = {"amount", "hour", "distance", "merchant_risk"};
    for (int i = 0; i < 500; i++) {
      double[] x = {random.nextDouble() * 4, random.nextDouble() * 4, random.nextDouble() * 4, random.nextDouble() * 4};
      boolean fraud = 0.9 * x[0] - 0.6 * x[1] + 0.8 * x[3] - 2 + random.nextDouble() - 0.5 > 0;
      data.add(new ArrayExample<>(new Label(fraud ? "fraud" : "legit"), features, x));
    }
    Path model = scratch.resolve("fraud-lr.onnx");
    new LogisticRegressionTrainer().train(data).saveONNXModel("io.tracelight.bench", 1L, model);
    return model;
  }

  private JsonNode fork(boolean agent, Path model) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xms256m");
    command.add("-Xmx256m");
    if (agent) {
      command.add("-javaagent:" + agentJar);
      command.add("-Dtracelight.output.dir=" + scratch.resolve("out"));
      command.add("-Dtracelight.summary=false");
    }
    command.add("-cp");
    command.add(classPath);
    command.add(InferenceWorkload.class.getName());
    command.add(model.toString());
    command.add(String.valueOf(warmup));
    command.add(String.valueOf(calls));
    Path out = Files.createTempFile(scratch, "out", ".txt");
    Path err = Files.createTempFile(scratch, "err", ".txt");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(20, TimeUnit.MINUTES) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException("inference workload failed: " + Files.readString(err));
    }
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      if (line.startsWith("{")) {
        return json.readTree(line);
      }
    }
    throw new IllegalStateException("inference workload printed no result: " + Files.readString(out));
  }

  private static List<Double> values(List<JsonNode> runs, String field) {
    List<Double> v = new ArrayList<>();
    for (JsonNode n : runs) {
      v.add(n.path(field).asDouble());
    }
    Collections.sort(v);
    return v;
  }

  private static double median(List<Double> sorted) {
    return sorted.get(sorted.size() / 2);
  }

  /** The markdown section, or an empty string when the runs did not happen. */
  String render() {
    if (none.isEmpty()) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    b.append("\n## In-JVM inference: per prediction on ONNX Runtime\n\n");
    b.append(String.format(Locale.ROOT, "A Tribuo logistic regression of four features exported to ONNX, scored one "
        + "row at a time by one `OrtSession` (one intra-op thread) as a fraud service does per request: a tensor "
        + "made, `run`, the probabilities read, both closed. %,d predictions after %,d of warm-up, per JVM; %d "
        + "repetitions, alternating. Medians of the repetitions' medians, with their spread (lowest to highest).\n\n",
        calls, warmup, none.size()));
    b.append("| | no agent | Tracelight | difference | resolved |\n|---|---|---|---|---|\n");
    row(b, "wall time per prediction, median (µs)", "median_us", "%.2f");
    row(b, "wall time per prediction, p99 (µs)", "p99_us", "%.2f");
    row(b, "calling thread's CPU per prediction (µs)", "cpu_us_per_call", "%.2f");
    row(b, "allocated on the calling thread per prediction (bytes)", "alloc_bytes_per_call", "%.0f");
    List<Double> baseRuns = values(none, "cpu_us_per_call");
    List<Double> ourRuns = values(traced, "cpu_us_per_call");
    double base = median(baseRuns);
    double ours = median(ourRuns);
    boolean resolved = ours > base && ourRuns.get(0) > baseRuns.get(baseRuns.size() - 1);
    b.append(String.format(Locale.ROOT, "\nThe agent's share of a prediction's CPU on the calling thread: %s "
        + "(%+.2f µs of %.2f µs by the medians).\n",
        resolved ? String.format(Locale.ROOT, "%.1f%%", (ours - base) * 100 / ours)
            : "not resolved, the difference is inside the spread between repetitions",
        ours - base, ours));
    return b.toString();
  }

  private void row(StringBuilder b, String what, String field, String format) {
    List<Double> a = values(none, field);
    List<Double> t = values(traced, field);
    double diff = median(t) - median(a);
    boolean resolved = diff > 0 && t.get(0) > a.get(a.size() - 1);
    b.append("| ").append(what).append(" | ").append(cell(a, format)).append(" | ").append(cell(t, format))
        .append(" | ").append(String.format(Locale.ROOT, "%+" + format.substring(1), diff)).append(" | ")
        .append(resolved ? "yes" : "not resolved").append(" |\n");
  }

  private static String cell(List<Double> v, String format) {
    return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")", median(v), v.get(0),
        v.get(v.size() - 1));
  }
}
