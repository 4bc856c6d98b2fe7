package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracelight.mock.MockLlmServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Checks records against what the mock server really sent. */
final class SmokeAssertions {
  private SmokeAssertions() {}

  static String sha256(String text) {
    return ClientDriver.sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Every successful record carries the tokens, id and output hash of the response it saw. */
  static void assertMatchesServer(List<JsonNode> records, MockLlmServer server) {
    Map<String, MockLlmServer.Sent> byId =
        server.sent().stream().collect(Collectors.toMap(s -> s.id, Function.identity()));
    for (JsonNode r : records) {
      if (!"ok".equals(r.path("status").asText())) {
        continue;
      }
      String id = r.path("gen_ai.response.id").asText();
      MockLlmServer.Sent sent = byId.get(id);
      assertNotNull(sent, "record's response id is one the server sent: " + r);
      assertEquals(sent.model, r.path("gen_ai.request.model").asText());
      assertEquals(sent.model, r.path("gen_ai.response.model").asText());
      assertEquals(sent.stream, r.path("gen_ai.request.stream").asBoolean(), r.toString());
      if (sent.promptTokens >= 0) {
        assertEquals(sent.promptTokens, r.path("gen_ai.usage.input_tokens").asLong(), r.toString());
        assertEquals(sent.completionTokens, r.path("gen_ai.usage.output_tokens").asLong(), r.toString());
        assertEquals(sent.cachedTokens, r.path("gen_ai.usage.cache_read.input_tokens").asLong(), r.toString());
      } else {
        assertTrue(!r.has("gen_ai.usage.input_tokens") || r.path("ai.usage.estimated").asBoolean(),
            "no usage sent: none recorded, or an estimate marked as one: " + r);
      }
      if (sent.text != null) {
        assertEquals(sha256(sent.text), r.path("ai.output.hash").asText(), r.toString());
      }
      assertEquals("stop", r.path("gen_ai.response.finish_reasons").path(0).asText(), r.toString());
      assertEquals(200, r.path("http.response.status_code").asInt());
      assertEquals("openai_compatible", r.path("gen_ai.provider.name").asText());
      assertEquals("127.0.0.1", r.path("server.address").asText());
      assertEquals(server.port(), r.path("server.port").asInt());
      assertEquals("chat " + sent.model, r.path("name").asText());
      double duration = r.path("duration_ms").asDouble();
      assertTrue(duration > 0, r.toString());
      if (sent.stream) {
        double ttfc = r.path("gen_ai.response.time_to_first_chunk").asDouble(-1);
        assertTrue(ttfc >= 0 && ttfc * 1000 <= duration, "0 <= time to first chunk <= duration: " + r);
      } else {
        assertFalse(r.has("gen_ai.response.time_to_first_chunk"), r.toString());
      }
    }
  }

  static long count(List<JsonNode> records, String key, String value) {
    return records.stream().filter(r -> value.equals(r.path(key).asText())).count();
  }
}
