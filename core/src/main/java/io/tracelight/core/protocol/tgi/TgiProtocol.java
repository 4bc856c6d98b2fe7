package io.tracelight.core.protocol.tgi;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.google.auto.service.AutoService;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Protocol;
import io.tracelight.core.protocol.RequestView;
import io.tracelight.core.protocol.ResponseView;
import io.tracelight.core.protocol.Sha256;
import io.tracelight.core.protocol.StreamDecoder;
import io.tracelight.core.protocol.framing.SseParser;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Hugging Face Text Generation Inference's native API: {@code POST /generate} (one JSON answer) and
 * {@code /generate_stream} (server-sent events, one per token, the last with the whole text and the
 * details). Output tokens come from {@code details.generated_tokens}; input tokens from a stream's
 * {@code details.input_length} (newer servers) or, when the request asked for
 * {@code decoder_input_details}, the prefill tokens. {@code /generate} is a
 * common word: a body without a string {@code inputs} is not recorded. TGI's OpenAI-compatible
 * {@code /v1/chat/completions} is the OpenAI protocol's.
 */
@AutoService(Protocol.class)
public final class TgiProtocol implements Protocol {
  private static final String GENERATE = "/generate";
  private static final String GENERATE_STREAM = "/generate_stream";

  @Override
  public String name() {
    return "tgi";
  }

  @Override
  public String defaultProvider() {
    return "tgi";
  }

  @Override
  public boolean matches(RequestView request) {
    String path = request.path();
    return path.endsWith(GENERATE_STREAM) || path.endsWith(GENERATE) && !path.endsWith("/api/generate");
  }

