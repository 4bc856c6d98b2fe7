package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracelight.mock.MockLlmServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Model servers over the JDK client and OkHttp in a forked JVM: every prediction record carries the
 * model, version and batch the server saw, and a summary of what the server answered (the class
 * predicted most often, the mean top-1 probability and entropy, or the regressed values).
 */
class ModelServingSmokeTest extends MockServerTest {
  private static final double FLOAT = 1e-6; // KServe v2 sends FP32

  @ParameterizedTest
  @MethodSource("jdks")
  void everyServerProtocolGivesOnePredictionRecordPerCall(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result plain;
    try (MockLlmServer fresh = MockLlmServer.start(0)) {
      plain = ForkedJvm.runMain(javaHome, false, dir.resolve("plain"), List.of(), Map.of(),
          ServingDriver.class.getName(), root(fresh));
    }
    ForkedJvm.Result traced = ForkedJvm.runMain(javaHome, true, dir.resolve("traced"), List.of(), Map.of(),
        ServingDriver.class.getName(), root(server));
    assertEquals(0, plain.exitCode, plain.stderr);
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(plain.stdout, traced.stdout, "the app sees the same bytes with and without the agent");

    List<JsonNode> records = traced.records();
    assertEquals(11, records.size(), "nine predictions (one failed), two TGI generations: " + traced.recordsText());
    List<MockLlmServer.Sent> sent = server.sent();
    assertEquals(8, sent.stream().filter(s -> s.operation.equals("predict")).count(), sent.toString());
    for (MockLlmServer.Sent s : sent) {
      if (!s.operation.equals("predict")) {
        continue;
      }
      JsonNode r = record(records, s.provider, s.provider.equals("mlflow") ? null : s.model, s.modelVersion);
      assertEquals("ok", r.path("status").asText(), r.toString());
      assertEquals("predict", r.path("ai.operation.name").asText());
      assertFalse(r.has("gen_ai.operation.name"), r.toString());
      assertEquals("predict " + r.path("ai.model.name").asText(), r.path("name").asText());
      assertEquals(s.batchSize, r.path("ai.batch.size").asLong(), r.toString());
      if (!s.classes.isEmpty()) {
        assertEquals(mode(s.classes), r.path("ai.prediction.class").asText(), s + " " + r);
        assertEquals("classification", r.path("ai.model.function").asText(), r.toString());
        double[] confidences = s.confidences.stream().filter(c -> !c.isNaN()).mapToDouble(Double::doubleValue)
            .toArray();
        if (confidences.length > 0) {
          double mean = 0;
          double entropy = 0;
          for (double c : confidences) {
            mean += c / confidences.length;
            entropy += binaryEntropy(c) / confidences.length;
          }
          assertEquals(mean, r.path("ai.prediction.confidence").asDouble(), FLOAT, r.toString());
          assertEquals(entropy, r.path("ai.prediction.entropy").asDouble(), FLOAT * 10, r.toString());
        } else {
          assertFalse(r.has("ai.prediction.confidence"), "labels alone: " + r);
        }
      } else {
        double mean = s.values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertEquals("regression", r.path("ai.model.function").asText(), r.toString());
        assertEquals(mean, r.path("ai.prediction.value").asDouble(), FLOAT, r.toString());
        assertEquals(s.values.stream().mapToDouble(Double::doubleValue).min().orElseThrow(),
            r.path("ai.prediction.value.min").asDouble(), FLOAT);
      }
    }
    JsonNode binary = record(records, "kserve_v2", "fraud-binary", "1");
    assertEquals("[\"features:FP32[2,4]\"]", binary.path("ai.model.inputs").toString());
    assertEquals("[\"probabilities:FP32[2,2]\",\"label:INT64[2]\"]", binary.path("ai.model.outputs").toString());
    assertEquals("okhttp", binary.path("ai.instrumentation").asText());
    assertEquals("jdk-httpclient", record(records, "tf_serving", "fraud", "5").path("ai.instrumentation").asText());

    JsonNode missing = record(records, "kserve_v2", "fraud-no-such-model", null);
    assertEquals("error", missing.path("status").asText());
    assertEquals("404", missing.path("error.type").asText());

    for (MockLlmServer.Sent s : sent) { // TGI: an LLM, with GenAI attributes
      if (s.provider.equals("tgi")) {
        JsonNode r = records.stream().filter(x -> x.path("gen_ai.request.stream").asBoolean() == s.stream
            && "tgi".equals(x.path("gen_ai.provider.name").asText())).findFirst().orElseThrow();
        assertEquals("text_completion", r.path("gen_ai.operation.name").asText());
        assertEquals(s.outputTokens, r.path("gen_ai.usage.output_tokens").asLong(), r.toString());
        if (s.inputTokens >= 0) {
          assertEquals(s.inputTokens, r.path("gen_ai.usage.input_tokens").asLong(), r.toString());
        }
        assertEquals(s.finishReason, r.path("gen_ai.response.finish_reasons").path(0).asText());
        assertEquals(SmokeAssertions.sha256(s.text), r.path("ai.output.hash").asText());
      }
    }

    String summary = traced.stderr;
    assertTrue(summary.contains("[tracelight] predictions of fraud:2 (kserve_v2), windows of 1000 calls:"), summary);
    JsonNode json = traced.summaryJson();
    assertNotNull(json, traced.stderr);
    boolean found = false;
    for (JsonNode m : json.path("models")) {
      if ("fraud".equals(m.path("ai.model.name").asText()) && "kserve_v2".equals(m.path("ai.model.runtime").asText())) {
        found = true;
        JsonNode window = m.path("predictions").path("windows").path(0);
        assertEquals(1, window.path("calls").asLong());
        assertEquals(3, window.path("rows").asLong(), m.toString());
      }
    }
    assertTrue(found, json.toString());
  }

  static String root(MockLlmServer server) {
    return "http://127.0.0.1:" + server.port();
  }

  /** The one record of this runtime, model (any when null) and version (none when null). */
  private static JsonNode record(List<JsonNode> records, String runtime, String model, String version) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode r : records) {
      if (runtime.equals(r.path("ai.model.runtime").asText())
          && (model == null || model.equals(r.path("ai.model.name").asText()))
          && java.util.Objects.equals(version, r.has("ai.model.version") ? r.path("ai.model.version").asText() : null)) {
        found.add(r);
      }
    }
    assertEquals(1, found.size(), runtime + " " + model + ": " + records);
    return found.get(0);
  }

  /** The class sent most often; of those tied, the first sent. */
  static String mode(List<String> classes) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String c : classes) {
      counts.merge(c, 1, Integer::sum);
    }
    String top = null;
    for (Map.Entry<String, Integer> e : counts.entrySet()) {
      if (top == null || e.getValue() > counts.get(top)) {
        top = e.getKey();
      }
    }
    return top;
  }

  static double binaryEntropy(double p) {
    return -(p * Math.log(p) + (1 - p) * Math.log(1 - p)) / Math.log(2);
  }
}
