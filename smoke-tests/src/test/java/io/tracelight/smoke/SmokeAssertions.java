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

  /** An ISO-8601 instant of the agent's files as epoch nanoseconds. */
  static long nanos(String iso) {
    java.time.Instant t = java.time.Instant.parse(iso);
    return t.getEpochSecond() * 1_000_000_000L + t.getNano();
  }

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

  /**
   * Every successful record is matched with the answer the server gave (by response id, or by
   * operation, model and streaming where the protocol has no id) and carries what that answer
   * said: provider, operation, tokens as sent, finish reason, the hash of its text, embedding
   * dimensions, tool calls. A system prompt, when recorded, is the one the driver sent; with
   * {@code everySystemPrompt} every record but embeddings must have it.
   */
  static void assertMatchesSent(List<JsonNode> records, List<MockLlmServer.Sent> sent, boolean everySystemPrompt) {
    List<MockLlmServer.Sent> unused = new java.util.ArrayList<>(sent);
    for (JsonNode r : records) {
      assertEquals("ok", r.path("status").asText(), r.toString());
      MockLlmServer.Sent s = match(r, unused);
      assertNotNull(s, "record matches an answer the server gave: " + r + " among " + unused);
      unused.remove(s);
      String where = r + "\n  vs " + s;
      assertEquals(s.provider, r.path("gen_ai.provider.name").asText().equals("openai_compatible") ? "openai"
          : r.path("gen_ai.provider.name").asText(), where);
      assertEquals(s.operation, r.path("gen_ai.operation.name").asText(), where);
      assertEquals(s.stream, r.path("gen_ai.request.stream").asBoolean(), where);
      expectCount(s.inputTokens, r, "gen_ai.usage.input_tokens", where);
      expectCount(s.outputTokens, r, "gen_ai.usage.output_tokens", where);
      expectCount(s.cacheReadTokens, r, "gen_ai.usage.cache_read.input_tokens", where);
      expectCount(s.cacheCreationTokens, r, "gen_ai.usage.cache_creation.input_tokens", where);
      expectCount(s.reasoningTokens, r, "gen_ai.usage.reasoning.output_tokens", where);
      if (s.finishReason != null) {
        assertEquals(s.finishReason, r.path("gen_ai.response.finish_reasons").path(0).asText(), where);
      }
      if (s.text != null && !s.text.isEmpty() && s.toolCalls.isEmpty()) {
        assertEquals(sha256(s.text), r.path("ai.output.hash").asText(), where);
      }
      if (s.embeddingDimensions >= 0) {
        assertEquals(s.embeddingDimensions, r.path("gen_ai.embeddings.dimension.count").asInt(), where);
      }
      if (!s.toolCalls.isEmpty()) {
        assertEquals(s.toolCalls.size(), r.path("ai.response.tool_calls").asInt(), where);
      }
      if (s.stream) {
        double ttfc = r.path("gen_ai.response.time_to_first_chunk").asDouble(-1);
        assertTrue(ttfc >= 0 && ttfc * 1000 <= r.path("duration_ms").asDouble(), "0 <= time to first chunk <= duration: "
            + where);
      }
      boolean embeddings = "embeddings".equals(s.operation);
      if (r.has("ai.prompt.system_hash") || (everySystemPrompt && !embeddings)) {
        assertEquals(sha256(ProviderDriver.SYSTEM_PROMPT), r.path("ai.prompt.system_hash").asText(), where);
      }
    }
  }

  private static MockLlmServer.Sent match(JsonNode r, List<MockLlmServer.Sent> candidates) {
    String id = r.path("gen_ai.response.id").asText(null);
    for (MockLlmServer.Sent s : candidates) {
      if (id != null && id.equals(s.id)) {
        return s;
      }
    }
    for (MockLlmServer.Sent s : candidates) {
      if (s.id == null && s.operation.equals(r.path("gen_ai.operation.name").asText())
          && s.model.equals(r.path("gen_ai.request.model").asText()) && s.stream == r.path("gen_ai.request.stream").asBoolean()) {
        return s;
      }
    }
    return null;
  }

  /** A count the server sent is recorded as sent; one it did not send is absent or marked estimated. */
  private static void expectCount(long sent, JsonNode r, String key, String where) {
    if (sent >= 0) {
      assertEquals(sent, r.path(key).asLong(-1), key + " " + where);
    } else {
      assertTrue(!r.has(key) || r.path("ai.usage.estimated").asBoolean(), key + " not sent, so not recorded: " + where);
    }
  }

  static long count(List<JsonNode> records, String key, String value) {
    return records.stream().filter(r -> value.equals(r.path(key).asText())).count();
  }
}
