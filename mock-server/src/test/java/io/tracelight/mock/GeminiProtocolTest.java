package io.tracelight.mock;

import static io.tracelight.mock.Wire.contentType;
import static io.tracelight.mock.Wire.json;
import static io.tracelight.mock.Wire.onlySent;
import static io.tracelight.mock.Wire.post;
import static io.tracelight.mock.Wire.sse;
import static io.tracelight.mock.Wire.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GeminiProtocolTest {
  private static final String REQUEST = "{\"systemInstruction\":{\"parts\":[{\"text\":\"Be brief.\"}]},"
      + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Why is the sea salty?\"}]}]}";
  private static final String VERTEX = "/v1/projects/p1/locations/us-central1/publishers/google/models/";
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
  void generateContentCountsThoughtsApartFromCandidates() {
    HttpResponse<byte[]> r = post(server, "/v1beta/models/gemini-2.5-flash:generateContent", REQUEST,
        "x-goog-api-key", "AIza-mock");
    assertEquals("application/json; charset=UTF-8", contentType(r));
    assertTrue(text(r).startsWith("{\n  \"candidates\": ["), "Google's two-space layout");
    JsonNode body = json(r);
    JsonNode candidate = body.path("candidates").path(0);
    assertEquals(MockLlmServer.answer("gemini-2.5-flash", 2), candidate.path("content").path("parts").path(0).path("text").asText());
    assertEquals("STOP", candidate.path("finishReason").asText());
    JsonNode u = body.path("usageMetadata");
    assertEquals(u.path("totalTokenCount").asLong(), u.path("promptTokenCount").asLong()
        + u.path("candidatesTokenCount").asLong() + u.path("thoughtsTokenCount").asLong());
    MockLlmServer.Sent sent = onlySent(server);
    assertEquals("gcp.gemini", sent.provider);
    assertEquals("generate_content", sent.operation);
    assertEquals(u.path("promptTokenCount").asLong(), sent.inputTokens);
    assertEquals(u.path("candidatesTokenCount").asLong() + u.path("thoughtsTokenCount").asLong(), sent.outputTokens);
    assertEquals(u.path("thoughtsTokenCount").asLong(), sent.reasoningTokens);
    assertEquals(u.path("cachedContentTokenCount").asLong(), sent.cacheReadTokens);
    assertEquals(body.path("responseId").asText(), sent.id);
  }

  @Test
  void sseStreamCarriesRunningUsageInEveryChunk() {
    HttpResponse<byte[]> r = post(server, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=AIza-mock", REQUEST);
    assertEquals("text/event-stream", contentType(r));
    List<Wire.Sse> events = sse(text(r), "\r\n\r\n");
    StringBuilder text = new StringBuilder();
    long candidates = -1;
    for (Wire.Sse e : events) {
      assertTrue(e.data.contains("\": "), "Google's \"key\": value style");
      JsonNode chunk = e.json();
      text.append(chunk.path("candidates").path(0).path("content").path("parts").path(0).path("text").asText());
      assertTrue(chunk.path("usageMetadata").has("promptTokenCount"), "every AI Studio chunk has usage");
      candidates = chunk.path("usageMetadata").path("candidatesTokenCount").asLong(-1);
    }
    assertEquals(MockLlmServer.answer("gemini-2.5-flash", 2), text.toString());
    assertFalse(events.get(0).json().path("usageMetadata").has("candidatesTokenCount"));
    MockLlmServer.Sent sent = onlySent(server);
    assertEquals(candidates + Answers.REASONING, sent.outputTokens, "the last chunk's usage is the answer's");
    assertEquals("STOP", events.get(events.size() - 1).json().path("candidates").path(0).path("finishReason").asText());
  }

  @Test
  void streamWithoutAltIsOneJsonArraySentElementByElement() {
    HttpResponse<byte[]> r = post(server, "/v1beta/models/gemini-2.5-flash:streamGenerateContent", REQUEST);
    assertEquals("application/json; charset=UTF-8", contentType(r));
    String body = text(r);
    assertTrue(body.startsWith("[{\n") && body.endsWith("}\n]"), body);
    assertTrue(body.contains("\n}\n,\r\n{\n"));
    JsonNode array = json(body);
    assertTrue(array.isArray() && array.size() > 3);
    StringBuilder text = new StringBuilder();
    array.forEach(c -> text.append(c.path("candidates").path(0).path("content").path("parts").path(0).path("text").asText()));
    assertEquals(MockLlmServer.answer("gemini-2.5-flash", 2), text.toString());
  }

  @Test
  void vertexStreamHasCountsOnlyInTheLastChunk() {
    List<Wire.Sse> events = sse(text(post(server, VERTEX + "gemini-2.0-flash:streamGenerateContent?alt=sse", REQUEST)), "\r\n\r\n");
    for (Wire.Sse e : events.subList(0, events.size() - 1)) {
      JsonNode u = e.json().path("usageMetadata");
      assertEquals("ON_DEMAND", u.path("trafficType").asText());
      assertFalse(u.has("promptTokenCount"));
      assertTrue(e.json().has("createTime"));
    }
    JsonNode last = events.get(events.size() - 1).json().path("usageMetadata");
    MockLlmServer.Sent sent = onlySent(server);
    assertEquals("gcp.vertex_ai", sent.provider);
    assertEquals(last.path("promptTokenCount").asLong(), sent.inputTokens);
    assertEquals(last.path("candidatesTokenCount").asLong() + last.path("thoughtsTokenCount").asLong(), sent.outputTokens);

    json(post(server, "/v1beta1/publishers/google/models/gemini-2.0-flash:generateContent", REQUEST));
    assertEquals("gcp.vertex_ai", server.sent().get(1).provider, "express mode, without the project");
  }

  @Test
  void refusalToolsAndStreamError() {
    JsonNode blocked = json(post(server, "/v1beta/models/mock-refusal:generateContent", REQUEST));
    assertEquals("SAFETY", blocked.path("promptFeedback").path("blockReason").asText());
    assertFalse(blocked.has("candidates"));

    String tools = REQUEST.substring(0, REQUEST.length() - 1) + ",\"tools\":[{\"functionDeclarations\":[{\"name\":\"lookup_tide_table\","
        + "\"parameters\":{\"type\":\"OBJECT\",\"properties\":{\"station_id\":{\"type\":\"STRING\"},\"days\":{\"type\":\"INTEGER\"}},"
        + "\"required\":[\"station_id\",\"days\"]}}]}]}";
    JsonNode call = json(post(server, "/v1beta/models/mock-tools:generateContent", tools))
        .path("candidates").path(0).path("content").path("parts").path(0).path("functionCall");
    assertEquals("lookup_tide_table", call.path("name").asText());
    assertEquals(1, call.path("args").path("days").asInt());

    List<Wire.Sse> events = sse(text(post(server, "/v1beta/models/mock-stream-error:streamGenerateContent?alt=sse", REQUEST)), "\r\n\r\n");
    assertEquals("INTERNAL", events.get(events.size() - 1).json().path("error").path("status").asText());
    String array = text(post(server, "/v1beta/models/mock-stream-error:streamGenerateContent", REQUEST));
    JsonNode elements = json(array);
    assertEquals(500, elements.get(elements.size() - 1).path("error").path("code").asInt());
    assertEquals(2, server.sent().size());
  }

  @Test
  void embeddingsAndCountTokens() {
    String one = "{\"content\":{\"parts\":[{\"text\":\"Tide pools\"}]},\"outputDimensionality\":8}";
    JsonNode embed = json(post(server, "/v1beta/models/gemini-embedding-001:embedContent", one));
    assertEquals(8, embed.path("embedding").path("values").size());
    assertFalse(embed.has("usageMetadata"), "AI Studio reports no tokens for embeddings");
    JsonNode batch = json(post(server, "/v1beta/models/gemini-embedding-001:batchEmbedContents",
        "{\"requests\":[" + one + "," + one + "]}"));
    assertEquals(2, batch.path("embeddings").size());
    assertEquals(embed.path("embedding"), batch.path("embeddings").path(1));
    JsonNode vertex = json(post(server, VERTEX + "gemini-embedding-001:embedContent", one));
    assertTrue(vertex.path("usageMetadata").path("promptTokenCount").asLong() > 0);
    JsonNode predict = json(post(server, VERTEX + "text-embedding-005:predict",
        "{\"instances\":[{\"content\":\"a\"},{\"content\":\"b\"}],\"parameters\":{\"outputDimensionality\":4}}"));
    assertEquals(4, predict.path("predictions").path(1).path("embeddings").path("values").size());
    List<MockLlmServer.Sent> sent = server.sent();
    assertEquals(-1, sent.get(0).inputTokens);
    assertEquals(8, sent.get(0).embeddingDimensions);
    assertEquals(vertex.path("usageMetadata").path("promptTokenCount").asLong(), sent.get(2).inputTokens);
    assertEquals("embeddings", sent.get(3).operation);

    JsonNode count = json(post(server, "/v1beta/models/gemini-2.5-flash:countTokens", REQUEST));
    assertEquals(8 + ("Be brief.".length() + "Why is the sea salty?".length()) / 4, count.path("totalTokens").asLong());
    assertEquals(4, server.sent().size(), "counting tokens is not an answer");
  }

  @Test
  void errorsUseGooglesStatusEnvelope() {
    HttpResponse<byte[]> limited = post(server, "/v1beta/models/mock-error-429:generateContent", REQUEST);
    assertEquals(429, limited.statusCode());
    assertEquals("RESOURCE_EXHAUSTED", json(limited).path("error").path("status").asText());
    assertEquals(429, json(limited).path("error").path("code").asInt());
    HttpResponse<byte[]> overloaded = post(server, VERTEX + "mock-overloaded:streamGenerateContent?alt=sse", REQUEST);
    assertEquals(503, overloaded.statusCode());
    assertEquals("UNAVAILABLE", json(overloaded).path("error").path("status").asText());
  }
}
