package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Models running inside a forked JVM with the agent: ONNX Runtime sessions made from a file and
 * from bytes (a Tribuo model exported to ONNX). Each record's summary is checked against the
 * probabilities the application itself printed.
 */
class InferenceSmokeTest {
  static List<Path> jdks() {
    return ForkedJvm.javaHomes();
  }

  private static ForkedJvm.Result[] both(Path javaHome, Path dir, List<String> jvmArgs) throws Exception {
    ForkedJvm.Result plain = ForkedJvm.runMain(javaHome, false, dir.resolve("plain"), jvmArgs, Map.of(),
        InferenceDriver.class.getName(), dir.resolve("plain-models").toString());
    ForkedJvm.Result traced = ForkedJvm.runMain(javaHome, true, dir.resolve("traced"), jvmArgs, Map.of(),
        InferenceDriver.class.getName(), dir.resolve("models").toString());
    assertEquals(0, plain.exitCode, plain.stderr);
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(plain.stdout, traced.stdout, "the app computes the same with and without the agent");
    return new ForkedJvm.Result[] {plain, traced};
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void onnxRuntimeSessionsFromAFileAndFromBytes(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(javaHome, dir, List.of("-Dtracelight.instrumentation.tribuo.enabled=false",
        "-Dtracelight.instrumentation.pmml.enabled=false"))[1];
    List<JsonNode> records = new ArrayList<>();
    for (JsonNode r : traced.records()) {
      if ("onnxruntime".equals(r.path("ai.model.runtime").asText())) {
        records.add(r);
      }
    }
    assertEquals(6, records.size(), "one batch from the file's session, five rows from the bytes': " + traced.recordsText());
    Path model = dir.resolve("models").resolve("fraud-lr.onnx");
    String bytesId = "sha256:" + hex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(model)));
    List<double[]> fileRows = printed(traced.stdout, "ort-file");
    List<double[]> bytesRows = printed(traced.stdout, "ort-bytes");
    assertEquals(5, fileRows.size());

