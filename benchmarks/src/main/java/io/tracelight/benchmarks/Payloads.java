package io.tracelight.benchmarks;

import io.tracelight.core.exchange.CaptureBudget;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.ExchangeSink;
import io.tracelight.core.exchange.Exchanges;
import io.tracelight.core.exchange.MapHeaders;
import io.tracelight.core.protocol.Protocols;
import io.tracelight.mock.MockLlmServer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Realistic chat payloads, made by the mock server's own writers, and the agent set up to see them. */
final class Payloads {
  static final String SYSTEM_PROMPT = Workload.SYSTEM_PROMPT;
  static final byte[] REQUEST = ("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\""
      + SYSTEM_PROMPT + "\"},{\"role\":\"user\",\"content\":\"What does a Java agent do?\"}],"
      + "\"temperature\":0.2,\"max_tokens\":200}").getBytes(StandardCharsets.UTF_8);
  static final byte[] RESPONSE = MockLlmServer.wholeResponse("chatcmpl-bench", "gpt-4o-mini",
      MockLlmServer.answer("gpt-4o-mini", 2), 120, 17, 64).getBytes(StandardCharsets.UTF_8);
  static final byte[] STREAM = MockLlmServer.streamResponse("chatcmpl-bench", "gpt-4o-mini",
      MockLlmServer.answer("gpt-4o-mini", 2), 120, 17, 64).getBytes(StandardCharsets.UTF_8);
  /** One {@code chat.completion.chunk} event, as it arrives on the wire. */
  static final byte[] ONE_CHUNK;

  /** The stream's events one by one, as a server flushes them. */
  static final byte[][] STREAM_EVENTS;

  static {
    String stream = new String(STREAM, StandardCharsets.UTF_8);
    int second = stream.indexOf("data: ", 1);
    int end = stream.indexOf("\n\n", second) + 2;
    ONE_CHUNK = stream.substring(second, end).getBytes(StandardCharsets.UTF_8);
    java.util.List<byte[]> events = new java.util.ArrayList<>();
    for (int from = 0; from < stream.length(); ) {
      int to = stream.indexOf("\n\n", from);
      to = to < 0 ? stream.length() : to + 2;
      events.add(stream.substring(from, to).getBytes(StandardCharsets.UTF_8));
      from = to;
    }
    STREAM_EVENTS = events.toArray(new byte[0][]);
  }

  static final Map<String, String> REQUEST_HEADERS = Map.of("content-type", "application/json");
  static final Map<String, String> RESPONSE_HEADERS = Map.of("content-type", "application/json");
  static final Map<String, String> STREAM_HEADERS = Map.of("content-type", "text/event-stream");
  static final Protocols PROTOCOLS = Protocols.load(Payloads.class.getClassLoader());

  private Payloads() {}

  static void install(ExchangeSink sink) {
    install(sink, false);
  }

  /** @param propagate {@code tracelight.propagation=tracecontext}: span ids chosen and a header made on the app's thread */
  static void install(ExchangeSink sink, boolean propagate) {
    int cap = 4 << 20;
    Exchanges.install(new Exchanges.Setup(PROTOCOLS, sink, cap, new CaptureBudget(64L << 20), null, propagate));
  }

  static Exchange start(String method, String host, String path) {
    return Exchanges.start("bench", method, "https", host, 443, path, null, REQUEST_HEADERS, MapHeaders.INSTANCE);
  }

  /**
   * What an instrumentation does on the reading thread for one streamed call: the body in one
   * buffer, or one buffer per event (the difference, over the events less one, is what each chunk
   * costs the thread that reads it).
   */
  static Exchange streamedCall(boolean perEvent) {
    Exchange ex = start("POST", "api.openai.com", "/v1/chat/completions");
    ex.requestBytes(REQUEST, 0, REQUEST.length);
    ex.requestSent();
    ex.responseHeaders(200, -1, STREAM_HEADERS, MapHeaders.INSTANCE);
    if (perEvent) {
      for (byte[] event : STREAM_EVENTS) {
        ex.responseBytes(event, 0, event.length);
      }
    } else {
      ex.responseBytes(STREAM, 0, STREAM.length);
    }
    ex.complete();
    return ex;
  }

  /** What an instrumentation does on the application's thread for one whole (non-streamed) call. */
  static Exchange wholeCall() {
    Exchange ex = start("POST", "api.openai.com", "/v1/chat/completions");
    ex.requestBytes(REQUEST, 0, REQUEST.length);
    ex.requestSent();
    ex.responseHeaders(200, RESPONSE.length, RESPONSE_HEADERS, MapHeaders.INSTANCE);
    ex.responseBytes(RESPONSE, 0, RESPONSE.length);
    ex.complete();
    return ex;
  }
}
