package io.tracelight.core.protocol.openai;

import static io.tracelight.core.pipeline.ExchangeDriver.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.pipeline.CallProcessor;
import io.tracelight.core.pipeline.ExchangeDriver;
import io.tracelight.core.protocol.Sha256;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Decoding of recorded Chat Completions payloads, through the same path the agent uses. */
class OpenAiChatDecodingTest {
  private static final String JSON = "application/json";
  private static final String SSE = "text/event-stream; charset=utf-8";
  private static final String ANSWER = "La capitale de la France est Paris.";
  private final ExchangeDriver driver = new ExchangeDriver();

  @Test
  void requestFieldsAndSystemHash() {
    AiCall call = driver.call(resource("chat-request.json"), 200, JSON, resource("chat-response.json"), 1 << 20);
    assertEquals("gpt-4o-2024-08-06", call.requestModel);
    assertEquals(0.7, call.temperature);
    assertEquals(0.9, call.topP);
    assertEquals(256L, call.maxTokens, "max_completion_tokens wins over the deprecated max_tokens");
    assertEquals(Boolean.FALSE, call.stream);
    // system and developer texts joined by a newline; the developer's text parts concatenated
    assertEquals(Sha256.of("You are a helpful assistant.\nAnswer in French. Be brief."), call.systemHash);
    assertEquals("chat gpt-4o-2024-08-06", call.name());
  }

