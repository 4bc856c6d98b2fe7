package io.tracelight.core.protocol.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.google.auto.service.AutoService;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Protocol;
import io.tracelight.core.protocol.RequestView;
import io.tracelight.core.protocol.ResponseView;
import io.tracelight.core.protocol.StreamDecoder;
import io.tracelight.core.protocol.framing.FrameParser;
import io.tracelight.core.protocol.framing.JsonArrayParser;
import io.tracelight.core.protocol.framing.SseParser;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Google's Gemini API on AI Studio ({@code generativelanguage.googleapis.com}, provider
 * {@code gcp.gemini}) and Vertex AI (provider {@code gcp.vertex_ai}, told apart by the path):
 * {@code :generateContent}, {@code :streamGenerateContent} as SSE ({@code alt=sse}) or as one JSON
 * array streamed element by element, {@code :embedContent}, {@code :batchEmbedContents} and
 * Vertex's {@code :predict} for embedding models. The API key, sent as {@code key=} or
 * {@code x-goog-api-key}, is a secret the protocol never sees.
 */
@AutoService(Protocol.class)
public final class GeminiProtocol implements Protocol {
  @Override
  public String name() {
    return "gemini";
  }

  @Override
  public String defaultProvider() {
    return "gcp.gemini";
  }

  @Override
  public boolean matches(RequestView request) {
    return "POST".equals(request.method()) && GeminiPath.method(request.path()) != null;
  }

  @Override
  public void decodeRequest(RequestView request, byte[] body, int length, boolean complete, AiCall call)
      throws IOException {
    String path = request.path();
    GeminiPath.Method method = GeminiPath.method(path);
    boolean generates = method == GeminiPath.Method.GENERATE || method == GeminiPath.Method.STREAM;
    call.set(Keys.OPERATION, generates ? "generate_content" : "embeddings");
    call.set(Keys.REQUEST_MODEL, GeminiPath.model(path));
    call.set(Keys.STREAM, method == GeminiPath.Method.STREAM);
    if (GeminiPath.vertex(path)) {
      call.set(Keys.PROVIDER, "gcp.vertex_ai");
    }
    if (body != null) {
      if (generates) {
        GeminiRequests.generate(body, length, call);
      } else {
        GeminiRequests.embed(body, length, call);
      }
    }
  }

  @Override
  public StreamDecoder streamDecoder(RequestView request, ResponseView response, int maxEventBytes) {
    if (GeminiPath.method(request.path()) != GeminiPath.Method.STREAM) {
      return null;
    }
    String type = response.contentType();
    boolean sse = type != null && type.regionMatches(true, 0, "text/event-stream", 0, 17);
    return new Stream(sse, maxEventBytes);
  }

  @Override
  public void decodeResponse(RequestView request, ResponseView response, byte[] body, int length, AiCall call)
      throws IOException {
    GeminiPath.Method method = GeminiPath.method(request.path());
    if (method == GeminiPath.Method.GENERATE || method == GeminiPath.Method.STREAM) {
      GeminiResponses responses = new GeminiResponses();
      try (JsonParser p = Json.parser(body, 0, length)) {
        p.nextToken();
        responses.read(p);
        Json.expectEnd(p);
      }
      responses.finish(call);
    } else {
      GeminiEmbeddings.decode(body, length, call);
    }
  }

  @Override
  public void decodeError(RequestView request, ResponseView response, byte[] body, int length, AiCall call)
      throws IOException {
    if (body != null && length > 0) {
      GeminiErrors.body(body, length, call);
    }
  }

  /** A streamed answer, SSE or JSON array: each frame is one {@code GenerateContentResponse}. */
  private static final class Stream implements StreamDecoder {
    private final FrameParser frames;
    private final GeminiResponses responses = new GeminiResponses();
    private int malformed;

    Stream(boolean sse, int maxEvent) {
      this.frames = sse ? new SseParser((event, data, length) -> onFrame(data, length), maxEvent)
          : new JsonArrayParser(this::onFrame, maxEvent);
    }

    private void onFrame(byte[] data, int length) {
      try (JsonParser p = Json.parser(data, 0, length)) {
        p.nextToken();
        responses.read(p);
      } catch (IOException | RuntimeException e) {
        malformed++;
      }
    }

    @Override
    public void feed(byte[] bytes, int offset, int length) {
      frames.feed(bytes, offset, length);
    }

    @Override
    public void feed(ByteBuffer buffer) {
      frames.feed(buffer);
    }

    @Override
    public boolean sawEnd() {
      return responses.sawEnd();
    }

    @Override
    public void finish(AiCall call) {
      int malformedComplete = malformed; // an event cut by the end of the body is a truncation
      frames.finish();
      responses.finish(call);
      if (malformedComplete > 0) {
        call.fail("malformed_response");
      }
      if (frames.skipped() > 0) {
        call.truncated();
      }
    }
  }
}
