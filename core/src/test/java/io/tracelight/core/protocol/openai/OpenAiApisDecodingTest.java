package io.tracelight.core.protocol.openai;

import static io.tracelight.core.pipeline.ExchangeDriver.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.ExchangeDriver;
import io.tracelight.core.protocol.Sha256;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The Responses, Embeddings and legacy Completions APIs, and Azure's paths, on recorded payloads. */
class OpenAiApisDecodingTest {
  private static final String JSON = "application/json";
  private static final String SSE = "text/event-stream; charset=utf-8";
  private final ExchangeDriver driver = new ExchangeDriver();

  private AiCall call(String path, String request, int status, String contentType, String response, int chunk) {
    return driver.call("api.openai.com", path, resource("openai/" + request), status, contentType,
        resource("openai/" + response), chunk);
  }

  @Test
  void responsesRequestHashesInstructionsThenSystemAndDeveloperInputs() {
    AiCall call = call("/v1/responses", "responses-request.json", 200, JSON, "responses-response.json", 1 << 20);
    assertEquals("chat", call.get(Keys.OPERATION));
    assertEquals("gpt-5-mini", call.get(Keys.REQUEST_MODEL));
    assertEquals(Boolean.FALSE, call.get(Keys.STREAM));
    // instructions, then the developer message's parts concatenated, joined by a newline
    assertEquals(Sha256.of("You are a concise travel assistant.\nAnswer in one sentence. Never invent facts."),
        call.get(Keys.SYSTEM_HASH));
    assertEquals(1L, call.get(Keys.REQUEST_TOOLS));
    assertEquals(512L, call.get(Keys.MAX_TOKENS));
    assertEquals(0.4, call.get(Keys.TEMPERATURE));
  }

  @Test
  void responsesWholeResponse() {
    AiCall call = call("/v1/responses", "responses-request.json", 200, JSON, "responses-response.json", 33);
    assertFalse(call.error, String.valueOf(call.get(Keys.ERROR_TYPE)));
    assertEquals(1270L, call.get(Keys.INPUT_TOKENS));
    assertEquals(146L, call.get(Keys.OUTPUT_TOKENS));
    assertEquals(1152L, call.get(Keys.CACHE_READ_TOKENS));
    assertEquals(128L, call.get(Keys.REASONING_TOKENS));
    assertEquals(List.of("completed"), call.get(Keys.FINISH_REASONS));
    assertEquals(Sha256.of("The Tagus river flows through Lisbon before reaching the Atlantic."), call.get(Keys.OUTPUT_HASH));
    assertTrue(call.get(Keys.RESPONSE_ID).startsWith("resp_"));
  }

  @Test
  void responsesStringInputHashesTheInstructionsOnly() throws Exception {
    AiCall call = call("/v1/responses", "responses-request-string-input.json", 200, JSON, "responses-response.json", 64);
    assertEquals(Sha256.of(topLevelString(resource("openai/responses-request-string-input.json"), "instructions")),
        call.get(Keys.SYSTEM_HASH));
  }

