package io.tracelight.core.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import java.io.IOException;

/** Objects the OpenAI operations share: usage, errors, choices, sampling parameters. */
final class OpenAiFields {
  private OpenAiFields() {}

  /**
   * Sampling parameters several request bodies share; false when {@code field} is none of them
   * (the caller reads or skips it).
   */
  static boolean samplingParameter(String field, JsonParser p, AiCall call) throws IOException {
    switch (field) {
      case "model":
        call.set(Keys.REQUEST_MODEL, Json.string(p));
        return true;
      case "temperature":
        call.set(Keys.TEMPERATURE, Json.number(p));
        return true;
      case "top_p":
        call.set(Keys.TOP_P, Json.number(p));
        return true;
      case "frequency_penalty":
        call.set(Keys.FREQUENCY_PENALTY, Json.number(p));
        return true;
      case "presence_penalty":
        call.set(Keys.PRESENCE_PENALTY, Json.number(p));
        return true;
      case "seed":
        call.set(Keys.SEED, Json.integer(p));
        return true;
      case "n":
        Long n = Json.integer(p);
        if (n != null && n != 1) {
          call.set(Keys.CHOICE_COUNT, n);
        }
        return true;
      case "stream":
        call.set(Keys.STREAM, Json.bool(p));
        return true;
      case "service_tier":
        call.set(Keys.OPENAI_REQUEST_SERVICE_TIER, Json.string(p));
        return true;
      case "tools":
        long tools = io.tracelight.core.protocol.ToolSchemas.read(p, call.facts());
        if (tools > 0) {
          call.set(Keys.REQUEST_TOOLS, tools);
        }
        return true;
      case "response_format": // chat completions
        responseFormat(p, call);
        return true;
      default:
        return false;
    }
  }

  /**
   * A format object ({@code response_format} of chat, {@code text.format} of the Responses API):
   * {@code json_object} or {@code json_schema} asks for a JSON answer; the schema's top-level
   * {@code required} names are kept (chat nests the schema in {@code json_schema.schema}, the
   * Responses API puts it in {@code schema}).
   */
  static void responseFormat(JsonParser p, AiCall call) throws IOException {
    io.tracelight.core.protocol.ToolSchemas.answerFormat(p, call.facts());
  }

  /** {@code stream_options}: true when it asks for {@code include_usage}. */
  static boolean includesUsage(JsonParser p) throws IOException {
    return Boolean.TRUE.equals(Json.booleanMember(p, "include_usage"));
  }

  /** Receives each choice of a {@code choices} array. */
  interface ChoiceVisitor {
    /**
     * @param text the choice's text ({@code message.content}, {@code delta.content} or {@code text})
     * @param toolCalls tool calls the choice (or this delta) started
     */
    void choice(long index, String finishReason, String text, int toolCalls, boolean refusal);
  }