    JsonNode file = records.get(0);
    for (JsonNode r : records) {
      assertEquals("ok", r.path("status").asText(), r.toString());
      assertEquals("predict", r.path("ai.operation.name").asText());
      assertEquals("onnxruntime", r.path("ai.instrumentation").asText());
      assertEquals("3", r.path("ai.model.version").asText(), "the version Tribuo's exporter wrote");
      assertEquals("Tribuo", r.path("ai.model.producer").asText());
      assertEquals("classification", r.path("ai.model.function").asText());
      if (r.path("ai.batch.size").asLong() == 5) {
        file = r;
      } else {
        assertEquals(bytesId, r.path("ai.model.id").asText(), "a session made from bytes is named by their hash");
        assertEquals("[\"input:FLOAT[1,4]\"]", r.path("ai.model.inputs").toString());
      }
    }
    assertEquals(model.toString(), file.path("ai.model.id").asText());
    assertEquals("fraud-lr", file.path("ai.model.name").asText(), "a model from a file is named by the file");
    assertEquals("predict fraud-lr", file.path("name").asText());
    assertEquals("[\"input:FLOAT[5,4]\"]", file.path("ai.model.inputs").toString());
    assertEquals("[\"output:FLOAT[5,2]\"]", file.path("ai.model.outputs").toString());
    assertSummary(fileRows, file);
    int row = 0;
    for (JsonNode r : records) {
      if (r != file) {
        assertSummary(bytesRows.subList(row, row + 1), r);
        row++;
      }
    }
    assertTrue(traced.stderr.contains("[tracelight] predictions of fraud-lr:3 (onnxruntime), windows of 1000 calls:"),
        traced.stderr);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void tribuoPredictionsOneByOneAndInABatch(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(javaHome, dir, List.of("-Dtracelight.instrumentation.onnxruntime.enabled=false",
        "-Dtracelight.instrumentation.pmml.enabled=false"))[1];
    List<JsonNode> records = only(traced, "tribuo");
    assertEquals(7, records.size(), "six single predictions and a batch, nothing from training: " + traced.recordsText());
    List<String[]> one = printedLabels(traced.stdout, "tribuo-one");
    List<String[]> batch = printedLabels(traced.stdout, "tribuo-batch");
    for (int i = 0; i < 6; i++) {
      JsonNode r = records.get(i);
      assertEquals("tribuo", r.path("ai.model.runtime").asText(), r.toString());
      assertEquals("linear-sgd-model", r.path("ai.model.name").asText());
      assertTrue(r.path("ai.model.producer").asText().startsWith("Tribuo 4."), r.toString());
      assertEquals(1, r.path("ai.batch.size").asLong());
      String[] printed = one.get(i);
      assertEquals(printed[0], r.path("ai.prediction.class").asText(), r.toString());
      double top = Math.max(Double.parseDouble(printed[1]), Double.parseDouble(printed[2]));
      assertEquals(top, r.path("ai.prediction.confidence").asDouble(), 1e-12, r.toString());
      assertEquals(ModelServingSmokeTest.binaryEntropy(top), r.path("ai.prediction.entropy").asDouble(), 1e-9);
    }
    JsonNode b = records.get(6);
    assertEquals(6, b.path("ai.batch.size").asLong(), b.toString());
    assertEquals(6, b.path("ai.prediction.rows").asLong());
    List<String> classes = new ArrayList<>();
    double mean = 0;
    for (String[] p : batch) {
      classes.add(p[0]);
      mean += Math.max(Double.parseDouble(p[1]), Double.parseDouble(p[2])) / batch.size();
    }
    assertEquals(ModelServingSmokeTest.mode(classes), b.path("ai.prediction.class").asText(), b.toString());
    assertEquals(mean, b.path("ai.prediction.confidence").asDouble(), 1e-12);
    JsonNode summary = traced.summaryJson();
    JsonNode window = summary.path("models").path(0).path("predictions").path("windows").path(0);
    assertEquals(7, window.path("calls").asLong(), summary.toString());
    assertEquals(12, window.path("rows").asLong());
    long fraud = one.stream().filter(p -> p[0].equals("fraud")).count()
        + batch.stream().filter(p -> p[0].equals("fraud")).count();
    assertEquals(fraud, window.path("classes").path("fraud").asLong(), summary.toString());
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void pmmlEvaluationsOfAHandWrittenLogisticRegression(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(javaHome, dir, List.of("-Dtracelight.instrumentation.onnxruntime.enabled=false",
        "-Dtracelight.instrumentation.tribuo.enabled=false", "-Dtracelight.capture.features=true"))[1];
    List<JsonNode> records = only(traced, "pmml");
    JsonNode model = null;
    for (JsonNode m : traced.summaryJson().path("models")) {
      if ("pmml".equals(m.path("ai.model.runtime").asText())) {
        model = m;
      }
    }
    List<double[]> rows = InferenceDriver.transactions(4, 41); // what the application evaluated
    JsonNode amount = model.path("features").path(0);
    assertEquals("amount", amount.path("name").asText(), model.toString());
    assertEquals(4, amount.path("count").asLong());
    assertEquals(rows.stream().mapToDouble(x -> x[0]).average().orElseThrow(), amount.path("mean").asDouble(), 1e-12);
    assertEquals(rows.stream().mapToDouble(x -> x[0]).max().orElseThrow(), amount.path("max").asDouble(), 0);
    assertEquals(4, model.path("features").size(), "amount, hour, distance, merchant_risk");
    List<String[]> printed = printedLabels(traced.stdout, "pmml");
    assertEquals(4, printed.size(), traced.stdout);
    assertEquals(4, records.size(), "one per evaluate: " + traced.recordsText());
    for (int i = 0; i < 4; i++) {
      JsonNode r = records.get(i);
      assertEquals("pmml", r.path("ai.model.runtime").asText(), r.toString());
      assertEquals("fraud-pmml", r.path("ai.model.name").asText(), "the model's modelName");
      assertEquals("2.1", r.path("ai.model.version").asText(), "the header's modelVersion");
      assertEquals("Tracelight smoke tests 1.0", r.path("ai.model.producer").asText());
      assertEquals("classification", r.path("ai.model.function").asText());
      assertEquals("[\"amount\",\"hour\",\"distance\",\"merchant_risk\"]", r.path("ai.model.inputs").toString());
      String[] p = printed.get(i);
      double fraud = Double.parseDouble(p[1]);
      assertEquals(p[0], r.path("ai.prediction.class").asText(), r.toString());
      assertEquals(Math.max(fraud, 1 - fraud), r.path("ai.prediction.confidence").asDouble(), 1e-12);
      assertEquals(ModelServingSmokeTest.binaryEntropy(fraud), r.path("ai.prediction.entropy").asDouble(), 1e-9);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void djlOnItsOnnxRuntimeEngineIsOneRecordPerPredictNotTwo(Path javaHome, @TempDir Path dir) throws Exception {
    List<String> offline = List.of("-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true");
    ForkedJvm.Result plain = ForkedJvm.runMain(javaHome, false, dir.resolve("plain"), offline, Map.of(),
        InferenceDriver.class.getName(), dir.resolve("plain-models").toString(), "djl");
    ForkedJvm.Result traced = ForkedJvm.runMain(javaHome, true, dir.resolve("traced"), offline, Map.of(),
        InferenceDriver.class.getName(), dir.resolve("models").toString(), "djl");
    assertEquals(0, plain.exitCode, plain.stderr);
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(plain.stdout, traced.stdout);
    List<JsonNode> records = traced.records();
    assertEquals(4, records.size(), "three predict calls and a batch; the ONNX Runtime runs inside are not "
        + "recorded again: " + traced.recordsText());
    List<double[]> one = printed(traced.stdout, "djl-one");
    List<double[]> batch = printed(traced.stdout, "djl-batch");
    for (int i = 0; i < 4; i++) {
      JsonNode r = records.get(i);
      assertEquals("djl", r.path("ai.model.runtime").asText(), r.toString());
      assertEquals("fraud-lr", r.path("ai.model.name").asText());
      assertTrue(r.path("ai.model.engine").asText().startsWith("OnnxRuntime "), r.toString());
      assertEquals(i < 3 ? 1 : 3, r.path("ai.batch.size").asLong(), r.toString());
      assertSummary(i < 3 ? one.subList(i, i + 1) : batch, r);
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void xgboostBoosterPredictIsOneRecordWithItsValues(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(javaHome, dir, List.of("-Dtracelight.instrumentation.onnxruntime.enabled=false",
        "-Dtracelight.instrumentation.tribuo.enabled=false", "-Dtracelight.instrumentation.pmml.enabled=false"))[1];
    List<JsonNode> records = only(traced, "xgboost4j");
    assertEquals(1, records.size(), "training predicts nothing the app asked for: " + traced.recordsText());
    JsonNode r = records.get(0);
    List<double[]> rows = printed(traced.stdout, "xgboost");
    assertEquals(4, rows.size(), traced.stdout);
    assertEquals("xgboost4j", r.path("ai.model.runtime").asText(), r.toString());
    assertEquals(4, r.path("ai.batch.size").asLong());
    assertEquals("regression", r.path("ai.model.function").asText(), "one number a row: a value");
    double mean = rows.stream().mapToDouble(x -> x[0]).average().orElseThrow();
    assertEquals(mean, r.path("ai.prediction.value").asDouble(), 1e-7, r.toString());
    assertEquals(rows.stream().mapToDouble(x -> x[0]).max().orElseThrow(), r.path("ai.prediction.value.max").asDouble(),
        1e-7);
  }

  /** The run's records of one runtime. */
  static List<JsonNode> only(ForkedJvm.Result run, String runtime) throws Exception {
    List<JsonNode> records = new ArrayList<>();
    for (JsonNode r : run.records()) {
      if (runtime.equals(r.path("ai.model.runtime").asText())) {
        records.add(r);
      }
    }
    return records;
  }

  /** The label and the two class scores the application printed under {@code tag}. */
  static List<String[]> printedLabels(String stdout, String tag) {
    List<String[]> rows = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      String[] parts = line.trim().split(" ");
      if (parts[0].equals(tag)) {
        rows.add(new String[] {parts[1], parts[2], parts[3]});
      }
    }
    return rows;
  }

  /** The record's class, mean top-1 probability and entropy, from the rows the application printed. */
  static void assertSummary(List<double[]> rows, JsonNode r) {
    List<String> classes = new ArrayList<>();
    double confidence = 0;
    double entropy = 0;
    for (double[] p : rows) {
      int best = p[1] > p[0] ? 1 : 0;
      classes.add(Integer.toString(best));
      confidence += p[best] / rows.size();
      entropy += ModelServingSmokeTest.binaryEntropy(p[1]) / rows.size();
    }
    assertEquals(ModelServingSmokeTest.mode(classes), r.path("ai.prediction.class").asText(), r.toString());
    assertEquals(confidence, r.path("ai.prediction.confidence").asDouble(), 1e-6, r.toString());
    assertEquals(entropy, r.path("ai.prediction.entropy").asDouble(), 1e-5, r.toString());
    assertEquals(rows.size(), r.path("ai.prediction.rows").asInt());
    assertFalse(r.has("gen_ai.operation.name"));
  }

  /** The probability rows the application printed under {@code tag}. */
  static List<double[]> printed(String stdout, String tag) {
    List<double[]> rows = new ArrayList<>();
    for (String line : stdout.split("\n")) {
      String[] parts = line.trim().split(" ");
      if (parts[0].equals(tag)) {
        double[] p = new double[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
          p[i - 1] = Float.parseFloat(parts[i]);
        }
        rows.add(p);
      }
    }
    return rows;
  }

  static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      b.append(String.format("%02x", x));
    }
    return b.toString();
  }
}
