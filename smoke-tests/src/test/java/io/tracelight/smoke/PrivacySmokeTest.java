package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.common.v1.AnyValue;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Capture levels, PII counts and fidelity rules through a forked application with the built agent:
 * secrets planted where applications put them never reach a file, an OTLP payload or a log line, at
 * any level, and the fintech rules keep each workload as they say.
 */
class PrivacySmokeTest extends MockServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SECRETS = List.of(PrivacyDriver.AUTH_HEADER_KEY, PrivacyDriver.X_API_KEY,
      PrivacyDriver.GEMINI_KEY, PrivacyDriver.PROMPT_KEY);

  @ParameterizedTest
  @ValueSource(strings = {"none", "hash", "redacted", "full"})
  void secretsNeverLeaveAndEachLevelKeepsWhatItSays(String level, @TempDir Path dir) throws Exception {
    try (OtlpReceiver collector = new OtlpReceiver()) {
      Map<String, String> env = new HashMap<>();
      env.put("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint());
      ForkedJvm.Result traced = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir,
          List.of("-Dtracelight.capture.content=" + level, "-Dtracelight.exporters=jsonl,otlp"), env,
          PrivacyDriver.class.getName(), "secrets", server.baseUrl());
      assertEquals(0, traced.exitCode, traced.stderr);
      List<JsonNode> records = traced.records();
      assertEquals(3, records.size(), traced.recordsText());

      List<String> written = new ArrayList<>();
      try (Stream<Path> files = Files.walk(traced.outputDir)) {
        for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
          written.add(f + ": " + Files.readString(f, StandardCharsets.ISO_8859_1));
        }
      }
      written.add("stderr: " + traced.stderr);
      written.add("stdout: " + traced.stdout);
      assertFalse(collector.raw.isEmpty(), "the spans were sent");
      for (byte[] body : collector.raw) {
        written.add("otlp: " + new String(body, StandardCharsets.ISO_8859_1));
      }
      for (String secret : SECRETS) {
        for (String w : written) {
          assertFalse(w.contains(secret), level + ": " + secret + " in " + w.substring(0, Math.min(200, w.length())));
        }
      }

      JsonNode chat = records.get(0);
      assertEquals(level, chat.path("ai.content.capture").asText());
      assertEquals(List.of("email:2", "openai_key:1", "payment_card:1"), strings(chat.path("ai.pii.input")));
      assertEquals(List.of("email:1", "phone:1"), strings(chat.path("ai.pii.output")), "the mock's answer names a person");
      assertEquals(List.of("email:1", "openai_key:1"), strings(records.get(1).path("ai.pii.input")));
      assertEquals(List.of("iban:1"), strings(records.get(2).path("ai.pii.input")));
      assertEquals(!level.equals("none"), chat.has("ai.prompt.system_hash"), chat.toString());
      assertEquals(!level.equals("none"), chat.has("ai.input.hash"), chat.toString());
      boolean text = level.equals("redacted") || level.equals("full");
      assertEquals(text, chat.has("gen_ai.input.messages"), chat.toString());
      assertEquals(text, records.get(1).has("gen_ai.output.messages"), "the Anthropic stream's answer: " + records.get(1));
      String all = traced.recordsText();
      assertEquals(level.equals("full"), all.contains(PrivacyDriver.CARD), "a card number only in full");
      assertEquals(level.equals("full"), all.contains(PrivacyDriver.EMAIL));
      if (text) {
        JsonNode input = JSON.readTree(chat.path("gen_ai.input.messages").asText());
        String content = input.get(0).path("parts").get(0).path("content").asText();
        assertTrue(content.contains("my key is [OPENAI_KEY]"), content);
        assertEquals(level.equals("redacted"), content.startsWith("My card is [PAYMENT_CARD], mail [EMAIL]"), content);
        Map<String, AnyValue> span = spanOf(collector, chat.path("span_id").asText());
        assertEquals(chat.path("gen_ai.input.messages").asText(), span.get("gen_ai.input.messages").getStringValue(),
            "OTLP gets what the record has");
      }
    }
  }

  private static Map<String, AnyValue> spanOf(OtlpReceiver collector, String spanId) {
    for (OtlpReceiver.Received r : collector.spans()) {
      if (OtlpReceiver.hex(r.span.getSpanId().toByteArray()).equals(spanId)) {
        return OtlpReceiver.attributes(r.span.getAttributesList());
      }
    }
    throw new AssertionError("no span " + spanId);
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  @Test
  void everySamplerAndDetectorThroughAForkedApp(@TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir,
        List.of("-Dtracelight.fidelity.default-level=2", "-Dtracelight.sampling.ratio=0",
            "-Dtracelight.sampling.floor-per-minute=1", "-Dtracelight.sampling.reservoir=5"), Map.of(),
        PrivacyDriver.class.getName(), "samplers", server.baseUrl());
    assertEquals(0, traced.exitCode, traced.stderr);
    Map<String, List<JsonNode>> byReason = new HashMap<>();
    for (JsonNode r : traced.records()) {
      assertEquals(2, r.path("ai.fidelity.level").asInt());
      byReason.computeIfAbsent(r.path("ai.sample.reason").asText(), k -> new ArrayList<>()).add(r);
    }
    assertEquals(Set.of("pii", "floor", "trace:error", "error", "reservoir"), byReason.keySet(), byReason.toString());

    JsonNode pii = byReason.get("pii").get(0);
    assertEquals(List.of("anthropic_key:1", "aws_access_key:1", "bearer_token:1", "email:1", "google_api_key:1",
        "iban:1", "ip_address:2", "jwt:1", "openai_key:1", "payment_card:1", "phone:1", "us_ssn:1"),
        strings(pii.path("ai.pii.input")), "every built-in detector, in a forked app");

    List<String> floors = new ArrayList<>();
    byReason.get("floor").forEach(r -> floors.add(r.path("gen_ai.request.model").asText()));
    assertEquals(List.of("agent-step", "bulk-model"), floors, "the first of each model this minute");

    String agentTrace = PrivacyDriver.AGENT_TRACE.substring(3, 35);
    assertEquals(2, byReason.get("trace:error").size(), "the agent's two held steps, kept when its last step failed");
    for (JsonNode r : byReason.get("trace:error")) {
      assertEquals("agent-step", r.path("gen_ai.request.model").asText());
      assertEquals(agentTrace, r.path("trace_id").asText());
    }
    assertEquals("mock-error-500", byReason.get("error").get(0).path("gen_ai.request.model").asText());

    assertEquals(5, byReason.get("reservoir").size(), "the reservoir, written at exit");
    Set<String> chosen = new java.util.HashSet<>();
    for (JsonNode r : byReason.get("reservoir")) {
      assertEquals("bulk-model", r.path("gen_ai.request.model").asText());
      assertTrue(chosen.add(r.path("span_id").asText()));
    }
    JsonNode summary = traced.summaryJson();
    assertEquals(11, summary.path("records_kept").asLong());
    assertEquals(PrivacyDriver.BULK_CALLS - 1 - 5, summary.path("records_sampled_out").asLong());
  }

  @Test
  void fintechRulesKeepCreditInFullSampleLabellingAndAlwaysKeepFraudFlags(@TempDir Path dir) throws Exception {
    String rules = "header.x-workload=credit-scoring => 0; header.x-workload=labelling => 2 ratio=0.05; "
        + "operation=embeddings => 3; header.x-workload=fraud => 1";
    ForkedJvm.Result traced = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir,
        List.of("-Dtracelight.fidelity.rules=" + rules, "-Dtracelight.sampling.floor-per-minute=0"), Map.of(),
        PrivacyDriver.class.getName(), "workloads", server.baseUrl());
    assertEquals(0, traced.exitCode, traced.stderr);

    Random traces = new Random(PrivacyDriver.TRACE_SEED);
    List<String> inRatio = new ArrayList<>();
    for (int i = 0; i < PrivacyDriver.LABELLING_CALLS; i++) {
      String traceId = PrivacyDriver.traceparent(traces).substring(3, 35);
      long low = Long.parseUnsignedLong(traceId.substring(16), 16) >>> 1;
      if (low < (long) (0.05 * Long.MAX_VALUE)) {
        inRatio.add(traceId);
      }
    }
    assertTrue(inRatio.size() > 3 && inRatio.size() < 30, "5% of 300: " + inRatio.size());

    List<JsonNode> credit = new ArrayList<>();
    List<String> labelled = new ArrayList<>();
    int fraud = 0;
    int errors = 0;
    for (JsonNode r : traced.records()) {
      String model = r.path("gen_ai.request.model").asText();
      assertFalse(model.startsWith("text-embedding"), "level 3 leaves no record");
      if (model.equals("gpt-4o")) {
        credit.add(r);
      } else if (model.equals("gpt-4o-mini")) {
        assertEquals(2, r.path("ai.fidelity.level").asInt());
        assertEquals("ratio", r.path("ai.sample.reason").asText());
        labelled.add(r.path("trace_id").asText());
      } else if (model.equals("mock-error-500")) {
        assertEquals("error", r.path("ai.sample.reason").asText());
        errors++;
      } else {
        assertEquals(1, r.path("ai.fidelity.level").asInt());
        assertEquals("all", r.path("ai.sample.reason").asText());
        assertNull(r.get("gen_ai.input.messages"));
        fraud++;
      }
    }
    assertEquals(3, credit.size());
    for (JsonNode r : credit) {
      assertEquals(0, r.path("ai.fidelity.level").asInt());
      assertEquals("redacted", r.path("ai.content.capture").asText());
      assertTrue(r.path("gen_ai.input.messages").asText().contains("mail [EMAIL]"), r.toString());
    }
    assertEquals(inRatio, labelled, "exactly the traces the ratio keeps, in order");
    assertEquals(1, errors);
    assertEquals(4, fraud);

    JsonNode summary = traced.summaryJson();
    assertEquals(3 + inRatio.size() + 1 + 4, summary.path("records_kept").asLong());
    assertEquals(PrivacyDriver.LABELLING_CALLS - inRatio.size(), summary.path("records_sampled_out").asLong());
    assertEquals(1, summary.path("records_metrics_only").asLong());
    assertTrue(traced.stderr.contains("records kept"), traced.stderr);
    long calls = 0;
    for (JsonNode m : summary.path("models")) {
      calls += m.path("calls").asLong();
    }
    assertEquals(3 + PrivacyDriver.LABELLING_CALLS + 1 + 4 + 1, calls, "metrics count every call");
  }
}
