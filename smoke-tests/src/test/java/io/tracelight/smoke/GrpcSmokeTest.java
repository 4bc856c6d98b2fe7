package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * grpc-java clients of model servers in a forked JVM: Triton's and KServe's {@code ModelInfer} and
 * TF Serving's {@code Predict} give prediction records read from the messages' protobuf fields;
 * the application's answers are unchanged.
 */
class GrpcSmokeTest {
  static List<Path> jdks() {
    return ForkedJvm.javaHomes();
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void modelInferAndPredictOverGrpc(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result plain = ForkedJvm.runMain(javaHome, false, dir.resolve("plain"), List.of(), Map.of(),
        GrpcDriver.class.getName());
    ForkedJvm.Result traced = ForkedJvm.runMain(javaHome, true, dir.resolve("traced"), List.of(), Map.of(),
        GrpcDriver.class.getName());
    assertEquals(0, plain.exitCode, plain.stderr);
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(plain.stdout, traced.stdout, "the app gets the same answers with and without the agent");
    List<JsonNode> records = traced.records();
    assertEquals(3, records.size(), "ModelInfer, Predict and the failed ModelInfer: " + traced.recordsText());

    JsonNode infer = records.get(0);
    assertEquals("kserve_v2", infer.path("ai.model.runtime").asText(), infer.toString());
    assertEquals("grpc", infer.path("ai.instrumentation").asText());
    assertEquals("fraud", infer.path("ai.model.name").asText());
    assertEquals("4", infer.path("ai.model.version").asText());
    assertEquals(3, infer.path("ai.batch.size").asLong());
    assertEquals("[\"features:FP32[3,4]\"]", infer.path("ai.model.inputs").toString());
    assertEquals("[\"probabilities:FP32[3,2]\",\"label:INT64[3]\"]", infer.path("ai.model.outputs").toString());
    assertEquals("127.0.0.1", infer.path("server.address").asText());
    assertSummary(InferenceSmokeTest.printed(traced.stdout, "infer").get(0), infer);

    JsonNode predict = records.get(1);
    assertEquals("tf_serving", predict.path("ai.model.runtime").asText(), predict.toString());
    assertEquals("fraud", predict.path("ai.model.name").asText());
    assertEquals("7", predict.path("ai.model.version").asText());
    assertEquals(2, predict.path("ai.batch.size").asLong());
    assertEquals("[\"x:FP32[2,4]\"]", predict.path("ai.model.inputs").toString());
    assertEquals("[\"probabilities:FP32[2,2]\"]", predict.path("ai.model.outputs").toString());
    assertSummary(InferenceSmokeTest.printed(traced.stdout, "predict").get(0), predict);

    JsonNode missing = records.get(2);
    assertEquals("error", missing.path("status").asText(), missing.toString());
    assertEquals("NOT_FOUND", missing.path("error.type").asText());
    assertEquals("missing", missing.path("ai.model.name").asText());
  }

  /** The record's class, mean confidence and entropy from the fraud probabilities the app decoded. */
  private static void assertSummary(double[] fraud, JsonNode r) {
    assertEquals("ok", r.path("status").asText(), r.toString());
    assertFalse(r.has("gen_ai.operation.name"));
    List<String> classes = new java.util.ArrayList<>();
    double confidence = 0;
    double entropy = 0;
    for (double p : fraud) {
      classes.add(p > 0.5 ? "1" : "0");
      confidence += Math.max(p, 1 - p) / fraud.length;
      entropy += ModelServingSmokeTest.binaryEntropy(p) / fraud.length;
    }
    assertEquals(fraud.length, r.path("ai.prediction.rows").asInt(), r.toString());
    assertEquals(ModelServingSmokeTest.mode(classes), r.path("ai.prediction.class").asText(), r.toString());
    assertEquals(confidence, r.path("ai.prediction.confidence").asDouble(), 1e-6, r.toString());
    assertEquals(entropy, r.path("ai.prediction.entropy").asDouble(), 1e-5, r.toString());
  }
}
