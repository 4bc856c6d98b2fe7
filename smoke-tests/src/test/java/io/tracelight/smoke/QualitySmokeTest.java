package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answer quality and cost through the official OpenAI and Anthropic SDKs in a forked application
 * with the built agent: refusals in words and in the providers' fields, answers stopped at the
 * token limit, broken JSON; the flags on the records, in the summary and in the OTLP metrics, and
 * each call's cost from a user's price file and the tokens the mock sent.
 */
class QualitySmokeTest extends MockServerTest {
  private static final double INPUT_PER_M = 2.0;
  private static final double OUTPUT_PER_M = 8.0;

  @Test
  void refusalsTruncationsAndBrokenJsonAreFlaggedAndPriced(@TempDir Path dir) throws Exception {
    Path prices = dir.resolve("prices.json");
    Files.writeString(prices, "{\"reviewed\":\"2026-11-27\",\"prices\":[{\"providers\":[\"openai\",\"anthropic\"],"
        + "\"model\":\"mock-*\",\"input\":" + INPUT_PER_M + ",\"cache_read\":" + INPUT_PER_M + ",\"cache_write\":"
        + INPUT_PER_M + ",\"output\":" + OUTPUT_PER_M + ",\"checked\":\"2026-11-27\",\"source\":\"the smoke test\"}]}");
    try (OtlpReceiver collector = new OtlpReceiver()) {
      Map<String, String> env = new HashMap<>();
      env.put("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint());
      ForkedJvm.Result run = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir.resolve("app"),
          List.of("-Dtracelight.pricing.file=" + prices, "-Dtracelight.exporters=jsonl,otlp"), env,
          QualityDriver.class.getName(), server.baseUrl());
      assertEquals(0, run.exitCode, run.stderr);
      assertTrue(run.stdout.contains("openai sorry: I\u2019m sorry, but I can\u2019t help"), run.stdout);
      assertTrue(run.stdout.contains("openai bad json: {\"city\": \"Lisbon\", \"population\": "), run.stdout);
      List<JsonNode> records = run.records();
      assertEquals(8, records.size(), run.recordsText());

      JsonNode plain = records.get(0);
      for (String flag : List.of("ai.output.refusal", "ai.output.truncated", "ai.output.invalid_json", "ai.safety.flags")) {
        assertFalse(plain.has(flag), flag + " on an ordinary answer: " + plain);
      }
      assertRefused(records.get(1), "openai_compatible", "phrase:i'm sorry, but i can't");
      assertRefused(records.get(2), "openai_compatible", "refusal_field");
      JsonNode badJson = records.get(3);
      assertTrue(badJson.path("ai.output.invalid_json").asBoolean(), badJson.toString());
      assertEquals("not_json", badJson.path("ai.output.format_error").asText());
      assertFalse(badJson.has("ai.output.refusal"));
      JsonNode length = records.get(4);
      assertTrue(length.path("ai.output.truncated").asBoolean(), length.toString());
      assertEquals("length", length.path("gen_ai.response.finish_reasons").get(0).asText());
      assertTrue(length.path("ai.output.tokens_per_second").asDouble() > 0, length.toString());
      assertRefused(records.get(5), "anthropic", "phrase:i'm sorry, but i can't");
      assertRefused(records.get(6), "anthropic", "stop_reason:refusal");
      JsonNode anthropicLength = records.get(7);
      assertTrue(anthropicLength.path("ai.output.truncated").asBoolean(), anthropicLength.toString());
      assertEquals("max_tokens", anthropicLength.path("gen_ai.response.finish_reasons").get(0).asText());

      // cost: the user's price file for the mock models, the tokens the mock sent
      for (JsonNode r : records.subList(1, 8)) {
        double expected = (r.path("gen_ai.usage.input_tokens").asLong() * INPUT_PER_M
            + r.path("gen_ai.usage.output_tokens").asLong() * OUTPUT_PER_M) / 1e6;
        assertTrue(r.path("gen_ai.usage.output_tokens").asLong() > 0, r.toString());
        assertEquals(expected, r.path("ai.cost.usd").asDouble(), 1e-12, r.toString());
      }
      assertTrue(plain.path("ai.cost.usd").asDouble() > 0, "gpt-4o-mini from the shipped table: " + plain);

      // the summary: a refusal rate per model, in the table and summary.json
      assertTrue(run.stderr.contains("refuse%"), run.stderr);
      int refusals = 0;
      for (JsonNode m : run.summaryJson().path("models")) {
        String model = m.path("gen_ai.request.model").asText();
        assertEquals(model.equals("mock-sorry") || model.equals("mock-refusal") ? 1.0 : 0.0, m.path("refusal_rate").asDouble(),
            m.toString());
        refusals += m.path("answers_flagged").path("refusal").asInt();
      }
      assertEquals(4, refusals);

      // OTLP: answers flagged by flag, and the time between stream chunks
      Map<String, Long> flagged = new HashMap<>();
      long chunkGaps = 0;
      double gapSeconds = 0;
      for (Metric m : collector.metrics("io.tracelight")) {
        if (m.getName().equals("ai.client.answers_flagged")) {
          for (NumberDataPoint p : m.getSum().getDataPointsList()) {
            flagged.merge(OtlpReceiver.attributes(p.getAttributesList()).get("ai.output.flag").getStringValue(),
                p.getAsInt(), Long::sum);
          }
        } else if (m.getName().equals("gen_ai.client.operation.time_per_output_chunk")) {
          assertEquals("s", m.getUnit());
          for (io.opentelemetry.proto.metrics.v1.HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
            chunkGaps += p.getCount();
            gapSeconds += p.getSum();
          }
        }
      }
      assertEquals(4L, flagged.get("refusal"), flagged.toString());
      assertEquals(2L, flagged.get("truncated"), flagged.toString());
      assertEquals(1L, flagged.get("invalid_json"), flagged.toString());
      assertTrue(chunkGaps > 0, "the two streams' chunks after their first");
      assertTrue(gapSeconds >= 0.015, "the mock waits 15 ms between pieces: " + gapSeconds + " s over " + chunkGaps);
    }
  }

  private static void assertRefused(JsonNode record, String provider, String rule) {
    assertEquals(provider, record.path("gen_ai.provider.name").asText(), record.toString());
    assertTrue(record.path("ai.output.refusal").asBoolean(), record.toString());
    assertEquals(rule, record.path("ai.output.refusal_rule").asText(), record.toString());
  }
}