  /** A top-level string field of a recorded body, read independently of the decoder. */
  static String topLevelString(byte[] json, String field) throws java.io.IOException {
    try (com.fasterxml.jackson.core.JsonParser p = io.tracelight.core.protocol.Json.parser(json, 0, json.length)) {
      p.nextToken();
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals(field)) {
          return p.getText();
        }
        p.skipChildren();
      }
    }
    throw new AssertionError("no " + field);
  }

  @Test
  void responsesToolCallIncompleteAndRefusal() {
    AiCall tool = call("/v1/responses", "responses-request.json", 200, JSON, "responses-response-tool-call.json", 64);
    assertEquals(1L, tool.get(Keys.RESPONSE_TOOL_CALLS));
    assertNull(tool.get(Keys.OUTPUT_HASH), "no message, no text");
    AiCall incomplete = call("/v1/responses", "responses-request.json", 200, JSON, "responses-response-incomplete.json", 64);
    assertEquals(List.of("max_output_tokens"), incomplete.get(Keys.FINISH_REASONS));
    assertEquals(56L, incomplete.get(Keys.REASONING_TOKENS));
    assertFalse(incomplete.error, "cut by the token limit is an answer, not a failure");
    AiCall refusal = call("/v1/responses", "responses-request.json", 200, JSON, "responses-response-refusal.json", 64);
    assertEquals(Boolean.TRUE, refusal.get(Keys.REFUSAL));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 9, 200, 1 << 20})
  void responsesStream(int chunk) {
    AiCall call = call("/v1/responses", "responses-request.json", 200, SSE, "responses-stream.sse", chunk);
    assertFalse(call.error, String.valueOf(call.get(Keys.ERROR_TYPE)));
    assertEquals(Boolean.TRUE, call.get(Keys.STREAM));
    assertEquals(Sha256.of("Lisbon sits on the Tagus estuary."), call.get(Keys.OUTPUT_HASH));
    assertEquals(41L, call.get(Keys.INPUT_TOKENS));
    assertEquals(75L, call.get(Keys.OUTPUT_TOKENS));
    assertEquals(64L, call.get(Keys.REASONING_TOKENS));
    assertEquals("gpt-5-mini-2025-08-07", call.get(Keys.RESPONSE_MODEL));
    assertEquals(List.of("completed"), call.get(Keys.FINISH_REASONS));
    assertTrue(call.has(Keys.TIME_TO_FIRST_CHUNK));
  }

  @Test
  void responsesStreamFailuresInEveryShape() {
    AiCall failed = call("/v1/responses", "responses-request.json", 200, SSE, "responses-stream-failed.sse", 50);
    assertTrue(failed.error);
    assertEquals("server_error", failed.get(Keys.ERROR_TYPE));
    assertEquals(Sha256.of("Lisbon"), failed.get(Keys.OUTPUT_HASH), "the text that came before the failure");
    AiCall nested = call("/v1/responses", "responses-request.json", 200, SSE, "responses-stream-error.sse", 50);
    assertEquals("insufficient_quota", nested.get(Keys.ERROR_TYPE));
    AiCall flat = call("/v1/responses", "responses-request.json", 200, SSE, "responses-stream-error-flat.sse", 50);
    assertEquals("server_error", flat.get(Keys.ERROR_TYPE));
    byte[] whole = resource("openai/responses-stream.sse");
    AiCall cut = driver.call("api.openai.com", "/v1/responses", resource("openai/responses-request.json"), 200, SSE,
        Arrays.copyOf(whole, whole.length / 2), 64);
    assertEquals("truncated_stream", cut.get(Keys.ERROR_TYPE));
  }

  @Test
  void embeddingsFloatAndBase64() {
    AiCall floats = call("/v1/embeddings", "embeddings-request.json", 200, JSON, "embeddings-response.json", 16);
    assertEquals("embeddings", floats.get(Keys.OPERATION));
    assertEquals("embeddings text-embedding-3-small", floats.name());
    assertEquals(2L, floats.get(Keys.EMBEDDING_INPUTS));
    assertEquals(8L, floats.get(Keys.EMBEDDING_DIMENSIONS));
    assertEquals(15L, floats.get(Keys.INPUT_TOKENS));
    assertNull(floats.get(Keys.OUTPUT_TOKENS));
    assertEquals(List.of("float"), floats.get(Keys.ENCODING_FORMATS));
    assertEquals(Boolean.FALSE, floats.get(Keys.STREAM));
    AiCall base64 = call("/v1/embeddings", "embeddings-request-base64.json", 200, JSON, "embeddings-response-base64.json", 16);
    assertEquals(8L, base64.get(Keys.EMBEDDING_DIMENSIONS), "32 bytes of little-endian float32");
    assertEquals(List.of("base64"), base64.get(Keys.ENCODING_FORMATS));
  }

  @Test
  void legacyCompletionsWholeAndStreamed() {
    AiCall whole = call("/v1/completions", "completions-request.json", 200, JSON, "completions-response.json", 16);
    assertEquals("text_completion", whole.get(Keys.OPERATION));
    assertEquals(12L, whole.get(Keys.INPUT_TOKENS));
    assertEquals(13L, whole.get(Keys.OUTPUT_TOKENS));
    assertEquals(Sha256.of("\n\nFresh from our oven to your morning, every day."), whole.get(Keys.OUTPUT_HASH));
    assertEquals(List.of("stop"), whole.get(Keys.FINISH_REASONS));
    assertNull(whole.get(Keys.SYSTEM_HASH), "a prompt has no system part");
    AiCall stream = call("/v1/completions", "completions-request.json", 200, SSE, "completions-stream.sse", 5);
    assertFalse(stream.error);
    assertEquals(Sha256.of("Warm crusts, kind hearts."), stream.get(Keys.OUTPUT_HASH));
    assertEquals(6L, stream.get(Keys.OUTPUT_TOKENS));
  }

  @Test
  void azureDeploymentPathNamesTheModelAndTheProvider() {
    AiCall call = driver.call("myco.openai.azure.com", "/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21",
        resource("openai/azure-chat-request.json"), 200, JSON, resource("openai/azure-chat-response.json"), 64);
    assertEquals("azure.ai.openai", call.get(Keys.PROVIDER));
    assertEquals("my-gpt4o", call.get(Keys.REQUEST_MODEL), "the deployment, since the body names no model");
    assertEquals("gpt-4o-2024-11-20", call.get(Keys.RESPONSE_MODEL));
    assertEquals(27L, call.get(Keys.INPUT_TOKENS));
    AiCall customDomain = driver.call("llm.internal.example", "/openai/deployments/d1/chat/completions",
        resource("openai/azure-chat-request.json"), 200, JSON, resource("openai/azure-chat-response.json"), 64);
    assertEquals("azure.ai.openai", customDomain.get(Keys.PROVIDER), "the path proves Azure on any host");
    AiCall stream = driver.call("myco.openai.azure.com", "/openai/deployments/my-gpt4o/chat/completions?api-version=2024-10-21",
        resource("openai/azure-chat-request.json"), 200, SSE, resource("openai/azure-chat-stream.sse"), 40);
    assertFalse(stream.error);
    assertEquals(Sha256.of("The Tagus flows through Lisbon."), stream.get(Keys.OUTPUT_HASH));
    assertEquals("gpt-4o-2024-11-20", stream.get(Keys.RESPONSE_MODEL), "not the empty model of the filter chunk");
    assertTrue(stream.get(Keys.RESPONSE_ID).startsWith("chatcmpl-"));
  }

  @Test
  void azureContentFilterErrorAndOpenAiQuotaError() {
    AiCall filtered = driver.call("myco.openai.azure.com", "/openai/deployments/d/chat/completions?api-version=2024-10-21",
        resource("openai/azure-chat-request.json"), 400, JSON, resource("openai/azure-error-content-filter.json"), 64);
    assertEquals("content_filter", filtered.get(Keys.ERROR_TYPE));
    assertEquals("content_filter", filtered.get(Keys.BLOCK_REASON));
    AiCall quota = call("/v1/chat/completions", "chat-request.json", 429, JSON, "error-insufficient-quota.json", 64);
    assertEquals("insufficient_quota", quota.get(Keys.ERROR_TYPE));
    assertNull(quota.get(Keys.ERROR_CODE), "code and type are the same");
    AiCall notJson = driver.call("api.openai.com", "/v1/chat/completions", resource("openai/chat-request.json"), 502,
        "text/html", "<html>bad gateway</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8), 64);
    assertEquals("502", notJson.get(Keys.ERROR_TYPE), "no envelope: the status");
  }

  @Test
  void chatToolCallsWholeAndStreamedAndARefusal() {
    AiCall whole = call("/v1/chat/completions", "chat-request.json", 200, JSON, "chat-response-tool-calls.json", 50);
    assertEquals(2L, whole.get(Keys.RESPONSE_TOOL_CALLS));
    assertEquals(List.of("tool_calls"), whole.get(Keys.FINISH_REASONS));
    assertNull(whole.get(Keys.OUTPUT_HASH), "no text, no hash");
    AiCall streamed = call("/v1/chat/completions", "chat-request.json", 200, SSE, "stream-tool-calls.sse", 13);
    assertFalse(streamed.error, String.valueOf(streamed.get(Keys.ERROR_TYPE)));
    assertEquals(2L, streamed.get(Keys.RESPONSE_TOOL_CALLS), "two calls started, their arguments streamed in pieces");
    assertEquals(88L, streamed.get(Keys.INPUT_TOKENS));
    AiCall refusal = call("/v1/chat/completions", "chat-request.json", 200, JSON, "chat-response-refusal.json", 50);
    assertEquals(Boolean.TRUE, refusal.get(Keys.REFUSAL));
    assertFalse(refusal.error);
  }

  @Test
  void anAppsOwnEndpointsThatEndLikeOpenAisAreNotRecorded() {
    byte[] survey = "{\"answers\":[1,4,2],\"respondent\":\"r-17\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(driver.call("forms.example.com", "/api/surveys/7/responses", survey, 201, JSON,
        "{\"ok\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8), 64).isNotAiCall());
    byte[] form = "name=Ada&topic=completions".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(driver.call("shop.example.com", "/checkout/completions", form, 200, "text/html",
        "<p>done</p>".getBytes(java.nio.charset.StandardCharsets.UTF_8), 64).isNotAiCall());
    byte[] noModel = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    AiCall llamaCpp = driver.call("localhost", "/v1/chat/completions", noModel, 200, JSON, resource("openai/chat-response.json"), 64);
    assertFalse(llamaCpp.isNotAiCall(), "llama.cpp's server answers chats without a model: still an AI call");
    assertEquals(1117L, llamaCpp.get(Keys.INPUT_TOKENS));
  }
}
