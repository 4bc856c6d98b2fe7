package io.tracelight.core.protocol.anthropic;

import static io.tracelight.core.pipeline.ExchangeDriver.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.ExchangeDriver;
import io.tracelight.core.protocol.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Anthropic Messages on recorded payloads: whole, streamed, tools and thinking, refusals, errors. */
class AnthropicDecodingTest {
  private static final String JSON = "application/json";
  private static final String SSE = "text/event-stream; charset=utf-8";
  private final ExchangeDriver driver = new ExchangeDriver();

  private AiCall call(String request, int status, String type, String response, int chunk) {
    return driver.call("api.anthropic.com", "/v1/messages", resource("anthropic/" + request), status, type,
        resource("anthropic/" + response), chunk);
  }

  @Test
  void requestAndWholeResponse() {
    AiCall call = call("request.json", 200, JSON, "response.json", 17);
    assertEquals("anthropic", call.get(Keys.PROVIDER));
    assertEquals("chat", call.get(Keys.OPERATION));
    assertEquals("claude-sonnet-4-20250514", call.get(Keys.REQUEST_MODEL));
    assertEquals(512L, call.get(Keys.MAX_TOKENS));
    assertEquals(0.4, call.get(Keys.TEMPERATURE));
    assertEquals(0.9, call.get(Keys.TOP_P));
    assertEquals(40.0, call.get(Keys.TOP_K));
    assertEquals(Boolean.FALSE, call.get(Keys.STREAM));
    assertEquals(Sha256.of("You are a terse assistant for a lighthouse maintenance crew. Answer in one sentence."),
        call.get(Keys.SYSTEM_HASH));
    assertFalse(call.error);
    assertEquals(58L, call.get(Keys.INPUT_TOKENS));
    assertEquals(24L, call.get(Keys.OUTPUT_TOKENS));
    assertEquals(0L, call.get(Keys.CACHE_READ_TOKENS));
    assertEquals(List.of("end_turn"), call.get(Keys.FINISH_REASONS));
    assertTrue(call.get(Keys.RESPONSE_ID).startsWith("msg_"));
    assertTrue(call.has(Keys.OUTPUT_HASH));
  }

  @Test
  void systemBlocksToolsThinkingAndCacheReadsCountedIntoTheInput() {
    AiCall call = call("request-system-blocks.json", 200, JSON, "response-tool-use.json", 64);
    assertEquals(Sha256.of("You are the harbour-master assistant for Port Ellis. Be brief and factual.\n"
        + "Reference: the Port Ellis tide gauge is read every 15 minutes; times are local (UTC+1). "
        + "Always use the get_tide_times tool for tide questions instead of guessing."), call.get(Keys.SYSTEM_HASH));
    assertEquals(1L, call.get(Keys.REQUEST_TOOLS));
    assertEquals(96L + 1310L, call.get(Keys.INPUT_TOKENS), "input_tokens excludes cache reads; the record does not");
    assertEquals(1310L, call.get(Keys.CACHE_READ_TOKENS));
    assertEquals(143L, call.get(Keys.OUTPUT_TOKENS));
    assertEquals(71L, call.get(Keys.REASONING_TOKENS));
    assertEquals(1L, call.get(Keys.RESPONSE_TOOL_CALLS));
    assertEquals(List.of("tool_use"), call.get(Keys.FINISH_REASONS));
    assertEquals(Sha256.of("Let me look up the tide table for Port Ellis."), call.get(Keys.OUTPUT_HASH), "thinking excluded");
  }

