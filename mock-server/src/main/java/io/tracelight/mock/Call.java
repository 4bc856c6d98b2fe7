package io.tracelight.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** One request being answered: what was asked, which misbehaviour, and the ways to answer. */
final class Call {
  static final ObjectMapper JSON = new ObjectMapper();

  final MockLlmServer server;
  final HttpExchange ex;
  final String method;
  /** The path with percent-escapes decoded. */
  final String path;
  /** The path as sent, for model ids that arrive percent-encoded (Bedrock). */
  final String rawPath;
  final byte[] body;
  private JsonNode json;
  private boolean parsed;
  String model = "unknown";
  Special special = Special.NONE;
  /** The counter value this answer's ids are made from; 0 before {@link #nextId()}. */
  long n;

  Call(MockLlmServer server, HttpExchange ex, byte[] body) {
    this.server = server;
    this.ex = ex;
    this.method = ex.getRequestMethod();
    URI uri = ex.getRequestURI();
    this.path = uri.getPath() == null ? "" : uri.getPath();
    this.rawPath = uri.getRawPath() == null ? "" : uri.getRawPath();
    this.body = body;
  }

  /** The request body as JSON, or null when it is not JSON. */
  JsonNode json() {
    if (!parsed) {
      parsed = true;
      try {
        json = JSON.readTree(body); // an empty body reads as a missing node, as it always did
      } catch (IOException e) {
        json = null;
      }
    }
    return json;
  }

  void model(String model) {
    this.model = model;
    this.special = Special.of(model);
    if (special == Special.DRIFT) {
      String base = model.substring(model.lastIndexOf('/') + 1);
      int colon = base.indexOf(':');
      long after = Special.driftAfter(colon >= 0 ? base.substring(0, colon) : base);
      long count = server.countCall(model);
      drift = count > after ? count - after : 0;
    }
  }

  /**
   * For {@code mock-drift-<n>}: 0 for the model's first n calls, then 1, 2, ... Before the shift every
   * answer is ordinary and sent after {@value #DRIFT_DELAY_MILLIS} ms; after it, answers take three
   * times as long, three in ten (the 1st, 4th and 7th of every ten) are a refusal in words, and the
   * others are the ordinary answer three times over.
   */
  long drift;
  static final long DRIFT_DELAY_MILLIS = 30;

  /** The drifting model's own delay before the first byte. */
  private long driftDelay() {
    return special != Special.DRIFT ? 0 : drift > 0 ? 3 * DRIFT_DELAY_MILLIS : DRIFT_DELAY_MILLIS;
  }

  /** Whether this drifted call answers with a refusal. */
  boolean driftRefuses() {
    long k = drift % 10;
    return drift > 0 && (k == 1 || k == 4 || k == 7);
  }

  long nextId() {
    n = server.nextId();
    return n;
  }

  /** A query parameter, percent-decoded; null when absent. */
  String query(String name) {
    String q = ex.getRequestURI().getQuery();
    if (q == null) {
      return null;
    }
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      if (key.equals(name)) {
        return eq < 0 ? "" : pair.substring(eq + 1);
      }
    }
    return null;
  }

  String requestHeader(String name) {
    return ex.getRequestHeaders().getFirst(name);
  }

  long headerMillis(String name) {
    String v = requestHeader(name);
    try {
      return v == null ? 0 : Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  void header(String name, String value) {
    ex.getResponseHeaders().set(name, value);
  }

  void record(MockLlmServer.Sent.Builder sent) {
    server.record(sent.traceparent(ex.getRequestHeaders().getFirst("traceparent")).build());
  }

  void sendJson(int status, String contentType, JsonNode body) throws IOException {
    send(status, contentType, JSON.writeValueAsBytes(body));
  }

  void send(int status, String contentType, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /**
   * A successful whole answer: recorded, delayed by {@code x-mock-delay-ms}, sent. A mock-malformed
   * model gets the first half of the body instead, and nothing is recorded.
   */
  void answer(String contentType, byte[] body, MockLlmServer.Sent.Builder sent) throws IOException {
    if (special == Special.MALFORMED) {
      send(200, contentType, Arrays.copyOf(body, body.length / 2));
      return;
    }
    record(sent);
    sleep(headerMillis("x-mock-delay-ms") + driftDelay());
    send(200, contentType, body);
  }

  void answer(String contentType, JsonNode body, MockLlmServer.Sent.Builder sent) throws IOException {
    answer(contentType, JSON.writeValueAsBytes(body), sent);
  }

  /** Whether to stream: a mock-malformed model always gets a (cut) whole body, as on the chat path. */
  boolean streams(boolean requested) {
    return requested && special != Special.MALFORMED;
  }

  /**
   * Streams a script with a chunked body: {@code x-mock-delay-ms} before the first frame,
   * {@code x-mock-chunk-delay-ms} between content pieces, and the cut the model name asks for.
   * The answer is recorded just before the end frames, so a client that read the whole stream finds it.
   */
  void play(String contentType, Script script, byte[] errorFrame, MockLlmServer.Sent.Builder sent) throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(200, 0);
    OutputStream out = ex.getResponseBody();
    sleep(headerMillis("x-mock-delay-ms") + driftDelay());
    long chunkDelay = headerMillis("x-mock-chunk-delay-ms");
    int cut = special.cutsStream() ? script.cutIndex() : -1;
    boolean pieceSent = false;
    boolean recorded = false;
    for (int i = 0; i <= script.frames.size(); i++) {
      if (i == cut) {
        if (special == Special.RESET) {
          throw new DropConnection();
        }
        if (special == Special.STREAM_ERROR && errorFrame != null) {
          write(out, errorFrame);
        }
        out.close();
        return;
      }
      if (i == script.frames.size()) {
        break;
      }
      Script.Role role = script.roles.get(i);
      if (role == Script.Role.PIECE) {
        if (pieceSent) {
          sleep(chunkDelay);
        }
        pieceSent = true;
      } else if (role == Script.Role.END && !recorded) {
        record(sent);
        recorded = true;
      }
      write(out, script.frames.get(i));
    }
    if (!recorded) {
      record(sent);
    }
    out.close();
  }

  private static void write(OutputStream out, byte[] frame) throws IOException {
    out.write(frame);
    out.flush();
  }

  static ObjectNode object() {
    return JSON.createObjectNode();
  }

  /** A node's text, or {@code orElse} when it is absent or not a string. */
  static String text(JsonNode node, String orElse) {
    return node != null && node.isTextual() ? node.asText() : orElse;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static void sleep(long millis) {
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Thrown to leave the exchange unclosed, so the server drops the connection mid-body. */
  static final class DropConnection extends RuntimeException {
    private static final long serialVersionUID = 1L;

    DropConnection() {
      super("mock server drops the connection on purpose", null, false, false);
    }
  }
}
