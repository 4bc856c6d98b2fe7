package io.tracelight.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback server that speaks the OpenAI Chat Completions wire format: JSON responses, SSE
 * streams ({@code chat.completion.chunk} events, an optional usage chunk, {@code [DONE]}) and
 * OpenAI-shaped errors. Answers are deterministic, and every usage it sends is kept in
 * {@link #sent()} so tests can compare records with what the server really said.
 *
 * <p>Special models make it misbehave: {@code mock-error-500}, {@code mock-malformed},
 * {@code mock-empty}, {@code mock-non-utf8}, any {@code *-no-such-model} (a 404), {@code mock-big} (a 50 MB answer),
 * {@code mock-truncated} (a stream that stops without its end) and {@code mock-reset} (a stream
 * whose connection is dropped). Headers {@code x-mock-delay-ms} and {@code x-mock-chunk-delay-ms}
 * delay the first chunk and each following one.
 */
public final class MockLlmServer implements AutoCloseable {
  /** What the server answered to one request. */
  public static final class Sent {
    public final String id;
    public final String model;
    public final boolean stream;
    public final long promptTokens;
    public final long completionTokens;
    public final long cachedTokens;
    public final String text;

    Sent(String id, String model, boolean stream, long promptTokens, long completionTokens, long cachedTokens,
        String text) {
      this.id = id;
      this.model = model;
      this.stream = stream;
      this.promptTokens = promptTokens;
      this.completionTokens = completionTokens;
      this.cachedTokens = cachedTokens;
      this.text = text.length() > 1_000_000 ? null : text; // the 50 MB answer is not kept
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong ids = new AtomicLong();
  private final java.util.concurrent.atomic.LongAdder handleNanos = new java.util.concurrent.atomic.LongAdder();
  private final java.util.concurrent.atomic.LongAdder handled = new java.util.concurrent.atomic.LongAdder();

  private MockLlmServer(int port) throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "mock-llm-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public static MockLlmServer start(int port) throws IOException {
    return new MockLlmServer(port);
  }

  /** Base URL in the form OpenAI clients take, ending in {@code /v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<Sent> sent() {
    synchronized (sent) {
      return new ArrayList<>(sent);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** The deterministic answer to a request: the same for streamed and whole responses. */
  public static String answer(String model, int messages) {
    return "Hello from the mock server! You sent " + messages + " message(s) to " + model
        + ". Observability makes AI calls less mysterious.";
  }

  /** Thrown to leave the exchange unclosed, so the server drops the connection mid-body. */
  private static final class DropConnection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DropConnection() {
      super("mock server drops the connection on purpose", null, false, false);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    long start = System.nanoTime();
    try {
      handleAndClose(ex);
    } catch (DropConnection drop) {
      throw drop; // the HTTP server closes the socket without ending the chunked body
    } finally {
      handleNanos.add(System.nanoTime() - start);
      handled.increment();
    }
  }

  /**
   * Mean time the server spent on a request, from reading it to sending the last byte (delays
   * asked for by headers included), so benchmarks can show the server is not what they measure.
   */
  public double meanHandleMicros() {
    long n = handled.sum();
    return n == 0 ? 0 : handleNanos.sum() / 1000.0 / n;
  }

  public long handled() {
    return handled.sum();
  }

  private void handleAndClose(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] body = in.readAllBytes();
      if (!"POST".equals(ex.getRequestMethod()) || !ex.getRequestURI().getPath().endsWith("/chat/completions")) {
        sendJson(ex, 404, error("not_found_error", "no such endpoint"));
        return;
      }
      JsonNode request;
      try {
        request = JSON.readTree(body);
      } catch (IOException e) {
        sendJson(ex, 400, error("invalid_request_error", "request is not JSON"));
        return;
      }
      chat(ex, request);
    } catch (DropConnection drop) {
      throw drop;
    } catch (IOException | RuntimeException e) {
      ex.close();
      throw e;
    }
    ex.close();
  }

  private void chat(HttpExchange ex, JsonNode request) throws IOException {
    String model = request.path("model").asText("unknown");
    JsonNode messages = request.path("messages");
    boolean stream = request.path("stream").asBoolean(false);
    boolean includeUsage = request.path("stream_options").path("include_usage").asBoolean(false);
    int chars = 0;
    for (JsonNode m : messages) {
      chars += m.path("content").isTextual() ? m.path("content").asText().length() : m.path("content").toString().length();
    }
    String text = answer(model, messages.size());
    long promptTokens = 8 + chars / 4;
    long completionTokens = text.split(" ").length;
    long cached = promptTokens / 2;
    String id = "chatcmpl-mock" + ids.incrementAndGet();
    long delay = header(ex, "x-mock-delay-ms");
    long chunkDelay = header(ex, "x-mock-chunk-delay-ms");

    if (model.endsWith("-no-such-model")) {
      sendJson(ex, 404, error("invalid_request_error", "The model `" + model + "` does not exist or you do not have access to it."));
      return;
    }
    switch (model) {
      case "mock-error-500":
        sendJson(ex, 500, error("server_error", "The mock server failed on purpose."));
        return;
      case "mock-malformed":
        sendRaw(ex, 200, "application/json", ("{\"id\":\"" + id + "\",\"choices\":[{\"index\":0,\"mess").getBytes(StandardCharsets.UTF_8));
        return;
      case "mock-empty":
        sendRaw(ex, 200, "application/json", new byte[0]);
        return;
      case "mock-non-utf8":
        sendRaw(ex, 200, "application/json", new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '"', '}'});
        return;
      case "mock-big":
        text = "a".repeat(50 * 1024 * 1024);
        break;
      default:
    }
    if (!stream) {
      sent.add(new Sent(id, model, false, promptTokens, completionTokens, cached, text));
      sleep(delay);
      sendJson(ex, 200, completion(id, model, text, promptTokens, completionTokens, cached));
      return;
    }
    ex.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    ex.getResponseHeaders().set("Cache-Control", "no-cache");
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    sleep(delay);
    List<String> pieces = pieces(text);
    boolean truncated = model.equals("mock-truncated");
    boolean reset = model.equals("mock-reset");
    event(out, chunk(id, model, "{\"role\":\"assistant\",\"content\":\"\"}", null));
    for (int i = 0; i < pieces.size(); i++) {
      if ((truncated || reset) && i == 2) {
        if (reset) {
          throw new DropConnection();
        }
        out.close();
        return;
      }
      if (i > 0) {
        sleep(chunkDelay);
      }
      event(out, chunk(id, model, "{\"content\":" + JSON.writeValueAsString(pieces.get(i)) + "}", null));
    }
    event(out, chunk(id, model, "{}", "stop"));
    if (includeUsage) {
      ObjectNode usage = JSON.createObjectNode();
      usage.put("id", id).put("object", "chat.completion.chunk").put("created", 1732400000L).put("model", model);
      usage.putArray("choices");
      usage.set("usage", usage(promptTokens, completionTokens, cached));
      event(out, JSON.writeValueAsString(usage));
    }
    sent.add(new Sent(id, model, true, includeUsage ? promptTokens : -1, includeUsage ? completionTokens : -1,
        includeUsage ? cached : -1, text));
    event(out, "[DONE]");
    out.close();
  }

  /** A whole {@code chat.completion} body, as this server sends it; for scripted servers. */
  public static String wholeResponse(String id, String model, String text, long prompt, long completion, long cached) {
    try {
      return JSON.writeValueAsString(completion(id, model, text, prompt, completion, cached));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A whole SSE body with usage and {@code [DONE]}, as this server streams it; for scripted servers. */
  public static String streamResponse(String id, String model, String text, long prompt, long completion, long cached) {
    StringBuilder b = new StringBuilder();
    b.append("data: ").append(chunk(id, model, "{\"role\":\"assistant\",\"content\":\"\"}", null)).append("\n\n");
    try {
      for (String piece : pieces(text)) {
        b.append("data: ").append(chunk(id, model, "{\"content\":" + JSON.writeValueAsString(piece) + "}", null))
            .append("\n\n");
      }
      b.append("data: ").append(chunk(id, model, "{}", "stop")).append("\n\n");
      ObjectNode usage = JSON.createObjectNode();
      usage.put("id", id).put("object", "chat.completion.chunk").put("created", 1732400000L).put("model", model);
      usage.putArray("choices");
      usage.set("usage", usage(prompt, completion, cached));
      b.append("data: ").append(JSON.writeValueAsString(usage)).append("\n\n");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return b.append("data: [DONE]\n\n").toString();
  }

  private static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= text.length(); i++) {
      if (i == text.length() || (text.charAt(i) == ' ' && i - start >= 1)) {
        out.add(text.substring(start, i));
        start = i;
      }
      if (out.size() > 64 && i < text.length()) { // long answers: bigger pieces
        out.add(text.substring(start));
        break;
      }
    }
    return out;
  }

  private static String chunk(String id, String model, String delta, String finish) {
    return "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1732400000,\"model\":\""
        + model + "\",\"system_fingerprint\":\"fp_mock\",\"choices\":[{\"index\":0,\"delta\":" + delta
        + ",\"logprobs\":null,\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"")
        + "}],\"usage\":null}";
  }

  private static void event(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static ObjectNode completion(String id, String model, String text, long prompt, long completion, long cached) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", id).put("object", "chat.completion").put("created", 1732400000L).put("model", model);
    ArrayNode choices = root.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant").put("content", text).putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", "stop");
    root.set("usage", usage(prompt, completion, cached));
    root.put("system_fingerprint", "fp_mock");
    return root;
  }

  private static ObjectNode usage(long prompt, long completion, long cached) {
    ObjectNode usage = JSON.createObjectNode();
    usage.put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
    usage.putObject("prompt_tokens_details").put("cached_tokens", cached).put("audio_tokens", 0);
    usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
        .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
    return usage;
  }

  private static ObjectNode error(String type, String message) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message).put("type", type).putNull("param").putNull("code");
    return root;
  }

  private static void sendJson(HttpExchange ex, int status, JsonNode body) throws IOException {
    sendRaw(ex, status, "application/json", JSON.writeValueAsBytes(body));
  }

  private static void sendRaw(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static long header(HttpExchange ex, String name) {
    String v = ex.getRequestHeaders().getFirst(name);
    try {
      return v == null ? 0 : Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void sleep(long millis) {
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Runs the server standalone: {@code java -cp ... io.tracelight.mock.MockLlmServer [port]}. */
  public static void main(String[] args) throws Exception {
    MockLlmServer s = start(args.length > 0 ? Integer.parseInt(args[0]) : 0);
    System.out.println("mock LLM server at " + s.baseUrl());
    Thread.currentThread().join();
  }
}