  @Test
  void refusalAndMaxTokens() {
    AiCall refusal = call("request.json", 200, JSON, "response-refusal.json", 64);
    assertEquals(Boolean.TRUE, refusal.get(Keys.REFUSAL));
    assertEquals(List.of("refusal"), refusal.get(Keys.FINISH_REASONS));
    assertFalse(refusal.error);
    AiCall max = call("request.json", 200, JSON, "response-max-tokens.json", 64);
    assertEquals(List.of("max_tokens"), max.get(Keys.FINISH_REASONS));
    assertNull(max.get(Keys.REFUSAL));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 13, 256, 1 << 20})
  void streamInAnyChunking(int chunk) {
    AiCall call = call("request.json", 200, SSE, "stream.sse", chunk);
    assertFalse(call.error, String.valueOf(call.get(Keys.ERROR_TYPE)));
    assertEquals(Boolean.TRUE, call.get(Keys.STREAM));
    assertEquals(Sha256.of("The keeper logs each call \u2014 and the harbour lights stay on all night."),
        call.get(Keys.OUTPUT_HASH));
    assertEquals(27L + 2048L, call.get(Keys.INPUT_TOKENS));
    assertEquals(2048L, call.get(Keys.CACHE_READ_TOKENS));
    assertEquals(17L, call.get(Keys.OUTPUT_TOKENS), "the last message_delta's cumulative count, not a sum");
    assertEquals(List.of("end_turn"), call.get(Keys.FINISH_REASONS));
    assertEquals("claude-sonnet-4-20250514", call.get(Keys.RESPONSE_MODEL));
  }

  @Test
  void streamWithThinkingAndToolUse() {
    AiCall call = call("request-system-blocks.json", 200, SSE, "stream-tool-use.sse", 31);
    assertFalse(call.error);
    assertEquals(1L, call.get(Keys.RESPONSE_TOOL_CALLS));
    assertEquals(96L + 1310L, call.get(Keys.INPUT_TOKENS));
    assertEquals(1310L, call.get(Keys.CACHE_CREATION_TOKENS));
    assertEquals(143L, call.get(Keys.OUTPUT_TOKENS));
    assertEquals(71L, call.get(Keys.REASONING_TOKENS));
    assertEquals(Sha256.of("Let me look up the tide table for Port Ellis."), call.get(Keys.OUTPUT_HASH));
    assertEquals(List.of("tool_use"), call.get(Keys.FINISH_REASONS));
  }

  @Test
  void errorsInsideAndOutsideTheStream() {
    AiCall midStream = call("request.json", 200, SSE, "stream-error.sse", 20);
    assertTrue(midStream.error);
    assertEquals("overloaded_error", midStream.get(Keys.ERROR_TYPE));
    assertEquals(Sha256.of("Fog signals are sounded every"), midStream.get(Keys.OUTPUT_HASH));
    AiCall cut = call("request.json", 200, SSE, "stream-truncated.sse", 20);
    assertEquals("truncated_stream", cut.get(Keys.ERROR_TYPE));
    assertEquals(Sha256.of("The tide turns at"), cut.get(Keys.OUTPUT_HASH));
    assertEquals("overloaded_error", call("request.json", 529, JSON, "error-overloaded.json", 8).get(Keys.ERROR_TYPE));
    assertEquals("rate_limit_error", call("request.json", 429, JSON, "error-rate-limit.json", 8).get(Keys.ERROR_TYPE));
    assertEquals("invalid_request_error",
        call("request.json", 400, JSON, "error-invalid-request.json", 8).get(Keys.ERROR_TYPE));
  }

  @Test
  void onlyTheMessagesEndpointAndClaudeOnVertex() {
    assertNull(driver.start("api.anthropic.com", "/v1/messages/count_tokens"));
    assertNull(driver.start("api.anthropic.com", "/v1/messages/batches"));
    assertTrue(driver.start("api.anthropic.com", "/v1/messages?beta=true") != null);
    AiCall deepseek = driver.call("api.deepseek.com", "/anthropic/v1/messages", resource("anthropic/request.json"), 200,
        JSON, resource("anthropic/response.json"), 64);
    assertEquals("deepseek", deepseek.get(Keys.PROVIDER), "an Anthropic-compatible endpoint keeps its host's name");
    byte[] vertexBody = new String(resource("anthropic/request.json"), StandardCharsets.UTF_8)
        .replace("\"model\": \"claude-sonnet-4-20250514\",", "").replace("\"model\":\"claude-sonnet-4-20250514\",", "")
        .getBytes(StandardCharsets.UTF_8);
    AiCall vertex = driver.call("us-east5-aiplatform.googleapis.com",
        "/v1/projects/p1/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514:rawPredict",
        vertexBody, 200, JSON, resource("anthropic/response.json"), 64);
    assertEquals("gcp.vertex_ai", vertex.get(Keys.PROVIDER));
    assertEquals("claude-sonnet-4@20250514", vertex.get(Keys.REQUEST_MODEL));
    assertEquals(58L, vertex.get(Keys.INPUT_TOKENS));
  }

  @Test
  void aCutRequestKeepsItsFirstFieldsButNoHash() {
    byte[] request = resource("anthropic/request-system-blocks.json");
    AiCall call = driver.call("api.anthropic.com", "/v1/messages", Arrays.copyOf(request, 300), 200, JSON,
        resource("anthropic/response.json"), 64);
    assertTrue(call.has(Keys.CAPTURE_TRUNCATED));
    assertEquals("claude-sonnet-4-20250514", call.get(Keys.REQUEST_MODEL));
    assertEquals(4096L, call.get(Keys.MAX_TOKENS));
    assertNull(call.get(Keys.SYSTEM_HASH), "the system blocks were cut: no hash can be trusted");
  }

  @Test
  void anAppsOwnMessagesEndpointIsNotRecorded() {
    byte[] chatApp = "{\"to\":\"bob\",\"text\":\"see you at 6\"}".getBytes(StandardCharsets.UTF_8);
    assertTrue(driver.call("chat.example.com", "/v1/messages", chatApp, 201, JSON,
        "{\"id\":\"m-1\"}".getBytes(StandardCharsets.UTF_8), 64).isNotAiCall());
  }
}
