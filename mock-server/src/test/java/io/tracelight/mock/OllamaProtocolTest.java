package io.tracelight.mock;

import static io.tracelight.mock.Wire.contentType;
import static io.tracelight.mock.Wire.json;
import static io.tracelight.mock.Wire.ndjson;
import static io.tracelight.mock.Wire.onlySent;
import static io.tracelight.mock.Wire.post;
import static io.tracelight.mock.Wire.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OllamaProtocolTest {
  private static final String CHAT = "{\"model\":\"llama3.2:3b\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
      + "{\"role\":\"user\",\"content\":\"Capital of Portugal?\"}]";
  private MockLlmServer server;

  @BeforeEach
  void start() throws Exception {
    server = MockLlmServer.start(0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void chatStreamsNdjsonByDefault() {
    HttpResponse<byte[]> r = post(server, "/api/chat", CHAT + "}");
    assertEquals("application/x-ndjson", contentType(r));
    List<JsonNode> lines = ndjson(text(r));
    StringBuilder text = new StringBuilder();
    for (JsonNode l : lines.subList(0, lines.size() - 1)) {
      assertFalse(l.path("done").asBoolean());
      assertFalse(l.has("eval_count"), "metrics only in the final line");
      text.append(l.path("message").path("content").asText());
    }
    assertEquals(MockLlmServer.answer("llama3.2:3b", 2), text.toString());
    JsonNode last = lines.get(lines.size() - 1);
    assertTrue(last.path("done").asBoolean());
    assertEquals("stop", last.path("done_reason").asText());
    assertEquals(last.path("total_duration").asLong(), last.path("load_duration").asLong()
        + last.path("prompt_eval_duration").asLong() + last.path("eval_duration").asLong() + 1_500_000);
    MockLlmServer.Sent sent = onlySent(server);
    assertEquals("ollama", sent.provider);
    assertTrue(sent.stream);
    assertNull(sent.id, "Ollama sends no response id");
    assertEquals(last.path("prompt_eval_count").asLong(), sent.inputTokens);
    assertEquals(last.path("eval_count").asLong(), sent.outputTokens);
  }

  @Test
  void chatAndGenerateWhole() {
    HttpResponse<byte[]> r = post(server, "/api/chat", CHAT + ",\"stream\":false}");
    assertEquals("application/json; charset=utf-8", contentType(r));
    JsonNode chat = json(r);
    assertEquals(MockLlmServer.answer("llama3.2:3b", 2), chat.path("message").path("content").asText());
    assertTrue(chat.path("done").asBoolean());
    JsonNode generate = json(post(server, "/api/generate",
        "{\"model\":\"llama3.2:3b\",\"system\":\"Be brief.\",\"prompt\":\"Capital of Portugal?\",\"stream\":false}"));
    assertEquals(chat.path("message").path("content").asText(), generate.path("response").asText());
    assertEquals(chat.path("prompt_eval_count"), generate.path("prompt_eval_count"));
    assertTrue(generate.path("context").isArray());
    assertEquals("text_completion", server.sent().get(1).operation);
    List<JsonNode> streamed = ndjson(text(post(server, "/api/generate", "{\"model\":\"llama3.2:3b\",\"prompt\":\"hi\"}")));
    assertTrue(streamed.get(streamed.size() - 1).has("context"));

    JsonNode load = json(post(server, "/api/generate", "{\"model\":\"llama3.2:3b\"}"));
    assertEquals("load", load.path("done_reason").asText());
    assertEquals(3, server.sent().size(), "loading a model is not an answer");
  }

  @Test
  void toolCallsCarryArgumentsAsAnObject() {
    String tools = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":"
        + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]";
    JsonNode whole = json(post(server, "/api/chat", CHAT.replace("llama3.2:3b", "mock-tools:latest") + tools + ",\"stream\":false}"));
    JsonNode call = whole.path("message").path("tool_calls").path(0);
    assertTrue(call.path("id").asText().matches("call_[0-9a-z]{8}"));
    assertTrue(call.path("function").path("arguments").isObject());
    assertEquals("mock", call.path("function").path("arguments").path("city").asText());
    List<JsonNode> lines = ndjson(text(post(server, "/api/chat", CHAT.replace("llama3.2:3b", "mock-tools") + tools + "}")));
    assertEquals("get_weather", lines.get(0).path("message").path("tool_calls").path(0).path("function").path("name").asText());
    assertEquals("get_weather", server.sent().get(1).toolCalls.get(0).name);
  }

  @Test
  void streamErrorEndsWithAnErrorLine() {
    List<JsonNode> lines = ndjson(text(post(server, "/api/chat", CHAT.replace("llama3.2:3b", "mock-stream-error") + "}")));
    JsonNode last = lines.get(lines.size() - 1);
    assertTrue(last.has("error") && !last.has("done"));
    assertEquals(3, lines.size());
    assertTrue(server.sent().isEmpty());
  }

  @Test
  void embeddingsAndProbes() {
    JsonNode embed = json(post(server, "/api/embed", "{\"model\":\"nomic-embed-text\",\"input\":[\"a\",\"b\"],\"dimensions\":6}"));
    assertEquals(2, embed.path("embeddings").size());
    assertEquals(6, embed.path("embeddings").path(0).size());
    JsonNode single = json(post(server, "/api/embed", "{\"model\":\"nomic-embed-text\",\"input\":\"a\"}"));
    assertEquals(1, single.path("embeddings").size(), "always a list of vectors");
    JsonNode legacy = json(post(server, "/api/embeddings", "{\"model\":\"nomic-embed-text\",\"prompt\":\"a\"}"));
    assertEquals(1, legacy.size(), "only the vector");
    assertEquals(768, legacy.path("embedding").size());
    List<MockLlmServer.Sent> sent = server.sent();
    assertEquals(embed.path("prompt_eval_count").asLong(), sent.get(0).inputTokens);
    assertEquals(-1, sent.get(2).inputTokens);

    assertEquals("mock:latest", json(Wire.get(server, "/api/tags")).path("models").path(0).path("name").asText());
    assertTrue(json(Wire.get(server, "/api/version")).has("version"));
    assertEquals("Ollama is running", text(Wire.get(server, "/")));
  }

  @Test
  void errorsAreAPlainErrorString() {
    HttpResponse<byte[]> missing = post(server, "/api/chat", CHAT.replace("llama3.2:3b", "llama-no-such-model") + "}");
    assertEquals(404, missing.statusCode());
    assertEquals("model 'llama-no-such-model' not found", json(missing).path("error").asText());
    assertEquals(429, post(server, "/api/generate", "{\"model\":\"mock-error-429\",\"prompt\":\"x\"}").statusCode());
    assertEquals(503, post(server, "/api/chat", CHAT.replace("llama3.2:3b", "mock-overloaded") + "}").statusCode());
  }
}
