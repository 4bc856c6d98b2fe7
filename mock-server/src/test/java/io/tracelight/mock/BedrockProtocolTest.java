package io.tracelight.mock;

import static io.tracelight.mock.Wire.contentType;
import static io.tracelight.mock.Wire.frames;
import static io.tracelight.mock.Wire.header;
import static io.tracelight.mock.Wire.json;
import static io.tracelight.mock.Wire.onlySent;
import static io.tracelight.mock.Wire.post;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BedrockProtocolTest {
  private static final String CONVERSE = "{\"system\":[{\"text\":\"Be brief.\"},{\"cachePoint\":{\"type\":\"default\"}}],"
      + "\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Tallest lighthouse?\"}]}]";
  private MockLlmServer server;

  @BeforeEach
  void start() throws Exception {
    server = MockLlmServer.start(0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** The frame from the Bedrock facts sheet's hex dump (contentBlockStop, 136 bytes): the writer must reproduce it. */
  @Test
  void writerReproducesARecordedFrame() {
    String hex = "000000880000005666bcd0fb0b3a6576656e742d74797065070010636f6e74656e74426c6f636b53746f700d3a636f6e74656e742d74"
        + "7970650700106170706c69636174696f6e2f6a736f6e0d3a6d6573736167652d747970650700056576656e747b22636f6e74656e74426c6f"
        + "636b496e646578223a302c2270223a2261626364227d6f7ed38e";
    byte[] expected = new byte[hex.length() / 2];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    byte[] frame = EventStreamWriter.event("contentBlockStop",
        "{\"contentBlockIndex\":0,\"p\":\"abcd\"}".getBytes(StandardCharsets.UTF_8));
    assertArrayEquals(expected, frame);
  }

  @Test
  void converseWholeWithAnEncodedProfileId() {
    HttpResponse<byte[]> r = post(server, "/model/us.anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse", CONVERSE + "}");
    assertEquals(200, r.statusCode());
    assertEquals("application/json", contentType(r));
    JsonNode body = json(r);
    assertEquals(MockLlmServer.answer("us.anthropic.claude-3-5-sonnet-20241022-v2:0", 2),
        body.path("output").path("message").path("content").path(0).path("text").asText());
    JsonNode u = body.path("usage");
    assertEquals(u.path("totalTokens").asLong(), u.path("inputTokens").asLong() + u.path("outputTokens").asLong()
        + u.path("cacheReadInputTokens").asLong() + u.path("cacheWriteInputTokens").asLong());
    MockLlmServer.Sent sent = onlySent(server);
    assertEquals("aws.bedrock", sent.provider);
    assertEquals("us.anthropic.claude-3-5-sonnet-20241022-v2:0", sent.model);
    assertEquals(header(r, "x-amzn-RequestId"), sent.id);
    assertEquals(u.path("inputTokens").asLong() + u.path("cacheReadInputTokens").asLong()
        + u.path("cacheWriteInputTokens").asLong(), sent.inputTokens);
    assertEquals(8 + ("Be brief.".length() + "Tallest lighthouse?".length()) / 4, sent.inputTokens);
    assertEquals("end_turn", sent.finishReason);
  }

  @Test
  void converseStreamFramesDecodeWithBothCrcs() {
    HttpResponse<byte[]> r = post(server, "/model/amazon.nova-pro-v1:0/converse-stream", CONVERSE + "}");
    assertEquals("application/vnd.amazon.eventstream", contentType(r));
    List<Wire.Frame> frames = frames(r.body());
    List<String> types = new ArrayList<>();
    StringBuilder text = new StringBuilder();
    for (Wire.Frame f : frames) {
      assertEquals("event", f.header(":message-type"));
      assertEquals("application/json", f.header(":content-type"));
      assertEquals(List.of(":event-type", ":content-type", ":message-type"), new ArrayList<>(f.headers.keySet()));
      types.add(f.header(":event-type"));
      text.append(f.json().path("delta").path("text").asText(""));
      assertTrue(f.json().has("p"), "padded like Bedrock");
    }
    assertEquals("messageStart", types.get(0));
    assertEquals(List.of("contentBlockStop", "messageStop", "metadata"), types.subList(types.size() - 3, types.size()));
    assertEquals(MockLlmServer.answer("amazon.nova-pro-v1:0", 2), text.toString());
    JsonNode metadata = frames.get(frames.size() - 1).json();
    MockLlmServer.Sent sent = onlySent(server);
    assertEquals(metadata.path("usage").path("outputTokens").asLong(), sent.outputTokens);
    assertTrue(metadata.path("metrics").path("latencyMs").asLong() > 0);
  }

  @Test
  void toolUseRefusalAndStreamException() {
    String tools = ",\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"lookup_lighthouse\",\"inputSchema\":{\"json\":"
        + "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}}}}]}}";
    JsonNode whole = json(post(server, "/model/mock-tools/converse", CONVERSE + tools));
    assertEquals("tool_use", whole.path("stopReason").asText());
    assertEquals("lookup_lighthouse", whole.path("output").path("message").path("content").path(0).path("toolUse").path("name").asText());

    List<Wire.Frame> frames = frames(post(server, "/model/mock-tools/converse-stream", CONVERSE + tools).body());
    StringBuilder input = new StringBuilder();
    for (Wire.Frame f : frames) {
      input.append(f.json().path("delta").path("toolUse").path("input").asText(""));
    }
    assertEquals("contentBlockStart", frames.get(1).header(":event-type"));
    assertEquals("{\"name\":\"mock\"}", input.toString());

    JsonNode refusal = json(post(server, "/model/mock-refusal/converse", CONVERSE + "}"));
    assertEquals("guardrail_intervened", refusal.path("stopReason").asText());

    List<Wire.Frame> failed = frames(post(server, "/model/mock-stream-error/converse-stream", CONVERSE + "}").body());
    Wire.Frame last = failed.get(failed.size() - 1);
    assertEquals("exception", last.header(":message-type"));
    assertEquals("modelStreamErrorException", last.header(":exception-type"));
    assertEquals(3, server.sent().size());
  }

  @Test
  void invokeAnthropicWholeHasTokenHeaders() {
    String body = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":100,\"system\":\"Be brief.\","
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"Hi\"}]}]}";
    HttpResponse<byte[]> r = post(server, "/model/anthropic.claude-3-5-sonnet-20241022-v2:0/invoke", body);
    JsonNode json = json(r);
    assertEquals("message", json.path("type").asText());
    MockLlmServer.Sent sent = onlySent(server);
    assertEquals(Long.toString(sent.inputTokens), header(r, "X-Amzn-Bedrock-Input-Token-Count"));
    assertEquals(Long.toString(sent.outputTokens), header(r, "X-Amzn-Bedrock-Output-Token-Count"));
    assertTrue(header(r, "X-Amzn-Bedrock-Invocation-Latency") != null);
    assertEquals(json.path("usage").path("output_tokens").asLong(), sent.outputTokens);
    assertEquals(header(r, "x-amzn-RequestId"), sent.id);
  }

  @Test
  void invokeStreamsWrapNativeChunksWithMetricsLast() {
    String[][] families = {
        {"meta.llama3-1-70b-instruct-v1:0", "{\"prompt\":\"hi\",\"max_gen_len\":64}", "generation"},
        {"eu.anthropic.claude-3-haiku-20240307-v1:0", "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":9,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "delta.text"},
        {"amazon.nova-lite-v1:0", "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}", "contentBlockDelta.delta.text"},
        {"amazon.titan-text-express-v1", "{\"inputText\":\"hi\",\"textGenerationConfig\":{}}", "outputText"},
        {"mistral.mistral-large-2407-v1:0", "{\"prompt\":\"hi\"}", "outputs.0.text"},
        {"cohere.command-r-v1:0", "{\"message\":\"hi\"}", "text"},
    };
    for (String[] f : families) {
      HttpResponse<byte[]> r = post(server, "/model/" + f[0] + "/invoke-with-response-stream", f[1]);
      assertEquals("application/vnd.amazon.eventstream", contentType(r), f[0]);
      assertEquals("application/json", header(r, "X-Amzn-Bedrock-Content-Type"));
      StringBuilder text = new StringBuilder();
      JsonNode chunk = null;
      for (Wire.Frame frame : frames(r.body())) {
        assertEquals("chunk", frame.header(":event-type"));
        chunk = json(new String(Base64.getDecoder().decode(frame.json().path("bytes").asText()), StandardCharsets.UTF_8));
        JsonNode node = chunk;
        for (String step : f[2].split("\\.")) {
          node = step.matches("\\d+") ? node.path(Integer.parseInt(step)) : node.path(step);
        }
        if (!(f[0].startsWith("cohere") && !"text-generation".equals(chunk.path("event_type").asText()))) {
          text.append(node.asText(""));
        }
      }
      assertEquals(MockLlmServer.answer(f[0], 1), text.toString(), f[0]);
      JsonNode metrics = chunk.path("amazon-bedrock-invocationMetrics");
      MockLlmServer.Sent sent = server.sent().get(server.sent().size() - 1);
      assertEquals(sent.inputTokens, metrics.path("inputTokenCount").asLong(), f[0]);
      assertEquals(sent.outputTokens, metrics.path("outputTokenCount").asLong(), f[0]);
    }
    assertEquals(families.length, server.sent().size());
  }

  @Test
  void invokeWholeBodiesPerFamily() {
    JsonNode titan = json(post(server, "/model/amazon.titan-text-express-v1/invoke", "{\"inputText\":\"hi\",\"textGenerationConfig\":{}}"));
    assertEquals("FINISH", titan.path("results").path(0).path("completionReason").asText());
    JsonNode llama = json(post(server, "/model/meta.llama3-8b-instruct-v1%3A0/invoke", "{\"prompt\":\"hi\"}"));
    assertEquals("stop", llama.path("stop_reason").asText());
    JsonNode mistral = json(post(server, "/model/mistral.mistral-7b-instruct-v0:2/invoke", "{\"prompt\":\"hi\"}"));
    assertEquals("stop", mistral.path("outputs").path(0).path("stop_reason").asText());
    JsonNode cohere = json(post(server, "/model/cohere.command-r-plus-v1:0/invoke", "{\"message\":\"hi\"}"));
    assertEquals("COMPLETE", cohere.path("finish_reason").asText());
    JsonNode nova = json(post(server, "/model/global.amazon.nova-pro-v1:0/invoke",
        "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}"));
    assertEquals("end_turn", nova.path("stopReason").asText());
    JsonNode titanEmbed = json(post(server, "/model/amazon.titan-embed-text-v2:0/invoke",
        "{\"inputText\":\"hi\",\"dimensions\":256,\"embeddingTypes\":[\"float\"]}"));
    assertEquals(256, titanEmbed.path("embedding").size());
    assertEquals(titanEmbed.path("embedding"), titanEmbed.path("embeddingsByType").path("float"));
    HttpResponse<byte[]> cohereEmbed = post(server, "/model/cohere.embed-english-v3/invoke", "{\"texts\":[\"a\",\"b\"],\"input_type\":\"search_document\"}");
    assertEquals(2, json(cohereEmbed).path("embeddings").size());
    assertEquals("embeddings_floats", json(cohereEmbed).path("response_type").asText());
    assertEquals(null, header(cohereEmbed, "X-Amzn-Bedrock-Output-Token-Count"));
    List<MockLlmServer.Sent> sent = server.sent();
    assertEquals(List.of("FINISH", "stop", "stop", "COMPLETE", "end_turn"),
        List.of(sent.get(0).finishReason, sent.get(1).finishReason, sent.get(2).finishReason, sent.get(3).finishReason,
            sent.get(4).finishReason));
    assertEquals("text_completion", sent.get(0).operation);
    assertEquals("chat", sent.get(3).operation);
    assertEquals(256, sent.get(5).embeddingDimensions);
    assertEquals(1024, sent.get(6).embeddingDimensions);
    assertEquals(Long.parseLong(header(cohereEmbed, "X-Amzn-Bedrock-Input-Token-Count")), sent.get(6).inputTokens);
  }

  @Test
  void errorsNameTheirTypeInAHeader() {
    HttpResponse<byte[]> throttled = post(server, "/model/mock-error-429/converse", CONVERSE + "}");
    assertEquals(429, throttled.statusCode());
    assertTrue(header(throttled, "x-amzn-ErrorType").startsWith("ThrottlingException:"));
    assertTrue(json(throttled).has("message"));
    assertTrue(header(throttled, "x-amzn-RequestId") != null);
    HttpResponse<byte[]> unavailable = post(server, "/model/anthropic.mock-overloaded/invoke", "{}");
    assertEquals(503, unavailable.statusCode());
    assertTrue(header(unavailable, "x-amzn-ErrorType").startsWith("ServiceUnavailableException:"));
    assertEquals(400, post(server, "/model/amazon.titan-embed-text-v2:0/invoke-with-response-stream", "{\"inputText\":\"x\"}")
        .statusCode());
    assertTrue(server.sent().isEmpty());
  }
}