  @Test
  void wholeResponse() {
    AiCall call = driver.call(resource("chat-request.json"), 200, JSON, resource("chat-response.json"), 7);
    assertFalse(call.error);
    assertEquals("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", call.responseId);
    assertEquals("gpt-4o-2024-08-06", call.responseModel);
    assertEquals(List.of("stop"), call.finishReasons);
    assertEquals(1117L, call.inputTokens);
    assertEquals(46L, call.outputTokens);
    assertEquals(1024L, call.cacheReadInputTokens);
    assertEquals(12L, call.reasoningOutputTokens);
    assertEquals(Sha256.of("La capitale de la France est Paris."), call.outputHash);
    assertEquals("openai", call.provider);
    assertEquals(-1, call.timeToFirstChunkNanos, "no time to first chunk for a whole response");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 17, 1 << 20})
  void streamWithUsageInAnyChunking(int chunk) {
    AiCall call = driver.call(request(true), 200, SSE, resource("stream-with-usage.sse"), chunk);
    assertFalse(call.error, call.errorType);
    assertEquals(Boolean.TRUE, call.stream);
    assertEquals("chatcmpl-123", call.responseId);
    assertEquals("gpt-4o-mini-2024-07-18", call.responseModel);
    assertEquals(List.of("stop"), call.finishReasons);
    assertEquals(19L, call.inputTokens);
    assertEquals(8L, call.outputTokens);
    assertEquals(0L, call.cacheReadInputTokens);
    assertEquals(Sha256.of(ANSWER), call.outputHash);
    assertTrue(call.timeToFirstChunkNanos >= 0 && call.timeToFirstChunkNanos <= call.durationNanos);
  }

  @Test
  void streamWithoutUsageLeavesTokensAbsentAndHashesLikeTheWholeAnswer() {
    AiCall stream = driver.call(request(true), 200, SSE, resource("stream-no-usage-crlf.sse"), 5);
    AiCall whole = driver.call(request(false), 200, JSON, resource("chat-response-same-text.json"), 64);
    assertFalse(stream.error, stream.errorType);
    assertNull(stream.inputTokens);
    assertNull(stream.outputTokens);
    assertEquals(List.of("stop"), stream.finishReasons);
    assertEquals(whole.outputHash, stream.outputHash);
    assertEquals(Sha256.of(ANSWER), stream.outputHash);
  }

  @Test
  void streamFedAsByteBuffersMatchesByteArrays() {
    byte[] sse = resource("stream-with-usage.sse");
    Exchange ex = driver.start("localhost", "/v1/chat/completions");
    ex.responseHeaders(200, SSE, -1);
    for (int i = 0; i < sse.length; i += 11) {
      ByteBuffer direct = ByteBuffer.allocateDirect(11);
      direct.put(sse, i, Math.min(11, sse.length - i)).flip();
      ex.responseBytes(direct);
      assertEquals(0, direct.position(), "the application's buffer position is untouched");
    }
    ex.complete();
    AiCall call = CallProcessor.decode(ex);
    assertEquals(Sha256.of(ANSWER), call.outputHash);
    assertEquals(8L, call.outputTokens);
    assertEquals("openai_compatible", call.provider);
  }

  @Test
  void errorStatus() {
    AiCall call = driver.call(request(false), 429, JSON, resource("error-response.json"), 64);
    assertTrue(call.error);
    assertEquals("429", call.errorType);
    assertEquals(429, call.httpStatus);
    assertNull(call.inputTokens);
  }

  @Test
  void errorEventInsideAStream() {
    AiCall call = driver.call(request(true), 200, SSE, resource("stream-error-event.sse"), 9);
    assertTrue(call.error);
    assertEquals("server_error", call.errorType);
  }

  @Test
  void truncatedStream() {
    AiCall call = driver.call(request(true), 200, SSE, resource("stream-truncated.sse"), 9);
    assertTrue(call.error);
    assertEquals("truncated_stream", call.errorType);
    assertTrue(call.finishReasons.isEmpty());
  }

  @Test
  void malformedEmptyAndNonUtf8Bodies() {
    byte[] whole = resource("chat-response.json");
    AiCall cut = driver.call(request(false), 200, JSON, Arrays.copyOf(whole, whole.length / 2), 100);
    assertEquals("malformed_response", cut.errorType);
    AiCall empty = driver.call(request(false), 200, JSON, new byte[0], 1);
    assertEquals("empty_response", empty.errorType);
    byte[] bad = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};
    AiCall nonUtf8 = driver.call(request(false), 200, JSON, bad, 4);
    assertEquals("malformed_response", nonUtf8.errorType);
    AiCall garbage = driver.call(request(false), 200, JSON, "<html>oops</html>".getBytes(StandardCharsets.UTF_8), 4);
    assertEquals("malformed_response", garbage.errorType);
  }

  @Test
  void malformedRequestStillGivesARecord() {
    AiCall call = driver.call("{\"model\": \"x\", \"messages\": [".getBytes(StandardCharsets.UTF_8),
        200, JSON, resource("chat-response.json"), 64);
    assertFalse(call.error, "the server answered fine");
    assertEquals(1117L, call.inputTokens);
    assertTrue(call.captureTruncated);
  }

  @Test
  void bodyOverTheCapDegradesTheRecord() {
    ExchangeDriver small = new ExchangeDriver(256, "");
    AiCall call = small.call(request(false), 200, JSON, resource("chat-response.json"), 64);
    assertTrue(call.captureTruncated);
    assertFalse(call.error);
    assertNull(call.inputTokens);
    assertEquals(200, call.httpStatus);
  }

  @Test
  void aStreamLongerThanTheCapIsDecodedAsItIsReadInBoundedMemory() {
    ExchangeDriver small = new ExchangeDriver(600, ""); // holds any one event, not the stream
    byte[] sse = resource("stream-with-usage.sse");
    assertTrue(sse.length > 4 * 600);
    Exchange ex = small.start("api.openai.com", "/v1/chat/completions");
    ex.responseHeaders(200, SSE, -1);
    for (int i = 0; i < sse.length; i += 100) {
      ex.responseBytes(sse, i, Math.min(100, sse.length - i));
      assertTrue(small.budget.used() <= 600, "never more than the cap held: " + small.budget.used());
    }
    ex.complete();
    AiCall call = CallProcessor.decode(ex);
    assertFalse(call.error, call.errorType);
    assertFalse(call.captureTruncated);
    assertEquals(19L, call.inputTokens);
    assertEquals(Sha256.of(ANSWER), call.outputHash);
  }

  @Test
  void inFlightBudgetIsSharedAndGivenBack() {
    byte[] response = resource("chat-response.json");
    ExchangeDriver tight = new ExchangeDriver(1 << 20, "", 1500);
    byte[] request = request(false);
    Exchange first = tight.start("api.openai.com", "/v1/chat/completions");
    first.requestBody(request, request.length);
    first.responseHeaders(200, JSON, response.length);
    first.responseBytes(response, 0, response.length);
    assertTrue(tight.budget.used() >= request.length + response.length);
    Exchange second = tight.start("api.openai.com", "/v1/chat/completions");
    second.responseHeaders(200, JSON, response.length);
    second.responseBytes(response, 0, response.length); // no room left while the first is held
    first.complete();
    second.complete();
    AiCall firstCall = CallProcessor.decode(first);
    AiCall secondCall = CallProcessor.decode(second);
    first.releaseCaptures();
    second.releaseCaptures();
    assertEquals(1117L, firstCall.inputTokens);
    assertTrue(secondCall.captureTruncated, "over the shared budget the record degrades");
    assertFalse(secondCall.error);
    assertEquals(0, tight.budget.used(), "every reserved byte is given back");
  }

  @Test
  void earlyCloseAndFailureEndTheRecord() {
    byte[] sse = resource("stream-with-usage.sse");
    Exchange closed = driver.start("api.openai.com", "/v1/chat/completions");
    closed.responseHeaders(200, SSE, -1);
    closed.responseBytes(sse, 0, 300);
    closed.closed();
    assertEquals("closed_early", CallProcessor.decode(closed).errorType);

    Exchange reset = driver.start("api.openai.com", "/v1/chat/completions");
    reset.responseHeaders(200, SSE, -1);
    reset.responseBytes(sse, 0, 300);
    reset.fail(new java.net.SocketException("Connection reset"));
    reset.complete(); // a second end is ignored
    AiCall call = CallProcessor.decode(reset);
    assertEquals("java.net.SocketException", call.errorType);
    assertEquals(2, driver.ended.size());
  }

  @Test
  void closingAfterTheLastEventIsNoError() {
    byte[] sse = resource("stream-with-usage.sse");
    Exchange ex = driver.start("api.openai.com", "/v1/chat/completions");
    ex.responseHeaders(200, SSE, -1);
    ex.responseBytes(sse, 0, sse.length);
    ex.closed();
    AiCall call = CallProcessor.decode(ex);
    assertFalse(call.error, call.errorType);
  }

  @Test
  void onlyChatCompletionPostsAreRecognised() {
    assertNull(driver.start("api.openai.com", "/v1/embeddings"));
    assertNull(io.tracelight.core.exchange.Exchanges.start("test", "GET", "api.openai.com", 443, "/v1/chat/completions"));
    assertTrue(driver.start("my-vllm.internal", "/openai/deployments/x/chat/completions") != null);
  }

  @Test
  void providerTableFromConfig() {
    ExchangeDriver custom = new ExchangeDriver(1 << 20, "vllm.internal:vllm,*.groq.example:groq");
    assertEquals("vllm", custom.start("vllm.internal", "/v1/chat/completions").protocol.provider("vllm.internal"));
    assertEquals("groq", custom.start("a.groq.example", "/v1/chat/completions").protocol.provider("a.groq.example"));
    assertEquals("openai_compatible", custom.start("localhost", "/v1/chat/completions").protocol.provider("localhost"));
    assertEquals("openai", custom.start("api.openai.com", "/v1/chat/completions").protocol.provider("api.openai.com"));
  }

  private static byte[] request(boolean stream) {
    return ("{\"model\":\"gpt-4o-mini\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Capital of France?\"}]}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