  @Override
  public void decodeRequest(RequestView request, byte[] body, int length, boolean complete, AiCall call)
      throws IOException {
    call.set(Keys.OPERATION, "text_completion");
    boolean stream = request.path().endsWith(GENERATE_STREAM);
    call.set(Keys.STREAM, stream);
    if (body == null) {
      return;
    }
    boolean inputs = false;
    try (JsonParser p = Json.parser(body, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        call.notAiCall();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("inputs")) {
          inputs = p.currentToken() == JsonToken.VALUE_STRING;
          if (inputs) {
            call.content().input("user", p.getText());
          }
          p.skipChildren();
        } else if (field.equals("parameters")) {
          parameters(p, call);
        } else {
          p.skipChildren();
        }
      }
    }
    if (!inputs && complete) {
      call.notAiCall(); // an application's own /generate
    }
  }

  private static void parameters(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "max_new_tokens":
          call.set(Keys.MAX_TOKENS, Json.integer(p));
          break;
        case "temperature":
          call.set(Keys.TEMPERATURE, Json.number(p));
          break;
        case "top_p":
          call.set(Keys.TOP_P, Json.number(p));
          break;
        case "top_k":
          call.set(Keys.TOP_K, Json.number(p));
          break;
        case "seed":
          call.set(Keys.SEED, Json.integer(p));
          break;
        case "best_of":
          Long n = Json.integer(p);
          if (n != null && n > 1) {
            call.set(Keys.CHOICE_COUNT, n);
          }
          break;
        default:
          p.skipChildren();
      }
    }
  }

  @Override
  public StreamDecoder streamDecoder(RequestView request, ResponseView response, int maxEventBytes) {
    String type = response.contentType();
    return type != null && type.contains("event-stream") ? new Stream(maxEventBytes) : null;
  }

  @Override
  public void decodeResponse(RequestView request, ResponseView response, byte[] body, int length, AiCall call)
      throws IOException {
    try (JsonParser p = Json.parser(body, 0, length)) {
      JsonToken first = p.nextToken();
      if (first == JsonToken.START_ARRAY) { // the compatibility route's list of one
        if (p.nextToken() == JsonToken.START_OBJECT) {
          answer(p, call, null);
          while (p.nextToken() != JsonToken.END_ARRAY) {
            p.skipChildren();
          }
        }
      } else {
        answer(p, call, null);
      }
      Json.expectEnd(p);
    }
  }

  /**
   * One answer object (or a stream event): the text, hashed, and the details. With {@code tokens},
   * a stream's token text is hashed as it comes, for a stream whose last event never came.
   *
   * @return true when the object ended the stream (it carried the whole text or the details)
   */
  static boolean answer(JsonParser p, AiCall call, Sha256 tokens) throws IOException {
    Json.expectObject(p);
    boolean last = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "generated_text":
          String text = Json.string(p);
          if (text != null) {
            call.set(Keys.OUTPUT_HASH, Sha256.of(text));
            call.content().output(text);
            last = true;
          }
          break;
        case "details":
          if (p.currentToken() == JsonToken.START_OBJECT) {
            details(p, call);
            last = true;
          } else {
            p.skipChildren();
          }
          break;
        case "token":
          if (tokens != null && p.currentToken() == JsonToken.START_OBJECT) {
            token(p, tokens);
          } else {
            p.skipChildren();
          }
          break;
        case "error":
          call.fail("error");
          p.skipChildren();
          last = true;
          break;
        case "error_type":
          String type = Json.string(p);
          if (type != null) {
            call.set(Keys.ERROR_TYPE, type);
            call.fail(type);
          }
          last = true;
          break;
        default:
          p.skipChildren();
      }
    }
    return last;
  }

  /** A streamed token: its text, unless it is a special token (end of sequence). */
  private static void token(JsonParser p, Sha256 tokens) throws IOException {
    String text = null;
    boolean special = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("text")) {
        text = Json.string(p);
      } else if (field.equals("special")) {
        special = Boolean.TRUE.equals(Json.bool(p));
      } else {
        p.skipChildren();
      }
    }
    if (text != null && !special) {
      tokens.update(text);
    }
  }

  private static void details(JsonParser p, AiCall call) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "finish_reason":
          String reason = Json.string(p);
          if (reason != null) {
            call.append(Keys.FINISH_REASONS, reason);
          }
          break;
        case "generated_tokens":
          call.set(Keys.OUTPUT_TOKENS, Json.integer(p));
          break;
        case "input_length": // newer servers, in a stream's last event
          call.setIfAbsent(Keys.INPUT_TOKENS, Json.integer(p));
          break;
        case "prefill":
          long prefill = Json.countArray(p);
          if (prefill > 0) {
            call.set(Keys.INPUT_TOKENS, prefill);
          }
          break;
        default:
          p.skipChildren();
      }
    }
  }

  /** {@code {"error": "...", "error_type": "validation"}}: the type. */
  @Override
  public void decodeError(RequestView request, ResponseView response, byte[] body, int length, AiCall call)
      throws IOException {
    String type = Json.errorMember(body, length, "error_type");
    if (type != null) {
      call.fail(type);
    }
  }

  /** The token events of {@code /generate_stream}. */
  private static final class Stream implements StreamDecoder {
    private final SseParser sse;
    private final AiCall aggregate = new AiCall();
    private final Sha256 tokens = new Sha256();
    private boolean done;
    private int malformed;

    Stream(int maxEvent) {
      this.sse = new SseParser(this::onEvent, maxEvent);
    }

    private void onEvent(String event, byte[] data, int length) {
      try (JsonParser p = Json.parser(data, 0, length)) {
        p.nextToken();
        done |= answer(p, aggregate, tokens);
      } catch (IOException | RuntimeException e) {
        malformed++;
      }
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
      return done;
    }

    @Override
    public void finish(AiCall call) {
      sse.finish();
      if (!aggregate.has(Keys.OUTPUT_HASH) && tokens.used()) {
        aggregate.set(Keys.OUTPUT_HASH, tokens.hex());
      }
      call.mergeFrom(aggregate);
      if (malformed > 0) {
        call.fail("malformed_response");
      }
      if (sse.skipped() > 0) {
        call.truncated();
      }
    }
  }
}
