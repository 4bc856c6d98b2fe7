package io.tracelight.core.protocol.anthropic;

import com.google.auto.service.AutoService;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Paths;
import io.tracelight.core.protocol.Protocol;
import io.tracelight.core.protocol.RequestView;
import io.tracelight.core.protocol.ResponseView;
import io.tracelight.core.protocol.StreamDecoder;
import io.tracelight.core.protocol.framing.SseEventHandler;
import io.tracelight.core.protocol.framing.SseParser;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Anthropic's Messages API: {@code POST .../v1/messages} on any host (Anthropic, and the
 * Anthropic-compatible endpoints of other providers), and Claude on Vertex AI
 * ({@code .../publishers/anthropic/models/{m}:rawPredict} and {@code :streamRawPredict}). Not
 * {@code /v1/messages/count_tokens} nor the batches API: they generate nothing.
 */
@AutoService(Protocol.class)
public final class AnthropicProtocol implements Protocol {
  private static final String VERTEX = "/publishers/anthropic/models/";

  @Override
  public String name() {
    return "anthropic";
  }

  @Override
  public String defaultProvider() {
    return "anthropic";
  }

  @Override
  public boolean matches(RequestView request) {
    String path = request.path();
    return "POST".equals(request.method())
        && (path.endsWith("/v1/messages") || (path.contains(VERTEX) && path.endsWith("awPredict")));
  }

  @Override
  public void decodeRequest(RequestView request, byte[] body, int length, boolean complete, AiCall call)
      throws IOException {
    call.set(Keys.OPERATION, "chat");
    String path = request.path();
    if (path.contains(VERTEX)) {
      call.set(Keys.PROVIDER, "gcp.vertex_ai");
      call.set(Keys.REQUEST_MODEL, Paths.segmentAfter(path, VERTEX, true));
      call.set(Keys.STREAM, path.endsWith(":streamRawPredict"));
    }
    if (body != null) {
      boolean vertex = path.contains(VERTEX);
      try {
        AnthropicMessages.decodeRequest(body, length, call);
      } catch (IOException e) {
        if (complete && !vertex && !Json.startsAsObject(body, length)) {
          call.notAiCall(); // not even JSON: an app's own .../v1/messages endpoint
          return;
        }
        throw e;
      }
      if (complete && !vertex && !call.has(Keys.REQUEST_MODEL) && !Json.hasTopLevelMember(body, length, "messages")) {
        call.notAiCall();
      }
    }
  }

  @Override
  public StreamDecoder streamDecoder(RequestView request, ResponseView response, int maxEventBytes) {
    String type = response.contentType();
    if (type == null || !type.regionMatches(true, 0, "text/event-stream", 0, 17)) {
      return null;
    }
    return new Sse(maxEventBytes);
  }

  @Override
  public void decodeResponse(RequestView request, ResponseView response, byte[] body, int length, AiCall call)
      throws IOException {
    AnthropicMessages.decodeResponse(body, length, call);
  }

  @Override
  public void decodeError(RequestView request, ResponseView response, byte[] body, int length, AiCall call)
      throws IOException {
    if (body != null && length > 0) {
      AnthropicMessages.decodeError(body, length, call);
    }
  }

  /** The SSE stream: {@code event:} lines name the events, whose data carry the same type. */
  private static final class Sse implements StreamDecoder, SseEventHandler {
    private final SseParser sse;
    private final AnthropicStream events = new AnthropicStream();

    Sse(int maxEvent) {
      this.sse = new SseParser(this, maxEvent);
    }

    @Override
    public void onEvent(String event, byte[] data, int length) {
      events.onEvent(data, 0, length);
    }

    @Override
    public void feed(byte[] bytes, int offset, int length) {
      sse.feed(bytes, offset, length);
    }

    @Override
    public void feed(ByteBuffer buffer) {
      sse.feed(buffer);
    }

    @Override
    public boolean sawEnd() {
      return events.sawEnd();
    }

    @Override
    public void finish(AiCall call) {
      int malformed = events.malformedEvents(); // a cut last event is a truncation, not malformed
      sse.finish();
      events.finish(call);
      if (malformed > 0) {
        call.fail("malformed_response");
      }
      if (sse.skipped() > 0) {
        call.truncated();
      }
    }
  }
}
