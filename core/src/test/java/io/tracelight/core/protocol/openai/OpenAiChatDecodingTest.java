package io.tracelight.core.protocol.openai;

import static io.tracelight.core.pipeline.ExchangeDriver.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.MapHeaders;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
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
    assertEquals("gpt-4o-2024-08-06", call.get(Keys.REQUEST_MODEL));
    assertEquals(0.7, call.get(Keys.TEMPERATURE));
    assertEquals(0.9, call.get(Keys.TOP_P));
    assertEquals(256L, call.get(Keys.MAX_TOKENS), "max_completion_tokens wins over the deprecated max_tokens");
    assertEquals(Boolean.FALSE, call.get(Keys.STREAM));
    // system and developer texts joined by a newline; the developer's text parts concatenated
    assertEquals(Sha256.of("You are a helpful assistant.\nAnswer in French. Be brief."), call.get(Keys.SYSTEM_HASH));
    assertEquals("chat gpt-4o-2024-08-06", call.name());
  }

  @Test
  void wholeResponse() {
    AiCall call = driver.call(resource("chat-request.json"), 200, JSON, resource("chat-response.json"), 7);
    assertFalse(call.error);
    assertEquals("chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG", call.get(Keys.RESPONSE_ID));
    assertEquals("gpt-4o-2024-08-06", call.get(Keys.RESPONSE_MODEL));
    assertEquals(List.of("stop"), call.get(Keys.FINISH_REASONS));
    assertEquals(1117L, call.get(Keys.INPUT_TOKENS));
    assertEquals(46L, call.get(Keys.OUTPUT_TOKENS));
    assertEquals(1024L, call.get(Keys.CACHE_READ_TOKENS));
    assertEquals(12L, call.get(Keys.REASONING_TOKENS));
    assertEquals(Sha256.of("La capitale de la France est Paris."), call.get(Keys.OUTPUT_HASH));
    assertEquals("openai", call.get(Keys.PROVIDER));
    assertNull(call.get(Keys.TIME_TO_FIRST_CHUNK), "no time to first chunk for a whole response");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 17, 1 << 20})
  void streamWithUsageInAnyChunking(int chunk) {
    AiCall call = driver.call(request(true), 200, SSE, resource("stream-with-usage.sse"), chunk);
    assertFalse(call.error, call.get(Keys.ERROR_TYPE));
    assertEquals(Boolean.TRUE, call.get(Keys.STREAM));
    assertEquals("chatcmpl-123", call.get(Keys.RESPONSE_ID));
    assertEquals("gpt-4o-mini-2024-07-18", call.get(Keys.RESPONSE_MODEL));
    assertEquals(List.of("stop"), call.get(Keys.FINISH_REASONS));
    assertEquals(19L, call.get(Keys.INPUT_TOKENS));
    assertEquals(8L, call.get(Keys.OUTPUT_TOKENS));
    assertEquals(0L, call.get(Keys.CACHE_READ_TOKENS));
    assertEquals(Sha256.of(ANSWER), call.get(Keys.OUTPUT_HASH));
    double ttfc = call.get(Keys.TIME_TO_FIRST_CHUNK);
    assertTrue(ttfc >= 0 && ttfc * 1e9 <= call.durationNanos);
  }

  @Test
  void streamWithoutUsageHashesLikeTheWholeAnswer() {
    AiCall stream = driver.call(request(true), 200, SSE, resource("stream-no-usage-crlf.sse"), 5);
    AiCall whole = driver.call(request(false), 200, JSON, resource("chat-response-same-text.json"), 64);
    assertFalse(stream.error, stream.get(Keys.ERROR_TYPE));
    assertEquals(Boolean.TRUE, stream.get(Keys.USAGE_ESTIMATED), "no usage sent: counted, and marked so");
    assertEquals(List.of("stop"), stream.get(Keys.FINISH_REASONS));
    assertEquals(whole.get(Keys.OUTPUT_HASH), stream.get(Keys.OUTPUT_HASH));
    assertEquals(Sha256.of(ANSWER), stream.get(Keys.OUTPUT_HASH));
  }

  @Test
  void aStreamWithoutUsageGetsAnEstimateMarkedAsSuch() {
    AiCall call = driver.call(request(true), 200, SSE, resource("stream-no-usage-crlf.sse"), 9);
    assertEquals(Boolean.TRUE, call.get(Keys.USAGE_ESTIMATED));
    // OpenAI's chat framing: 3 per message plus role and content, 3 to prime the reply; with the
    // o200k tokenizer "system" and "user" are 1 token, "Be brief." 3, "Capital of France?" 4
    assertEquals(3 + (3 + 1 + 3) + (3 + 1 + 4), call.get(Keys.INPUT_TOKENS));
    com.knuddels.jtokkit.api.Encoding o200k = com.knuddels.jtokkit.Encodings.newLazyEncodingRegistry()
        .getEncoding(com.knuddels.jtokkit.api.EncodingType.O200K_BASE);
    assertEquals((long) o200k.countTokensOrdinary(ANSWER), call.get(Keys.OUTPUT_TOKENS));
    assertTrue(call.get(Keys.OUTPUT_TOKENS) >= 8, "a sentence of eight words");

    AiCall sent = driver.call(request(true), 200, SSE, resource("stream-with-usage.sse"), 9);
    assertNull(sent.get(Keys.USAGE_ESTIMATED), "the server's own counts are never replaced");
    byte[] unknownModel = new String(request(true), StandardCharsets.UTF_8).replace("gpt-4o-mini", "llama3.1:8b")
        .getBytes(StandardCharsets.UTF_8);
    AiCall llama = driver.call(unknownModel, 200, SSE, resource("stream-no-usage-crlf.sse"), 9);
    assertNull(llama.get(Keys.INPUT_TOKENS), "no known tokenizer: no estimate that looks like a count");
    assertNull(llama.get(Keys.USAGE_ESTIMATED));
  }

  @Test
  void streamFedAsByteBuffersMatchesByteArrays() {
    byte[] sse = resource("stream-with-usage.sse");
    Exchange ex = driver.start("localhost", "/v1/chat/completions");
    ex.responseHeaders(200, -1, ExchangeDriver.headers("content-type", SSE), MapHeaders.INSTANCE);
    for (int i = 0; i < sse.length; i += 11) {
      ByteBuffer direct = ByteBuffer.allocateDirect(11);
      direct.put(sse, i, Math.min(11, sse.length - i)).flip();
      ex.responseBytes(direct);
      assertEquals(0, direct.position(), "the application's buffer position is untouched");
    }
    ex.complete();
    AiCall call = driver.decode(ex);
    assertEquals(Sha256.of(ANSWER), call.get(Keys.OUTPUT_HASH));
    assertEquals(8L, call.get(Keys.OUTPUT_TOKENS));
    assertEquals("openai_compatible", call.get(Keys.PROVIDER));
  }

  @Test
  void errorStatus() {
    AiCall call = driver.call(request(false), 429, JSON, resource("error-response.json"), 64);
    assertTrue(call.error);
    assertEquals("tokens", call.get(Keys.ERROR_TYPE), "the provider's error type");
    assertEquals("rate_limit_exceeded", call.get(Keys.ERROR_CODE), "and its finer code");
    assertEquals(429L, call.get(Keys.HTTP_STATUS));
    assertNull(call.get(Keys.INPUT_TOKENS));
  }

  @Test
  void errorEventInsideAStream() {
    AiCall call = driver.call(request(true), 200, SSE, resource("stream-error-event.sse"), 9);
    assertTrue(call.error);
    assertEquals("server_error", call.get(Keys.ERROR_TYPE));
  }

  @Test
  void truncatedStream() {
    AiCall call = driver.call(request(true), 200, SSE, resource("stream-truncated.sse"), 9);
    assertTrue(call.error);
    assertEquals("truncated_stream", call.get(Keys.ERROR_TYPE));
    assertNull(call.get(Keys.FINISH_REASONS));
  }

  @Test
  void malformedEmptyAndNonUtf8Bodies() {
    byte[] whole = resource("chat-response.json");
    AiCall cut = driver.call(request(false), 200, JSON, Arrays.copyOf(whole, whole.length / 2), 100);
    assertEquals("malformed_response", cut.get(Keys.ERROR_TYPE));
    AiCall empty = driver.call(request(false), 200, JSON, new byte[0], 1);
    assertEquals("empty_response", empty.get(Keys.ERROR_TYPE));
    byte[] bad = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};
    AiCall nonUtf8 = driver.call(request(false), 200, JSON, bad, 4);
    assertEquals("malformed_response", nonUtf8.get(Keys.ERROR_TYPE));
    AiCall garbage = driver.call(request(false), 200, JSON, "<html>oops</html>".getBytes(StandardCharsets.UTF_8), 4);
    assertEquals("malformed_response", garbage.get(Keys.ERROR_TYPE));
  }

  @Test
  void malformedRequestStillGivesARecord() {
    AiCall call = driver.call("{\"model\": \"x\", \"messages\": [".getBytes(StandardCharsets.UTF_8),
        200, JSON, resource("chat-response.json"), 64);
    assertFalse(call.error, "the server answered fine");
    assertEquals(1117L, call.get(Keys.INPUT_TOKENS));
    assertTrue(call.has(Keys.CAPTURE_TRUNCATED));
  }

  @Test
  void bodyOverTheCapDegradesTheRecord() {
    ExchangeDriver small = new ExchangeDriver(256, "");
    AiCall call = small.call(request(false), 200, JSON, resource("chat-response.json"), 64);
    assertTrue(call.has(Keys.CAPTURE_TRUNCATED));
    assertFalse(call.error);
    assertNull(call.get(Keys.INPUT_TOKENS));
    assertEquals(200L, call.get(Keys.HTTP_STATUS));
  }

  @Test
  void aStreamLongerThanTheCapIsDecodedAsItIsReadInBoundedMemory() {
    ExchangeDriver small = new ExchangeDriver(600, ""); // holds any one event, not the stream
    byte[] sse = resource("stream-with-usage.sse");
    assertTrue(sse.length > 4 * 600);
    Exchange ex = small.start("api.openai.com", "/v1/chat/completions");
    ex.responseHeaders(200, -1, ExchangeDriver.headers("content-type", SSE), MapHeaders.INSTANCE);
    for (int i = 0; i < sse.length; i += 100) {
      ex.responseBytes(sse, i, Math.min(100, sse.length - i));
      assertTrue(small.budget.used() <= 600, "never more than the cap held: " + small.budget.used());
    }
    ex.complete();
    AiCall call = driver.decode(ex);
    assertFalse(call.error, call.get(Keys.ERROR_TYPE));
    assertFalse(call.has(Keys.CAPTURE_TRUNCATED));
    assertEquals(19L, call.get(Keys.INPUT_TOKENS));
    assertEquals(Sha256.of(ANSWER), call.get(Keys.OUTPUT_HASH));
  }

  @Test
  void aStreamStartedWhileTheBudgetIsFullIsStillDecodedAsItIsRead() {
    ExchangeDriver full = new ExchangeDriver(4 << 20, "", 64); // no room for even the first buffer
    byte[] sse = resource("stream-with-usage.sse");
    Exchange ex = full.start("api.openai.com", "/v1/chat/completions");
    ExchangeDriver.respond(ex, 200, SSE, sse, 50);
    ex.complete();
    AiCall call = full.decode(ex);
    assertFalse(call.error, call.get(Keys.ERROR_TYPE));
    assertEquals(19L, call.get(Keys.INPUT_TOKENS), "nothing was dropped, so nothing is lost");
    assertEquals(Sha256.of(ANSWER), call.get(Keys.OUTPUT_HASH));
    assertEquals(0, full.budget.used());
  }

  @Test
  void inFlightBudgetIsSharedAndGivenBack() {
    byte[] response = resource("chat-response.json");
    ExchangeDriver tight = new ExchangeDriver(1 << 20, "", 1500);
    byte[] request = request(false);
    Exchange first = tight.start("api.openai.com", "/v1/chat/completions");
    first.requestBytes(request, 0, request.length);
    first.requestSent();
    first.responseHeaders(200, response.length, ExchangeDriver.headers("content-type", JSON), MapHeaders.INSTANCE);
    first.responseBytes(response, 0, response.length);
    assertTrue(tight.budget.used() >= request.length + response.length);
    Exchange second = tight.start("api.openai.com", "/v1/chat/completions");
    second.responseHeaders(200, response.length, ExchangeDriver.headers("content-type", JSON), MapHeaders.INSTANCE);
    second.responseBytes(response, 0, response.length); // no room left while the first is held
    first.complete();
    second.complete();
    AiCall firstCall = tight.decode(first);
    AiCall secondCall = tight.decode(second);
    assertEquals(1117L, firstCall.get(Keys.INPUT_TOKENS));
    assertTrue(secondCall.has(Keys.CAPTURE_TRUNCATED), "over the shared budget the record degrades");
    assertFalse(secondCall.error);
    assertEquals(0, tight.budget.used(), "every reserved byte is given back");
  }

  @Test
  void earlyCloseAndFailureEndTheRecord() {
    byte[] sse = resource("stream-with-usage.sse");
    Exchange closed = driver.start("api.openai.com", "/v1/chat/completions");
    closed.responseHeaders(200, -1, ExchangeDriver.headers("content-type", SSE), MapHeaders.INSTANCE);
    closed.responseBytes(sse, 0, 300);
    closed.closed();
    assertEquals("closed_early", driver.decode(closed).get(Keys.ERROR_TYPE));

    Exchange reset = driver.start("api.openai.com", "/v1/chat/completions");
    reset.responseHeaders(200, -1, ExchangeDriver.headers("content-type", SSE), MapHeaders.INSTANCE);
    reset.responseBytes(sse, 0, 300);
    reset.fail(new java.net.SocketException("Connection reset"));
    reset.complete(); // a second end is ignored
    AiCall call = driver.decode(reset);
    assertEquals("java.net.SocketException", call.get(Keys.ERROR_TYPE));
    assertEquals(2, driver.ended.size());
  }

  @Test
  void closingAfterTheLastEventIsNoError() {
    byte[] sse = resource("stream-with-usage.sse");
    Exchange ex = driver.start("api.openai.com", "/v1/chat/completions");
    ex.responseHeaders(200, -1, ExchangeDriver.headers("content-type", SSE), MapHeaders.INSTANCE);
    ex.responseBytes(sse, 0, sse.length);
    ex.closed();
    AiCall call = driver.decode(ex);
    assertFalse(call.error, call.get(Keys.ERROR_TYPE));
  }

  @Test
  void onlyPostsToAnOpenAiPathAreRecognised() {
    assertNull(driver.start("api.openai.com", "/v1/models"));
    assertNull(driver.startMethod("GET", "api.openai.com", "/v1/chat/completions"));
    assertNull(driver.start("api.openai.com", "/v1/responses/resp_1/cancel"));
    assertTrue(driver.start("my-vllm.internal", "/openai/deployments/x/chat/completions") != null);
  }

  @Test
  void providerTableFromConfig() {
    ExchangeDriver custom = new ExchangeDriver(1 << 20, "vllm.internal:vllm,*.groq.example:groq");
    byte[] response = resource("chat-response.json");
    assertEquals("vllm", provider(custom, "vllm.internal", response));
    assertEquals("groq", provider(custom, "a.groq.example", response));
    assertEquals("openai_compatible", provider(custom, "localhost", response));
    assertEquals("openai", provider(custom, "api.openai.com", response));
    assertEquals("deepseek", provider(custom, "api.deepseek.com", response));
    assertEquals("azure.ai.openai", provider(custom, "myres.openai.azure.com", response));
  }

  private static String provider(ExchangeDriver d, String host, byte[] response) {
    return d.call(host, "/v1/chat/completions", request(false), 200, JSON, response, 1 << 20).get(Keys.PROVIDER);
  }

  private static byte[] request(boolean stream) {
    return ("{\"model\":\"gpt-4o-mini\",\"stream\":" + stream
        + ",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Capital of France?\"}]}")
        .getBytes(StandardCharsets.UTF_8);
  }
}
