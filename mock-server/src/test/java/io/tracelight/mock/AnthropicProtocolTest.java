package io.tracelight.mock;

import static io.tracelight.mock.Wire.contentType;
import static io.tracelight.mock.Wire.json;
import static io.tracelight.mock.Wire.onlySent;
import static io.tracelight.mock.Wire.post;
import static io.tracelight.mock.Wire.sse;
import static io.tracelight.mock.Wire.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AnthropicProtocolTest {
  private MockLlmServer server;

  @BeforeEach
  void start() throws Exception {
    server = MockLlmServer.start(0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String messages(String model, String extra) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":256,\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\"}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hello there\"}]}]" + extra + "}";
  }

  @Test
  void wholeMessageHasInclusiveInputSplitIntoCacheCounts() {
    HttpResponse<byte[]> r = post(server, "/v1/messages", messages("claude-sonnet-4", ""), "anthropic-version", "2023-06-01");
    assertEquals(200, r.statusCode());
    assertEquals("application/json", contentType(r));
    JsonNode body = json(r);
    assertEquals("message", body.path("type").asText());
    assertEquals("end_turn", body.path("stop_reason").asText());
    assertEquals(MockLlmServer.answer("claude-sonnet-4", 2), body.path("content").path(0).path("text").asText());
    JsonNode u = body.path("usage");
    long prompt = 8 + ("Be brief.".length() + "Hello there".length()) / 4;
    assertTrue(u.path("cache_read_input_tokens").asLong() > 0 && u.path("cache_creation_input_tokens").asLong() > 0);
    assertEquals(prompt, u.path("input_tokens").asLong() + u.path("cache_read_input_tokens").asLong()
        + u.path("cache_creation_input_tokens").asLong());
    MockLlmServer.Sent sent = onlySent(server);
    assertEquals("anthropic", sent.provider);
    assertEquals(prompt, sent.inputTokens);
    assertEquals(u.path("cache_read_input_tokens").asLong(), sent.cacheReadTokens);
    assertEquals(u.path("cache_creation_input_tokens").asLong(), sent.cacheCreationTokens);
    assertEquals(u.path("output_tokens").asLong(), sent.outputTokens);
    assertEquals(body.path("id").asText(), sent.id);
    assertEquals(Wire.header(r, "request-id"), "req_mock1");
  }

  @Test
  void streamHasTheEventSequenceAndCumulativeUsage() {
    HttpResponse<byte[]> r = post(server, "/v1/messages", messages("claude-sonnet-4", ",\"stream\":true"));
    assertEquals("text/event-stream; charset=utf-8", contentType(r));
    List<Wire.Sse> events = sse(text(r), "\n\n");
    List<String> names = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (Wire.Sse e : events) {
      assertEquals(e.event, e.json().path("type").asText());
      names.add(e.event);
      if (e.event.equals("content_block_delta")) {
        text.append(e.json().path("delta").path("text").asText());
      }
    }
    assertEquals(List.of("message_start", "content_block_start", "ping"), names.subList(0, 3));
    assertEquals(List.of("content_block_stop", "message_delta", "message_stop"), names.subList(names.size() - 3, names.size()));
    assertEquals(MockLlmServer.answer("claude-sonnet-4", 2), text.toString());
    JsonNode delta = events.get(events.size() - 2).json();
    MockLlmServer.Sent sent = onlySent(server);
    assertEquals(sent.outputTokens, delta.path("usage").path("output_tokens").asLong());
    assertEquals(sent.cacheReadTokens, delta.path("usage").path("cache_read_input_tokens").asLong());
    assertEquals(sent.cacheReadTokens, events.get(0).json().path("message").path("usage").path("cache_read_input_tokens").asLong());
    assertTrue(sent.stream);
  }

  @Test
  void toolUseStreamsItsInputAsJsonDeltas() {
    String tools = ",\"tools\":[{\"name\":\"get_tide_times\",\"input_schema\":{\"type\":\"object\",\"properties\":"
        + "{\"harbour\":{\"type\":\"string\"},\"date\":{\"type\":\"string\"}},\"required\":[\"harbour\"]}}]";
    JsonNode whole = json(post(server, "/v1/messages", messages("mock-tools", tools)));
    assertEquals("tool_use", whole.path("stop_reason").asText());
    JsonNode block = whole.path("content").path(0);
    assertEquals("tool_use", block.path("type").asText());
    assertEquals("mock", block.path("input").path("harbour").asText());

    List<Wire.Sse> events = sse(text(post(server, "/v1/messages", messages("mock-tools", tools + ",\"stream\":true"))), "\n\n");
    StringBuilder json = new StringBuilder();
    for (Wire.Sse e : events) {
      JsonNode d = e.json().path("delta");
      if ("input_json_delta".equals(d.path("type").asText())) {
        json.append(d.path("partial_json").asText());
      }
    }
    assertEquals(block.path("input"), json(json.toString()));
    assertEquals("get_tide_times", server.sent().get(1).toolCalls.get(0).name);
  }

  @Test
  void refusalStreamErrorAndCountTokens() {
    JsonNode refusal = json(post(server, "/v1/messages", messages("mock-refusal", "")));
    assertEquals("refusal", refusal.path("stop_reason").asText());
    assertEquals("refusal", onlySent(server).finishReason);

    List<Wire.Sse> events = sse(text(post(server, "/v1/messages", messages("mock-stream-error", ",\"stream\":true"))), "\n\n");
    Wire.Sse last = events.get(events.size() - 1);
    assertEquals("error", last.event);
    assertEquals("overloaded_error", last.json().path("error").path("type").asText());

    JsonNode count = json(post(server, "/v1/messages/count_tokens", messages("claude-sonnet-4", "")));
    assertEquals(8 + ("Be brief.".length() + "Hello there".length()) / 4, count.path("input_tokens").asLong());
    assertEquals(1, server.sent().size(), "neither the failed stream nor the count is an answer");
  }

  @Test
  void errorsUseAnthropicsEnvelope() {
    HttpResponse<byte[]> limited = post(server, "/v1/messages", messages("mock-error-429", ""));
    assertEquals(429, limited.statusCode());
    assertEquals("error", json(limited).path("type").asText());
    assertEquals("rate_limit_error", json(limited).path("error").path("type").asText());
    HttpResponse<byte[]> overloaded = post(server, "/v1/messages", messages("mock-overloaded", ",\"stream\":true"));
    assertEquals(529, overloaded.statusCode());
    assertEquals("overloaded_error", json(overloaded).path("error").path("type").asText());
  }
}
