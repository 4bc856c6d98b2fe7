package io.tracelight.core.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import java.io.IOException;

/**
 * Legacy Completions ({@code POST .../completions}, {@code text_completion}): a prompt instead of
 * messages (so no system prompt), choices with {@code text}, the same usage and SSE stream shape.
 */
final class Completions {
  private Completions() {}

  static void decodeRequest(byte[] body, int length, boolean complete, AiCall call) throws IOException {
    String prompt = null;
    boolean includeUsage = false;
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (OpenAiFields.samplingParameter(field, p, call)) {
          continue;
        }
        if (field.equals("max_tokens")) {
          call.set(Keys.MAX_TOKENS, Json.integer(p));
        } else if (field.equals("prompt")) {
          prompt = Json.string(p);
          call.content().input("user", prompt);
        } else if (field.equals("stream_options")) {
          includeUsage = OpenAiFields.includesUsage(p);
        } else {
          p.skipChildren();
        }
      }
    } finally {
      call.setIfAbsent(Keys.STREAM, Boolean.FALSE);
    }
    if (complete && prompt != null && Boolean.TRUE.equals(call.get(Keys.STREAM)) && !includeUsage) {
      com.knuddels.jtokkit.api.Encoding encoding =
          io.tracelight.core.protocol.TokenEstimator.forModel(call.get(Keys.REQUEST_MODEL));
      if (encoding != null) {
        call.estimatedInputTokens = io.tracelight.core.protocol.TokenEstimator.count(encoding, prompt);
      }
    }
  }

  static void decodeResponse(byte[] body, int length, AiCall call) throws IOException {
    ChatCompletions.Choices first = new ChatCompletions.Choices(call);
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      ChatCompletions.completionObject(p, call, null, first);
      Json.expectEnd(p);
    }
    first.finish();
  }

  /** The SSE stream: chunks whose choices carry {@code text}, then {@code [DONE]}. */
  static final class Stream extends ChatCompletions.Stream {
    Stream(int maxEvent) {
      super(maxEvent, null);
    }
  }
}
