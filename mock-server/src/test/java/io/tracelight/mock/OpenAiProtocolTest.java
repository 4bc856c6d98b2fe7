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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiProtocolTest {
  private static final String TOOLS = ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"lookup_city\","
      + "\"parameters\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},\"days\":{\"type\":\"integer\"}},"
      + "\"required\":[\"city\"]}}}]";
  private MockLlmServer server;

  @BeforeEach
  void start() throws Exception {
    server = MockLlmServer.start(0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static String chat(String model, String extra) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
        + "{\"role\":\"user\",\"content\":\"What is the capital of Portugal?\"}]" + extra + "}";
  }

  @Test
  void chatWholeKeepsItsTokenArithmetic() {
    HttpResponse<byte[]> r = post(server, "/v1/chat/completions", chat("gpt-4o-mini", ""));
    assertEquals(200, r.statusCode());
    assertEquals("application/json", contentType(r));
    JsonNode body = json(r);
    String answer = MockLlmServer.answer("gpt-4o-mini", 2);
    assertEquals("chatcmpl-mock1", body.path("id").asText());
    assertEquals(answer, body.path("choices").path(0).path("message").path("content").asText());
    long prompt = 8 + ("Be brief.".length() + "What is the capital of Portugal?".length()) / 4;
    assertEquals(prompt, body.path("usage").path("prompt_tokens").asLong());
    assertEquals(prompt / 2, body.path("usage").path("prompt_tokens_details").path("cached_tokens").asLong());
    MockLlmServer.Sent sent = onlySent(server);
    assertEquals("openai", sent.provider);
    assertEquals("chat", sent.operation);
    assertEquals(prompt, sent.inputTokens);
    assertEquals(prompt, sent.promptTokens);
    assertEquals(answer.split(" ").length, sent.outputTokens);
    assertEquals(prompt / 2, sent.cacheReadTokens);
    assertEquals(-1, sent.cacheCreationTokens);
    assertEquals(0, sent.reasoningTokens);
    assertEquals("stop", sent.finishReason);
    assertEquals(answer, sent.text);
  }

  @Test
  void chatStreamSendsUsageOnlyWhenAsked() {
    HttpResponse<byte[]> r = post(server, "/v1/chat/completions", chat("gpt-4o-mini", ",\"stream\":true"));
    assertEquals("text/event-stream; charset=utf-8", contentType(r));
    List<Wire.Sse> events = sse(text(r), "\n\n");
    assertEquals("[DONE]", events.get(events.size() - 1).data);
    StringBuilder content = new StringBuilder();
    for (Wire.Sse e : events.subList(0, events.size() - 1)) {
      JsonNode chunk = e.json();
      assertTrue(chunk.path("usage").isNull());
      content.append(chunk.path("choices").path(0).path("delta").path("content").asText(""));
    }
    assertEquals(MockLlmServer.answer("gpt-4o-mini", 2), content.toString());
    assertEquals(-1, onlySent(server).inputTokens, "no usage sent, none recorded");

    List<Wire.Sse> withUsage = sse(text(post(server, "/v1/chat/completions",
        chat("gpt-4o-mini", ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"))), "\n\n");
    JsonNode usage = withUsage.get(withUsage.size() - 2).json();
    assertEquals(0, usage.path("choices").size());
    assertEquals(server.sent().get(1).inputTokens, usage.path("usage").path("prompt_tokens").asLong());
  }

  @Test
  void azureDeploymentPathNamesTheModel() {
    String body = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    JsonNode r = json(post(server, "/openai/deployments/my-gpt/chat/completions?api-version=2024-10-21", body));
    assertEquals("my-gpt", r.path("model").asText());
    MockLlmServer.Sent sent = onlySent(server);
    assertEquals("azure.ai.openai", sent.provider);
    assertEquals("my-gpt", sent.model);
    json(post(server, "/openai/v1/responses", "{\"model\":\"dep\",\"input\":\"hi\"}"));
    assertEquals("azure.ai.openai", server.sent().get(1).provider);
  }

  @Test
  void chatToolCallFitsTheSchemaWholeAndStreamed() {
    JsonNode whole = json(post(server, "/v1/chat/completions", chat("mock-tools", TOOLS)));
    JsonNode choice = whole.path("choices").path(0);
    assertEquals("tool_calls", choice.path("finish_reason").asText());
    JsonNode call = choice.path("message").path("tool_calls").path(0);
    assertEquals("lookup_city", call.path("function").path("name").asText());
    assertEquals("{\"city\":\"mock\"}", call.path("function").path("arguments").asText());

    List<Wire.Sse> events = sse(text(post(server, "/v1/chat/completions", chat("mock-tools", TOOLS + ",\"stream\":true"))), "\n\n");
    StringBuilder args = new StringBuilder();
    for (Wire.Sse e : events.subList(0, events.size() - 1)) {
      JsonNode tc = e.json().path("choices").path(0).path("delta").path("tool_calls").path(0);
      args.append(tc.path("function").path("arguments").asText(""));
    }
    assertEquals("{\"city\":\"mock\"}", args.toString());
    MockLlmServer.Sent sent = server.sent().get(1);
    assertEquals("tool_calls", sent.finishReason);
    assertEquals("lookup_city", sent.toolCalls.get(0).name);
    assertEquals("call_mock2", sent.toolCalls.get(0).id);

    String afterTool = "{\"model\":\"mock-tools\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},"
        + "{\"role\":\"tool\",\"tool_call_id\":\"call_mock1\",\"content\":\"sunny\"}]" + TOOLS + "}";
    JsonNode text = json(post(server, "/v1/chat/completions", afterTool));
    assertEquals("stop", text.path("choices").path(0).path("finish_reason").asText(), "a tool result ends the loop");
  }

  @Test
  void chatRefusalAndStreamError() {
    JsonNode refusal = json(post(server, "/v1/chat/completions", chat("mock-refusal", "")));
    JsonNode message = refusal.path("choices").path(0).path("message");
    assertTrue(message.path("content").isNull());
    assertFalse(message.path("refusal").asText().isEmpty());

    List<Wire.Sse> events = sse(text(post(server, "/v1/chat/completions", chat("mock-stream-error", ",\"stream\":true"))), "\n\n");
    assertEquals("server_error", events.get(events.size() - 1).json().path("error").path("type").asText());
    assertEquals(4, events.size(), "role chunk, two pieces, the error");
    assertEquals(1, server.sent().size(), "only the refusal was an answer");
  }

  @Test
  void responsesWholeHonoursInstructionsAndStringInput() {
    HttpResponse<byte[]> r = post(server, "/v1/responses",
        "{\"model\":\"gpt-5-mini\",\"instructions\":\"Be brief.\",\"input\":\"Name a river.\"}");
    assertEquals("application/json", contentType(r));
    JsonNode body = json(r);
    assertEquals("response", body.path("object").asText());
    assertEquals("completed", body.path("status").asText());
    assertEquals("Be brief.", body.path("instructions").asText());
    assertEquals("reasoning", body.path("output").path(0).path("type").asText());
    JsonNode text = body.path("output").path(1).path("content").path(0);
    assertEquals("output_text", text.path("type").asText());
    assertEquals(MockLlmServer.answer("gpt-5-mini", 2), text.path("text").asText());
    JsonNode usage = body.path("usage");
    long input = 8 + ("Be brief.".length() + "Name a river.".length()) / 4;
    assertEquals(input, usage.path("input_tokens").asLong());
    MockLlmServer.Sent sent = onlySent(server);
    assertEquals(usage.path("output_tokens").asLong(), sent.outputTokens);
    assertEquals(usage.path("output_tokens_details").path("reasoning_tokens").asLong(), sent.reasoningTokens);
    assertTrue(sent.reasoningTokens > 0 && sent.outputTokens > sent.reasoningTokens);
    assertEquals(body.path("id").asText(), sent.id);
  }

  @Test
  void responsesStreamNumbersItsEventsAndSendsUsageLast() {
    String req = "{\"model\":\"gpt-5-mini\",\"stream\":true,\"input\":[{\"role\":\"developer\",\"content\":"
        + "[{\"type\":\"input_text\",\"text\":\"Be brief.\"}]},{\"role\":\"user\",\"content\":\"Name a river.\"}]}";
    HttpResponse<byte[]> r = post(server, "/v1/responses", req);
    assertEquals("text/event-stream; charset=utf-8", contentType(r));
    List<Wire.Sse> events = sse(text(r), "\n\n");
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < events.size(); i++) {
      JsonNode data = events.get(i).json();
      assertEquals(events.get(i).event, data.path("type").asText());
      assertEquals(i, data.path("sequence_number").asInt());
      if (events.get(i).event.equals("response.output_text.delta")) {
        text.append(data.path("delta").asText());
      }
      if (i < events.size() - 1 && data.has("response")) {
        assertTrue(data.path("response").path("usage").isNull(), "usage only at the end");
      }
    }
    assertEquals("response.created", events.get(0).event);
    Wire.Sse last = events.get(events.size() - 1);
    assertEquals("response.completed", last.event);
    assertEquals(MockLlmServer.answer("gpt-5-mini", 2), text.toString());
    assertEquals(onlySent(server).inputTokens, last.json().path("response").path("usage").path("input_tokens").asLong());

    List<Wire.Sse> failed = sse(text(post(server, "/v1/responses", "{\"model\":\"mock-stream-error\",\"stream\":true,\"input\":\"x\"}")), "\n\n");
    assertEquals("error", failed.get(failed.size() - 1).event);
    assertEquals("server_error", failed.get(failed.size() - 1).json().path("error").path("code").asText());
  }

  @Test
  void responsesToolCallAndRefusal() {
    String tools = ",\"tools\":[{\"type\":\"function\",\"name\":\"lookup_city\",\"parameters\":{\"type\":\"object\","
        + "\"properties\":{\"city\":{\"type\":\"string\"}}}}]";
    JsonNode call = json(post(server, "/v1/responses", "{\"model\":\"mock-tools\",\"input\":\"x\"" + tools + "}"))
        .path("output").path(1);
    assertEquals("function_call", call.path("type").asText());
    assertEquals("lookup_city", call.path("name").asText());
    assertEquals("{\"city\":\"mock\"}", call.path("arguments").asText());
    List<Wire.Sse> events = sse(text(post(server, "/v1/responses",
        "{\"model\":\"mock-tools\",\"stream\":true,\"input\":\"x\"" + tools + "}")), "\n\n");
    StringBuilder args = new StringBuilder();
    events.stream().filter(e -> e.event.equals("response.function_call_arguments.delta"))
        .forEach(e -> args.append(e.json().path("delta").asText()));
    assertEquals("{\"city\":\"mock\"}", args.toString());

    JsonNode refusal = json(post(server, "/v1/responses", "{\"model\":\"mock-refusal\",\"input\":\"x\"}"))
        .path("output").path(1).path("content").path(0);
    assertEquals("refusal", refusal.path("type").asText());
    assertFalse(refusal.path("refusal").asText().isEmpty());
  }

  @Test
  void embeddingsFloatAndBase64() {
    JsonNode floats = json(post(server, "/v1/embeddings",
        "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"bb\"],\"dimensions\":8,\"encoding_format\":\"float\"}"));
    assertEquals(2, floats.path("data").size());
    assertEquals(8, floats.path("data").path(1).path("embedding").size());
    JsonNode b64 = json(post(server, "/v1/embeddings", "{\"model\":\"text-embedding-3-small\",\"input\":[\"a\",\"bb\"],"
        + "\"dimensions\":8,\"encoding_format\":\"base64\"}"));
    byte[] bytes = Base64.getDecoder().decode(b64.path("data").path(1).path("embedding").asText());
    assertEquals(32, bytes.length);
    ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 8; i++) {
      assertEquals(floats.path("data").path(1).path("embedding").path(i).floatValue(), le.getFloat(), "same vector");
    }
    JsonNode byDefault = json(post(server, "/v1/embeddings", "{\"model\":\"text-embedding-3-large\",\"input\":\"a\"}"));
    assertEquals(3072, byDefault.path("data").path(0).path("embedding").size());
    MockLlmServer.Sent sent = server.sent().get(0);
    assertEquals("embeddings", sent.operation);
    assertEquals(8, sent.embeddingDimensions);
    assertEquals(floats.path("usage").path("prompt_tokens").asLong(), sent.inputTokens);
    assertEquals(-1, sent.outputTokens);
    assertEquals(null, sent.id);
  }

  @Test
  void legacyCompletionsWholeAndStreamed() {
    JsonNode whole = json(post(server, "/v1/completions", "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say hi\"}"));
    assertEquals("text_completion", whole.path("object").asText());
    assertEquals(MockLlmServer.answer("gpt-3.5-turbo-instruct", 1), whole.path("choices").path(0).path("text").asText());
    List<Wire.Sse> events = sse(text(post(server, "/v1/completions", "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say hi\","
        + "\"stream\":true,\"stream_options\":{\"include_usage\":true}}")), "\n\n");
    assertEquals("[DONE]", events.get(events.size() - 1).data);
    JsonNode usage = events.get(events.size() - 2).json();
    assertEquals(whole.path("usage"), usage.path("usage"));
    assertEquals("stop", events.get(events.size() - 3).json().path("choices").path(0).path("finish_reason").asText());
    assertEquals("text_completion", server.sent().get(1).operation);
    assertEquals(whole.path("usage").path("completion_tokens").asLong(), server.sent().get(1).outputTokens);
  }

  @Test
  void errorsUseOpenAisEnvelope() {
    HttpResponse<byte[]> limited = post(server, "/v1/chat/completions", chat("mock-error-429", ""));
    assertEquals(429, limited.statusCode());
    assertEquals("rate_limit_exceeded", json(limited).path("error").path("code").asText());
    assertEquals(503, post(server, "/v1/responses", "{\"model\":\"mock-overloaded\",\"input\":\"x\"}").statusCode());
    assertEquals(404, post(server, "/v1/embeddings", "{\"model\":\"x-no-such-model\",\"input\":\"x\"}").statusCode());
    assertTrue(server.sent().isEmpty());
  }
}