  /**
   * Reads a {@code choices} array; each choice's text is read from {@code contentObject}
   * ({@code message} in a whole chat response, {@code delta} in a chunk) or, when that is null,
   * from the choice's own {@code text} (legacy completions).
   */
  static void choices(JsonParser p, String contentObject, ChoiceVisitor visitor, AiCall into) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    Message message = new Message(into);
    while (p.nextToken() == JsonToken.START_OBJECT) {
      long index = 0;
      String finish = null;
      String text = null;
      message.clear();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("index")) {
          Long i = Json.integer(p);
          index = i == null ? 0 : i;
        } else if (field.equals("finish_reason")) {
          finish = Json.string(p);
        } else if (contentObject != null && field.equals(contentObject)) {
          message.read(p, index);
        } else if (field.equals("logprobs") && index == 0) {
          logprobs(p, into.facts());
        } else if (field.equals("content_filter_results")) {
          contentFilterResults(p, "", into);
        } else if (contentObject == null && field.equals("text")) {
          text = Json.string(p);
        } else {
          p.skipChildren();
        }
      }
      visitor.choice(index, finish, contentObject == null ? text : message.content, message.toolCalls,
          message.refusal);
    }
  }

  /**
   * A choice's {@code logprobs}: chat's {@code content[].logprob} or legacy completions'
   * {@code token_logprobs[]}, each to the running sum and minimum.
   */
  private static void logprobs(JsonParser p, io.tracelight.core.model.OutputFacts facts) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren(); // "logprobs": null when not asked for
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("content")) {
        io.tracelight.core.protocol.Logprobs.each(p, "logprob", facts);
      } else if (field.equals("token_logprobs") && p.currentToken() == JsonToken.START_ARRAY) {
        while (p.nextToken() != JsonToken.END_ARRAY) {
          Double v = Json.number(p);
          if (v != null) {
            facts.logprob(v);
          }
        }
      } else {
        p.skipChildren();
      }
    }
  }

  /**
   * Azure's {@code content_filter_results} (a choice's, or a prompt's with {@code prefix}
   * {@code "prompt:"}): each category the filter flagged, i.e. {@code filtered} or
   * {@code detected} true, or a {@code severity} of medium or high, to the safety flags.
   */
  static void contentFilterResults(JsonParser p, String prefix, AiCall into) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String category = p.currentName();
      p.nextToken();
      if (p.currentToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      boolean flagged = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        p.nextToken();
        if (f.equals("filtered") || f.equals("detected")) {
          flagged |= Boolean.TRUE.equals(Json.bool(p));
        } else if (f.equals("severity")) {
          String severity = Json.string(p);
          flagged |= "medium".equals(severity) || "high".equals(severity);
        } else {
          p.skipChildren();
        }
      }
      if (flagged) {
        into.facts().safetyFlag(prefix + category);
      }
    }
  }

  /** Azure's {@code prompt_filter_results} (or the older {@code prompt_annotations}): each prompt's filter results. */
  static void promptFilterResults(JsonParser p, AiCall into) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        p.nextToken();
        if (f.equals("content_filter_results") || f.equals("content_filter_result")) {
          contentFilterResults(p, "prompt:", into);
        } else {
          p.skipChildren();
        }
      }
    }
  }

  /** A chat {@code message} or {@code delta}: its text, tool calls started and refusal. */
  private static final class Message {
    private final AiCall into;
    String content;
    int toolCalls;
    boolean refusal;

    Message(AiCall into) {
      this.into = into;
    }

    void clear() {
      content = null;
      toolCalls = 0;
      refusal = false;
    }

    void read(JsonParser p, long choice) throws IOException {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("content")) {
          content = Json.string(p);
        } else if (field.equals("refusal")) {
          refusal |= Json.string(p) != null;
        } else if (field.equals("tool_calls")) {
          toolCalls += toolCalls(p, choice == 0 ? into.facts() : null);
        } else {
          p.skipChildren();
        }
      }
    }

    /**
     * Tool calls in a message, or in a delta the ones it starts (those carrying an {@code id});
     * with {@code facts}, each call's function name and arguments (a delta's piece appended to the
     * call its {@code index} names).
     */
    private static int toolCalls(JsonParser p, io.tracelight.core.model.OutputFacts facts) throws IOException {
      if (p.currentToken() != JsonToken.START_ARRAY) {
        p.skipChildren();
        return 0;
      }
      int started = 0;
      int position = 0;
      while (p.nextToken() == JsonToken.START_OBJECT) {
        boolean hasId = false;
        int index = position++;
        String name = null;
        String arguments = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          if (field.equals("id") && p.currentToken() == JsonToken.VALUE_STRING) {
            hasId = true;
          } else if (field.equals("index") && p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
            index = p.getIntValue();
          } else if (field.equals("function") && facts != null && p.currentToken() == JsonToken.START_OBJECT) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String f = p.currentName();
              p.nextToken();
              if (f.equals("name")) {
                name = Json.string(p);
              } else if (f.equals("arguments")) {
                arguments = Json.string(p);
              } else {
                p.skipChildren();
              }
            }
            continue;
          }
          p.skipChildren();
        }
        if (hasId) {
          started++;
        }
        if (facts != null && index >= 0 && index < 128 && (name != null || arguments != null)) {
          io.tracelight.core.model.OutputFacts.ToolCall call = facts.toolCall(index);
          if (name != null) {
            call.name = name;
          }
          call.appendText(arguments);
        }
      }
      return started;
    }
  }

  /**
   * A {@code usage} object of chat, legacy completions and embeddings ({@code prompt_tokens},
   * {@code completion_tokens}) or of the Responses API ({@code input_tokens}, {@code output_tokens});
   * both count cached and reasoning tokens inside the totals, as the semantic conventions want.
   */
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
        case "input_tokens":
          call.set(Keys.INPUT_TOKENS, Json.integer(p));
          break;
        case "completion_tokens":
        case "output_tokens":
          call.set(Keys.OUTPUT_TOKENS, Json.integer(p));
          break;
        case "prompt_tokens_details":
        case "input_tokens_details":
          call.set(Keys.CACHE_READ_TOKENS, Json.integerMember(p, "cached_tokens"));
          break;
        case "completion_tokens_details":
        case "output_tokens_details":
          call.set(Keys.REASONING_TOKENS, Json.integerMember(p, "reasoning_tokens"));
          break;
        default:
          p.skipChildren();
      }
    }
  }

  /**
   * An {@code error} object: its {@code type} (else its {@code code}) becomes {@code error.type},
   * a {@code code} beside a type becomes {@code ai.error.code}. Azure's content filter also sets the
   * block reason.
   */
  static void error(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      call.fail("api_error");
      return;
    }
    String type = null;
    String code = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("type")) {
        type = Json.string(p);
      } else if (field.equals("code")) {
        code = Json.scalarText(p);
      } else if (field.equals("innererror")) {
        innerError(p, call);
      } else {
        p.skipChildren();
      }
    }
    call.fail(type != null ? type : code != null ? code : "api_error");
    if (type != null && code != null && !code.equals(type)) {
      call.setIfAbsent(Keys.ERROR_CODE, code);
    }
    if ("content_filter".equals(code)) {
      call.setIfAbsent(Keys.BLOCK_REASON, "content_filter");
    }
  }

  /** An error's {@code innererror} (Azure): the prompt's filter results. */
  private static void innerError(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("content_filter_result")) {
        contentFilterResults(p, "prompt:", call);
      } else {
        p.skipChildren();
      }
    }
  }

  /** A whole error body: {@code {"error": {...}}}. */
  static void errorBody(byte[] body, int length, AiCall call) throws IOException {
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("error")) {
          error(p, call);
        } else {
          p.skipChildren();
        }
      }
    }
  }

  /** A finish reason that says the provider's filter stopped the answer. */
  static void noteFilter(String finishReason, AiCall call) {
    if ("content_filter".equals(finishReason)) {
      call.setIfAbsent(Keys.BLOCK_REASON, "content_filter");
    }
  }
}
