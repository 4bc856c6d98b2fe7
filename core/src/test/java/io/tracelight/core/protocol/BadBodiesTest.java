package io.tracelight.core.protocol;

import static io.tracelight.core.pipeline.ExchangeDriver.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.ExchangeDriver;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every protocol, given what broken servers send (an empty 200, half a body, HTML, bytes that are
 * not UTF-8, a stream cut short), names the failure and never throws: the app got the same bytes
 * either way, the record says what was wrong with them.
 */
class BadBodiesTest {
  private final ExchangeDriver driver = new ExchangeDriver();

  /** Host, path, request, a good whole response, a good stream and the stream's content type. */
  static Stream<Arguments> protocols() {
    return Stream.of(
        Arguments.of("api.openai.com", "/v1/chat/completions", "openai/chat-request.json", "openai/chat-response.json",
            "openai/stream-with-usage.sse", "text/event-stream"),
        Arguments.of("api.openai.com", "/v1/responses", "openai/responses-request.json", "openai/responses-response.json",
            "openai/responses-stream.sse", "text/event-stream"),
        Arguments.of("api.anthropic.com", "/v1/messages", "anthropic/request.json", "anthropic/response.json",
            "anthropic/stream.sse", "text/event-stream"),
        Arguments.of("generativelanguage.googleapis.com", "/v1beta/models/gemini-2.5-flash:streamGenerateContent",
            "gemini/request.json", "gemini/response.json", "gemini/stream-array.json", "application/json"),
        Arguments.of("localhost", "/api/chat", "ollama/chat-request.json", "ollama/chat-response.json",
            "ollama/chat-stream.ndjson", "application/x-ndjson"),
        Arguments.of("bedrock-runtime.us-east-1.amazonaws.com", "/model/amazon.nova-lite-v1:0/converse-stream",
            "bedrock/converse-request.json", "bedrock/converse-response.json", "bedrock/converse-stream.bin",
            "application/vnd.amazon.eventstream"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("protocols")
  void brokenBodiesAreNamedNeverThrown(String host, String path, String request, String whole, String stream,
      String streamType) {
    String wholePath = path.replace(":streamGenerateContent", ":generateContent").replace("/converse-stream", "/converse");
    byte[] req = resource(request);
    byte[] good = resource(whole);
    assertEquals("empty_response", call(host, wholePath, req, "application/json", new byte[0]).get(Keys.ERROR_TYPE));
    assertEquals("malformed_response",
        call(host, wholePath, req, "application/json", Arrays.copyOf(good, good.length / 2)).get(Keys.ERROR_TYPE));
    assertEquals("malformed_response", call(host, wholePath, req, "text/html",
        "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8)).get(Keys.ERROR_TYPE));
    byte[] notUtf8 = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xff, (byte) 0xfe, '"', '}'};
    assertEquals("malformed_response", call(host, wholePath, req, "application/json", notUtf8).get(Keys.ERROR_TYPE));

    byte[] frames = resource(stream);
    AiCall cut = call(host, path, req, streamType, Arrays.copyOf(frames, frames.length * 2 / 3));
    assertTrue(cut.error);
    assertEquals("truncated_stream", cut.get(Keys.ERROR_TYPE), "a stream cut short");
    AiCall empty = call(host, path, req, streamType, new byte[0]);
    assertTrue(empty.error, "a stream with nothing in it is no answer");

    AiCall garbageRequest = call(host, wholePath, "not json at all".getBytes(StandardCharsets.UTF_8), "application/json",
        good);
    boolean pathProvesIt = wholePath.contains(":generateContent") || wholePath.startsWith("/model/");
    if (pathProvesIt) {
      assertTrue(garbageRequest.has(Keys.CAPTURE_TRUNCATED), "an unreadable request is said, the response still read");
      assertTrue(garbageRequest.has(Keys.OUTPUT_HASH) || garbageRequest.has(Keys.INPUT_TOKENS), "response fields kept");
    } else {
      assertTrue(garbageRequest.isNotAiCall(), "a body that is no JSON on a path common to other APIs: not an AI call");
    }
  }

  /** Streams longer than the body cap: decoded as they are read, in bounded memory, to the same record. */
  static Stream<Arguments> longStreams() {
    return Stream.of(
        Arguments.of("/v1/chat/completions", "openai/chat-request.json", "openai/stream-with-usage.sse",
            "text/event-stream", 700),
        Arguments.of("/v1/responses", "openai/responses-request.json", "openai/responses-stream.sse", "text/event-stream",
            1400),
        Arguments.of("/v1/messages", "anthropic/request.json", "anthropic/stream.sse", "text/event-stream", 700),
        Arguments.of("/v1beta/models/gemini-2.5-flash:streamGenerateContent", "gemini/request.json",
            "gemini/stream-array.json", "application/json", 1000),
        Arguments.of("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", "gemini/request.json",
            "gemini/stream.sse", "text/event-stream", 800),
        Arguments.of("/api/chat", "ollama/chat-request.json", "ollama/chat-stream.ndjson", "application/x-ndjson", 400),
        Arguments.of("/model/amazon.nova-lite-v1:0/converse-stream", "bedrock/converse-request.json",
            "bedrock/converse-stream.bin", "application/vnd.amazon.eventstream", 600),
        Arguments.of("/model/anthropic.claude-3-5-sonnet-20241022-v2:0/invoke-with-response-stream",
            "bedrock/invoke-anthropic-request.json", "bedrock/invoke-stream-anthropic.bin",
            "application/vnd.amazon.eventstream", 800));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("longStreams")
  void aStreamLongerThanTheCapIsDecodedAsReadToTheSameRecord(String path, String request, String stream, String type,
      int cap) {
    byte[] body = resource(stream);
    assertTrue(body.length > 2 * cap, "the stream outgrows the cap: " + body.length);
    AiCall roomy = driver.call("example.com", path, resource(request), 200, type, body, 97);
    ExchangeDriver tight = new ExchangeDriver(cap, "");
    io.tracelight.core.exchange.Exchange ex = tight.start("example.com", path);
    byte[] req = resource(request);
    ex.requestBytes(req, 0, Math.min(req.length, cap));
    ex.requestSent();
    ExchangeDriver.respond(ex, 200, type, new byte[0], 1);
    for (int i = 0; i < body.length; i += 97) {
      ex.responseBytes(body, i, Math.min(97, body.length - i));
      assertTrue(tight.budget.used() <= 2L * cap, "never more than a request and a stream buffer held: "
          + tight.budget.used());
    }
    ex.complete();
    AiCall decodedAsRead = tight.decode(ex);
    for (io.tracelight.core.model.AttributeKey<?> key : new io.tracelight.core.model.AttributeKey<?>[] {
        Keys.OUTPUT_HASH, Keys.INPUT_TOKENS, Keys.OUTPUT_TOKENS, Keys.FINISH_REASONS, Keys.RESPONSE_MODEL}) {
      assertEquals(String.valueOf(roomy.get(key)), String.valueOf(decodedAsRead.get(key)), key.name);
    }
    assertEquals(roomy.error, decodedAsRead.error, String.valueOf(decodedAsRead.get(Keys.ERROR_TYPE)));
    assertEquals(0, tight.budget.used(), "all given back");
  }

  private AiCall call(String host, String path, byte[] request, String type, byte[] response) {
    return driver.call(host, path, request, 200, type, response, 7);
  }
}
