package io.tracelight.core.protocol.ollama;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.auto.service.AutoService;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.AttributeKey;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Protocol;
import io.tracelight.core.protocol.RequestView;
import io.tracelight.core.protocol.ResponseView;
import io.tracelight.core.protocol.Sha256;
import io.tracelight.core.protocol.StreamDecoder;
import io.tracelight.core.protocol.framing.LineParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Ollama's native API: {@code /api/chat}, {@code /api/generate} (NDJSON streams, the default),
 * {@code /api/embed} and the older {@code /api/embeddings}. These paths are common words, so a
 * body that names no model, or asks nothing (a model load or unload), is not recorded. Its
 * OpenAI-compatible {@code /v1/...} routes are the OpenAI protocol's.
 */
@AutoService(Protocol.class)
public final class OllamaProtocol implements Protocol {
  private enum Endpoint {
    CHAT("/api/chat", "chat"),
    GENERATE("/api/generate", "text_completion"),
    EMBED("/api/embed", "embeddings"),
    EMBEDDINGS("/api/embeddings", "embeddings");

    final String suffix;
    final String operation;

    Endpoint(String suffix, String operation) {
      this.suffix = suffix;
      this.operation = operation;
    }

    static Endpoint of(String path) {
      for (Endpoint e : values()) {
        if (path.endsWith(e.suffix)) {
          return e;
        }
      }
      return null;
    }
  }

  @Override
  public String name() {
    return "ollama";
  }

  @Override
  public String defaultProvider() {
    return "ollama";
  }

  @Override
  public List<AttributeKey<?>> attributes() {
    return OllamaKeys.ALL;
  }

  @Override
  public boolean matches(RequestView request) {
    return "POST".equals(request.method()) && Endpoint.of(request.path()) != null;
  }

  @Override
  public void decodeRequest(RequestView request, byte[] body, int length, boolean complete, AiCall call)
      throws IOException {
    Endpoint endpoint = Endpoint.of(request.path());
    call.set(Keys.OPERATION, endpoint.operation);
    if (body == null) {
      return;
    }
    if (complete && !Json.startsAsObject(body, length)) {
      call.notAiCall(); // not even JSON: an app's own endpoint of the same name
      return;
    }
    if (endpoint == Endpoint.CHAT || endpoint == Endpoint.GENERATE) {
      OllamaBodies.request(body, length, endpoint == Endpoint.CHAT, call);
    } else {
      call.set(Keys.STREAM, Boolean.FALSE);
      OllamaBodies.embedRequest(body, length, call);
    }
  }

  @Override
  public StreamDecoder streamDecoder(RequestView request, ResponseView response, int maxEventBytes) {
    String type = response.contentType();
    Endpoint endpoint = Endpoint.of(request.path());
    if (type == null || !type.contains("ndjson") || endpoint == Endpoint.EMBED || endpoint == Endpoint.EMBEDDINGS) {
      return null;
    }
    return new Stream(maxEventBytes);
  }

  @Override
  public void decodeResponse(RequestView request, ResponseView response, byte[] body, int length, AiCall call)
      throws IOException {
    Endpoint endpoint = Endpoint.of(request.path());
    if (endpoint == Endpoint.EMBED || endpoint == Endpoint.EMBEDDINGS) {
      OllamaBodies.embedResponse(body, length, call);
      return;
    }
    Sha256 text = new Sha256();
    long[] toolCalls = {0};
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      OllamaBodies.chunk(p, call, text, toolCalls);
      Json.expectEnd(p);
    }
    finishText(call, text, toolCalls[0]);
  }

  private static void finishText(AiCall call, Sha256 text, long toolCalls) {
    if (text.used()) {
      call.set(Keys.OUTPUT_HASH, text.hex());
    }
    if (toolCalls > 0) {
      call.set(Keys.RESPONSE_TOOL_CALLS, toolCalls);
    }
  }

  /** An error body {@code {"error": "model 'x' not found"}} has no type: the status code stands. */
  @Override
  public void decodeError(RequestView request, ResponseView response, byte[] body, int length, AiCall call) {}

  /** The NDJSON stream: pieces of text, then a final {@code done: true} chunk with the counts. */
  private static final class Stream implements StreamDecoder {
    private final LineParser lines;
    private final AiCall aggregate = new AiCall();
    private final Sha256 text = new Sha256();
    private final long[] toolCalls = {0};
    private boolean done;
    private int malformed;

    Stream(int maxLine) {
      this.lines = new LineParser(this::onLine, maxLine);
    }

    private void onLine(byte[] line, int length) {
      try (JsonParser p = Json.parser(line, 0, length)) {
        if (p.nextToken() == JsonToken.START_OBJECT) {
          done |= OllamaBodies.chunk(p, aggregate, text, toolCalls);
          done |= aggregate.error; // an error line ends the stream
        } else {
          malformed++;
        }
      } catch (IOException | RuntimeException e) {
        malformed++;
      }
    }

    @Override
    public void feed(byte[] bytes, int offset, int length) {
      lines.feed(bytes, offset, length);
    }

    @Override
    public void feed(ByteBuffer buffer) {
      lines.feed(buffer);
    }

    @Override
    public boolean sawEnd() {
      return done;
    }

    @Override
    public void finish(AiCall call) {
      lines.finish();
      finishText(aggregate, text, toolCalls[0]);
      call.mergeFrom(aggregate);
      if (malformed > 0) {
        call.fail("malformed_response");
      }
      if (lines.skipped() > 0) {
        call.truncated();
      }
    }
  }
}
