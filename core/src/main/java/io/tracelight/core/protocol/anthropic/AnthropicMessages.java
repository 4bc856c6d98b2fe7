package io.tracelight.core.protocol.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Sha256;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;

/**
 * The Messages API's bodies, wherever they travel: Anthropic's own endpoint, Vertex AI's
 * {@code rawPredict}, and Bedrock's InvokeModel for {@code anthropic.*} models.
 */
public final class AnthropicMessages {
  private AnthropicMessages() {}

  /** A request body: sampling parameters, tools, and the hash of {@code system} (string or text blocks). */
  public static void decodeRequest(byte[] body, int length, AiCall call) throws IOException {
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "model":
            call.set(Keys.REQUEST_MODEL, Json.string(p));
            break;
          case "max_tokens":
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
          case "stream":
            call.set(Keys.STREAM, Json.bool(p));
            break;
          case "tools":
            long tools = io.tracelight.core.protocol.ToolSchemas.read(p, call.facts());
            if (tools > 0) {
              call.set(Keys.REQUEST_TOOLS, tools);
            }
            break;
          case "system":
            call.set(Keys.SYSTEM_HASH, systemHash(p, call));
            break;
          case "messages":
            io.tracelight.core.protocol.TextParts.messages(p, "content", call.content());
            break;
          case "output_format": // structured outputs, beta form
            io.tracelight.core.protocol.ToolSchemas.answerFormat(p, call.facts());
            break;
          case "output_config": // structured outputs: {"format": {"type": "json_schema", "schema": ...}}
            outputConfig(p, call);
            break;
          default:
            p.skipChildren();
        }
      }
    } finally {
      call.setIfAbsent(Keys.STREAM, Boolean.FALSE);
    }
  }

  private static void outputConfig(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("format")) {
        io.tracelight.core.protocol.ToolSchemas.answerFormat(p, call.facts());
      } else {
        p.skipChildren();
      }
    }
  }

  /** A string, or text blocks joined by newlines (LangChain4j sends one block per system message). */
  private static String systemHash(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      call.content().system(p.getText());
      return Sha256.of(p.getText());
    }
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    Sha256.Joined joined = new Sha256.Joined();
    while (p.nextToken() == JsonToken.START_OBJECT) {
      String type = null;
      String text = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("type")) {
          type = Json.string(p);
        } else if (field.equals("text")) {
          text = Json.string(p);
        } else {
          p.skipChildren();
        }
      }
      if (text != null && (type == null || "text".equals(type))) {
        joined.add(text);
        call.content().system(text);
      }
    }
    return joined.hexOrNull();
  }

  /** A whole {@code message} object. */
  public static void decodeResponse(byte[] body, int length, AiCall call) throws IOException {
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      Usage usage = new Usage();
      StringBuilder text = message(p, call, usage);
      Json.expectEnd(p);
      usage.writeTo(call);
      if (text != null) {
        call.set(Keys.OUTPUT_HASH, Sha256.of(text.toString()));
        call.content().output(text.toString());
      }
    }
  }

  /**
   * The fields of a {@code message} object, the parser at its start; returns the text of its
   * text blocks, concatenated (thinking excluded), or null when it had none.
   */
  static StringBuilder message(JsonParser p, AiCall call, Usage usage) throws IOException {
    Json.expectObject(p);
    StringBuilder text = null;
    boolean intervened = false;
    int guardrail = io.tracelight.core.protocol.bedrock.GuardrailTrace.NONE;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "id":
          call.setIfAbsent(Keys.RESPONSE_ID, Json.string(p));
          break;
        case "model":
          String model = Json.string(p);
          if (model != null) {
            call.set(Keys.RESPONSE_MODEL, model);
          }
          break;
        case "content":
          text = content(p, call);
          break;
        case "stop_reason":
          stopReason(Json.string(p), call);
          break;
        case "usage":
          usage.read(p);
          break;
        case "amazon-bedrock-guardrailAction": // Bedrock adds these to an Anthropic body
          intervened = "INTERVENED".equals(Json.string(p));
          break;
        case "amazon-bedrock-trace":
          guardrail = bedrockTrace(p, call);
          break;
        default:
          p.skipChildren();
      }
    }
    if (intervened && guardrail != io.tracelight.core.protocol.bedrock.GuardrailTrace.MASKED) {
      call.setIfAbsent(Keys.BLOCK_REASON, "guardrail_intervened"); // masking alone let the answer through
    }
    return text;
  }

  private static int bedrockTrace(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return io.tracelight.core.protocol.bedrock.GuardrailTrace.NONE;
    }
    int acted = io.tracelight.core.protocol.bedrock.GuardrailTrace.NONE;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("guardrail")) {
        acted = io.tracelight.core.protocol.bedrock.GuardrailTrace.read(p, call.facts());
      } else {
        p.skipChildren();
      }
    }
    return acted;
  }

  private static StringBuilder content(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    StringBuilder text = null;
    long toolCalls = 0;
    while (p.nextToken() == JsonToken.START_OBJECT) {
      String type = null;
      String blockText = null;
      String name = null;
      java.util.List<String> inputKeys = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("type")) {
          type = Json.string(p);
        } else if (field.equals("text")) {
          blockText = Json.string(p);
        } else if (field.equals("name")) {
          name = Json.string(p);
        } else if (field.equals("input")) {
          inputKeys = io.tracelight.core.protocol.ToolSchemas.keys(p);
        } else {
          p.skipChildren();
        }
      }
      if ("text".equals(type) && blockText != null) {
        text = text == null ? new StringBuilder(blockText) : text.append(blockText);
      } else if ("tool_use".equals(type)) {
        toolCalls++;
        io.tracelight.core.model.OutputFacts.ToolCall tool = call.facts().nextToolCall();
        tool.name = name;
        tool.keys = inputKeys;
      }
    }
    if (toolCalls > 0) {
      call.set(Keys.RESPONSE_TOOL_CALLS, toolCalls);
    }
    return text;
  }

  /** The stop reason as sent; {@code refusal} also marks the call refused. */
  static void stopReason(String reason, AiCall call) {
    if (reason == null) {
      return;
    }
    call.set(Keys.FINISH_REASONS, new ArrayList<>(Collections.singletonList(reason)));
    if (reason.equals("refusal")) {
      call.set(Keys.REFUSAL, Boolean.TRUE);
      call.set(Keys.REFUSAL_RULE, "stop_reason:refusal");
    }
  }

  /** An error body {@code {"type":"error","error":{"type":...}}}: the inner type is {@code error.type}. */
  public static void decodeError(byte[] body, int length, AiCall call) throws IOException {
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

  /** The inner {@code error} object of an error body or an {@code error} event. */
  static void error(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    String type = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("type")) {
        type = Json.string(p);
      } else {
        p.skipChildren();
      }
    }
    call.fail(type != null ? type : "api_error");
  }

  /**
   * A message's {@code usage}: Anthropic's {@code input_tokens} excludes cache reads and writes,
   * so the recorded input is their sum (the semantic conventions' inclusive count); output
   * includes thinking. In a stream, {@code message_delta} repeats the counts cumulatively, so a
   * later value replaces an earlier one.
   */
  static final class Usage {
    private Long input;
    private Long cacheRead;
    private Long cacheCreation;
    private Long output;
    private Long thinking;

    void read(JsonParser p) throws IOException {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "input_tokens":
            input = orElse(Json.integer(p), input);
            break;
          case "cache_read_input_tokens":
            cacheRead = orElse(Json.integer(p), cacheRead);
            break;
          case "cache_creation_input_tokens":
            cacheCreation = orElse(Json.integer(p), cacheCreation);
            break;
          case "output_tokens":
            output = orElse(Json.integer(p), output);
            break;
          case "output_tokens_details":
            thinking = orElse(Json.integerMember(p, "thinking_tokens"), thinking);
            break;
          default:
            p.skipChildren();
        }
      }
    }

    private static Long orElse(Long value, Long previous) {
      return value != null ? value : previous;
    }

    void writeTo(AiCall call) {
      if (input != null || cacheRead != null || cacheCreation != null) {
        call.set(Keys.INPUT_TOKENS, zero(input) + zero(cacheRead) + zero(cacheCreation));
      }
      call.set(Keys.CACHE_READ_TOKENS, cacheRead);
      call.set(Keys.CACHE_CREATION_TOKENS, cacheCreation);
      call.set(Keys.OUTPUT_TOKENS, output);
      call.set(Keys.REASONING_TOKENS, thinking);
    }

    private static long zero(Long v) {
      return v == null ? 0 : v;
    }
  }
}
