package io.tracelight.mock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/** What the tests need to talk to the server and read its wire formats, written independently of it. */
final class Wire {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private Wire() {}

  static HttpResponse<byte[]> post(MockLlmServer s, String pathAndQuery, String json, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + pathAndQuery))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b.build());
  }

  static HttpResponse<byte[]> get(MockLlmServer s, String path) {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).GET().build());
  }

  private static HttpResponse<byte[]> send(HttpRequest r) {
    try {
      return CLIENT.send(r, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(HttpResponse<byte[]> r) {
    return new String(r.body(), StandardCharsets.UTF_8);
  }

  static JsonNode json(HttpResponse<byte[]> r) {
    return json(text(r));
  }

  static JsonNode json(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + s, e);
    }
  }

  static String contentType(HttpResponse<?> r) {
    return r.headers().firstValue("content-type").orElse("");
  }

  static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  /** A server-sent event: its {@code event:} name (null if none) and its data. */
  static final class Sse {
    final String event;
    final String data;

    Sse(String event, String data) {
      this.event = event;
      this.data = data;
    }

    JsonNode json() {
      return Wire.json(data);
    }
  }

  /** Parses an SSE body whose events end with a blank line ({@code \n\n} or {@code \r\n\r\n}); every event must be complete. */
  static List<Sse> sse(String body, String separator) {
    assertTrue(body.endsWith(separator), "the stream ends with a complete event");
    List<Sse> out = new ArrayList<>();
    for (String block : body.split(separator)) {
      String event = null;
      StringBuilder data = new StringBuilder();
      for (String line : block.split(separator.equals("\r\n\r\n") ? "\r\n" : "\n")) {
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          data.append(data.length() == 0 ? "" : "\n").append(line.substring(6));
        } else {
          throw new AssertionError("unexpected SSE line: " + line);
        }
      }
      out.add(new Sse(event, data.toString()));
    }
    return out;
  }

  static List<JsonNode> ndjson(String body) {
    assertTrue(body.endsWith("\n"), "every NDJSON line ends with a newline");
    List<JsonNode> out = new ArrayList<>();
    for (String line : body.split("\n")) {
      out.add(json(line));
    }
    return out;
  }

  /** One decoded {@code application/vnd.amazon.eventstream} frame. */
  static final class Frame {
    final Map<String, Object> headers;
    final byte[] payload;

    Frame(Map<String, Object> headers, byte[] payload) {
      this.headers = headers;
      this.payload = payload;
    }

    String header(String name) {
      return (String) headers.get(name);
    }

    JsonNode json() {
      return Wire.json(new String(payload, StandardCharsets.UTF_8));
    }
  }

  /** Decodes frames, checking lengths and both CRC32s; fails on anything left over. */
  static List<Frame> frames(byte[] body) {
    List<Frame> out = new ArrayList<>();
    ByteBuffer b = ByteBuffer.wrap(body);
    while (b.hasRemaining()) {
      int start = b.position();
      int total = b.getInt();
      int headersLength = b.getInt();
      int preludeCrc = b.getInt();
      assertEquals(crc(body, start, 8), preludeCrc, "prelude CRC of the frame at " + start);
      assertTrue(total <= body.length - start, "frame fits in the body");
      assertEquals(crc(body, start, total - 4), ByteBuffer.wrap(body, start + total - 4, 4).getInt(),
          "message CRC of the frame at " + start);
      Map<String, Object> headers = new LinkedHashMap<>();
      int headersEnd = b.position() + headersLength;
      while (b.position() < headersEnd) {
        byte[] name = new byte[b.get() & 0xff];
        b.get(name);
        headers.put(new String(name, StandardCharsets.UTF_8), headerValue(b));
      }
      byte[] payload = new byte[total - headersLength - 16];
      b.get(payload);
      b.getInt(); // the message CRC, checked above
      out.add(new Frame(headers, payload));
    }
    return out;
  }

  private static Object headerValue(ByteBuffer b) {
    int type = b.get();
    switch (type) {
      case 0:
        return true;
      case 1:
        return false;
      case 2:
        return b.get();
      case 3:
        return b.getShort();
      case 4:
        return b.getInt();
      case 5:
      case 8:
        return b.getLong();
      case 6:
      case 7: {
        byte[] v = new byte[b.getShort() & 0xffff];
        b.get(v);
        return type == 7 ? new String(v, StandardCharsets.UTF_8) : v;
      }
      case 9: {
        byte[] v = new byte[16];
        b.get(v);
        return v;
      }
      default:
        throw new AssertionError("unknown header type " + type);
    }
  }

  private static int crc(byte[] bytes, int from, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, from, length);
    return (int) crc.getValue();
  }

  /** The only answer the server recorded. */
  static MockLlmServer.Sent onlySent(MockLlmServer s) {
    List<MockLlmServer.Sent> sent = s.sent();
    assertEquals(1, sent.size(), "recorded: " + sent);
    return sent.get(0);
  }
}
