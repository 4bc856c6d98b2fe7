package io.tracelight.core.protocol.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.StreamDecoder;
import io.tracelight.core.protocol.anthropic.AnthropicStream;
import io.tracelight.core.protocol.framing.EventStreamParser;
import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * Bedrock's streamed responses, AWS event-stream frames: ConverseStream's events
 * ({@code messageStart} ... {@code messageStop}, {@code metadata}), and InvokeModelWithResponseStream's
 * {@code chunk} events, whose payload {@code {"bytes": "<base64>"}} holds the model's own chunk
 * (Anthropic's stream events, or another family's native pieces). An {@code exception} frame
 * fails the call with its type.
 */
final class BedrockStreams implements StreamDecoder, EventStreamParser.Handler {
  private final EventStreamParser frames;
  private final boolean chunks;
  private final NativeBodies.Reader reader = new NativeBodies.Reader();
  /** For {@code anthropic.*} models: their chunks are Anthropic's stream events. */
  private final AnthropicStream anthropic;
  private final String requestId;
  private boolean ended;
  private int malformed;

  BedrockStreams(boolean chunks, boolean anthropicFamily, String requestId, int maxMessage) {
    this.frames = new EventStreamParser(this, maxMessage);
    this.chunks = chunks;
    this.anthropic = chunks && anthropicFamily ? new AnthropicStream() : null;
    this.requestId = requestId;
  }

  @Override
  public void onMessage(EventStreamParser.Message message) {
    try {
      onFrame(message);
    } catch (RuntimeException e) {
      malformed++; // a frame whose checksum held but whose headers or payload do not parse
    }
  }

  private void onFrame(EventStreamParser.Message message) {
    String kind = message.header(":message-type");
    if ("exception".equals(kind) || "error".equals(kind)) {
      String type = message.header(":exception-type");
      if (type == null) {
        type = message.header(":error-code");
      }
      reader.aggregate.fail(capitalised(type != null ? type : "stream_error"));
      ended = true;
      return;
    }
    String event = message.header(":event-type");
    try (JsonParser p = Json.parser(message.payload(), message.payloadOffset(), message.payloadLength())) {
      p.nextToken();
      if (!chunks) {
        reader.read(p);
        ended |= "messageStop".equals(event) || "metadata".equals(event);
      } else if ("chunk".equals(event)) {
        chunk(p);
      }
    } catch (java.io.IOException | RuntimeException e) {
      malformed++;
    }
  }

  /** {@code {"bytes": "..."}}: the model's own chunk, base64-encoded. */
  private void chunk(JsonParser p) throws java.io.IOException {
    Json.expectObject(p);
    while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (!field.equals("bytes")) {
        p.skipChildren();
        continue;
      }
      byte[] inner = Base64.getDecoder().decode(p.getText());
      try (JsonParser q = Json.parser(inner, 0, inner.length)) {
        q.nextToken();
        if (anthropic != null) {
          anthropic.onEvent(q);
          try (JsonParser metrics = Json.parser(inner, 0, inner.length)) { // the metrics Bedrock appended
            metrics.nextToken();
            reader.readMetrics(metrics);
          }
          ended |= anthropic.sawEnd();
        } else {
          reader.read(q);
          ended |= reader.stopped();
        }
      }
    }
  }

  /** {@code throttlingException} as the frame names it, {@code ThrottlingException} as the header does. */
  private static String capitalised(String type) {
    return type.isEmpty() ? type : Character.toUpperCase(type.charAt(0)) + type.substring(1);
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
    return ended;
  }

  @Override
  public void finish(AiCall call) {
    frames.finish();
    if (anthropic != null) {
      anthropic.finish(call);
      if (!call.has(io.tracelight.core.model.Keys.INPUT_TOKENS)) {
        reader.metrics().writeTo(call); // the invocation metrics stand in
      }
      call.mergeFrom(reader.aggregate); // an exception frame's failure
    } else {
      reader.finish(call);
    }
    if (requestId != null) {
      call.set(io.tracelight.core.model.Keys.RESPONSE_ID, requestId);
    }
    if (malformed > 0 || frames.corrupt()) {
      call.fail("malformed_response");
    }
    if (frames.skipped() > 0) {
      call.truncated();
    }
  }
}
