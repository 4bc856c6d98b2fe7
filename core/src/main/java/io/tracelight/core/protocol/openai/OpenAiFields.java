package io.tracelight.core.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.protocol.Json;
import java.io.IOException;

/** Objects that whole and streamed responses share: {@code usage}, {@code error}, messages. */
final class OpenAiFields {
  private OpenAiFields() {}

  /**
   * The fields of a {@code chat.completion} or {@code chat.completion.chunk} object, the parser at
   * its start: the first id, the last model named, usage, an {@code error} object, and each choice
   * (its text from {@code contentObject}: {@code message} or {@code delta}) to {@code choices}.
   */
  static void completion(JsonParser p, AiCall into, String contentObject, ChoiceVisitor choices)
      throws IOException {
    Json.expectObject(p);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "id":
          String id = Json.string(p);
          if (into.responseId == null) {
            into.responseId = id;
          }
          break;
        case "model":
          String model = Json.string(p);
          if (model != null) {
            into.responseModel = model;
          }
          break;
        case "choices":
          choices(p, contentObject, choices);
          break;
        case "usage":
          usage(p, into);
          break;
        case "error":
          into.fail(errorType(p));
          break;
        default:
          p.skipChildren();
      }
    }
  }

  /** Receives each choice of a {@code choices} array. */
  interface ChoiceVisitor {
    void choice(long index, String finishReason, String content);
  }

  /**
   * Reads a {@code choices} array; each choice's text is the {@code content} of its
   * {@code contentObject} ({@code message} in a whole response, {@code delta} in a chunk).
   */
  static void choices(JsonParser p, String contentObject, ChoiceVisitor visitor) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.START_OBJECT) {
      long index = 0;
      String finish = null;
      String content = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("index")) {
          Long i = Json.integer(p);
          index = i == null ? 0 : i;
        } else if (field.equals("finish_reason")) {
          finish = Json.string(p);
        } else if (field.equals(contentObject)) {
          content = content(p);
        } else {
          p.skipChildren();
        }
      }
      visitor.choice(index, finish, content);
    }
  }

  /** The {@code content} string of a {@code message} or {@code delta} object, or null. */
  static String content(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    String content = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("content")) {
        content = Json.string(p);
      } else {
        p.skipChildren();
      }
    }
    return content;
  }

  static void usage(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren(); // "usage": null in every chunk but the last
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "prompt_tokens":
          call.inputTokens = Json.integer(p);
          break;
        case "completion_tokens":
          call.outputTokens = Json.integer(p);
          break;
        case "prompt_tokens_details":
          call.cacheReadInputTokens = detail(p, "cached_tokens", call.cacheReadInputTokens);
          break;
        case "completion_tokens_details":
          call.reasoningOutputTokens = detail(p, "reasoning_tokens", call.reasoningOutputTokens);
          break;
        default:
          p.skipChildren();
      }
    }
  }

  private static Long detail(JsonParser p, String name, Long previous) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return previous;
    }
    Long value = previous;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals(name)) {
        value = Json.integer(p);
      } else {
        p.skipChildren();
      }
    }
    return value;
  }

  /** The error's {@code type} (or {@code code}), falling back to a fixed name. */
  static String errorType(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return "api_error";
    }
    String type = null;
    String code = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("type")) {
        type = Json.string(p);
      } else if (field.equals("code") && p.currentToken() == JsonToken.VALUE_STRING) {
        code = p.getText();
      } else {
        p.skipChildren();
      }
    }
    return type != null ? type : code != null ? code : "api_error";
  }
}
