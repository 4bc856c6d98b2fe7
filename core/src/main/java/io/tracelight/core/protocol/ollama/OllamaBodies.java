package io.tracelight.core.protocol.ollama;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.AttributeKey;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Sha256;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;

/** Ollama's native request and response objects (chat, generate, embed), one JSON object at a time. */
final class OllamaBodies {
  private OllamaBodies() {}

  /**
   * A chat or generate request. A body without a model, or without anything to answer (empty
   * messages or prompt: Ollama then only loads or unloads the model), is no AI call.
   */
  static void request(byte[] body, int length, boolean chat, AiCall call) throws IOException {
    boolean hasInput = false;
    Sha256.Joined system = new Sha256.Joined();
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
          case "stream":
            call.set(Keys.STREAM, Json.bool(p));
            break;
          case "options":
            options(p, call);
            break;
          case "format": // "json", or a JSON schema
            if (p.currentToken() == JsonToken.VALUE_STRING) {
              call.facts().jsonRequested = "json".equals(p.getText());
            } else if (p.currentToken() == JsonToken.START_OBJECT) {
              call.facts().jsonRequested = true;
              call.facts().answerRequired = io.tracelight.core.protocol.ToolSchemas.required(p);
            } else {
              p.skipChildren();
            }
            break;
          case "tools":
            long tools = io.tracelight.core.protocol.ToolSchemas.read(p, call.facts());
            if (tools > 0) {
              call.set(Keys.REQUEST_TOOLS, tools);
            }
            break;
          case "messages":
            hasInput = chat && systemMessages(p, system, call);
            break;
          case "prompt":
            String prompt = Json.string(p);
            hasInput = !chat && prompt != null && !prompt.isEmpty();
            if (hasInput) {
              call.content().input("user", prompt);
            }
            break;
          case "system":
            String text = Json.string(p);
            if (!chat && text != null) {
              system.add(text);
              call.content().system(text);
            }
            break;
          default:
            p.skipChildren();
        }
      }
    }
    if (!call.has(Keys.REQUEST_MODEL) || !hasInput) {
      call.notAiCall();
      return;
    }
    call.setIfAbsent(Keys.STREAM, Boolean.TRUE); // Ollama streams unless told not to
    call.set(Keys.SYSTEM_HASH, system.hexOrNull());
  }

  /** True when there is at least one message; system messages' contents join the hash. */
  private static boolean systemMessages(JsonParser p, Sha256.Joined system, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return false;
    }
    boolean any = false;
    while (p.nextToken() == JsonToken.START_OBJECT) {
      any = true;
      String role = null;
      String content = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("role")) {
          role = Json.string(p);
        } else if (field.equals("content")) {
          content = Json.string(p);
        } else {
          p.skipChildren();
        }
      }
      if ("system".equals(role) && content != null) {
        system.add(content);
        call.content().system(content);
      } else if (content != null) {
        call.content().input(role, content);
      }
    }
    return any;
  }

  private static void options(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "temperature":
          call.set(Keys.TEMPERATURE, Json.number(p));
          break;
        case "top_p":
          call.set(Keys.TOP_P, Json.number(p));
          break;
        case "top_k":
          call.set(Keys.TOP_K, Json.number(p));
          break;
        case "num_predict":
          call.set(Keys.MAX_TOKENS, Json.integer(p));
          break;
        case "seed":
          call.set(Keys.SEED, Json.integer(p));
          break;
        case "presence_penalty":
          call.set(Keys.PRESENCE_PENALTY, Json.number(p));
          break;
        case "frequency_penalty":
          call.set(Keys.FREQUENCY_PENALTY, Json.number(p));
          break;
        default:
          p.skipChildren();
      }
    }
  }

  /** An embed request: how many inputs, which dimensions. */
  static void embedRequest(byte[] body, int length, AiCall call) throws IOException {
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
          case "input":
            call.set(Keys.EMBEDDING_INPUTS, p.currentToken() == JsonToken.START_ARRAY ? Json.countArray(p) : skipOne(p));
            break;
          case "prompt":
            call.set(Keys.EMBEDDING_INPUTS, skipOne(p));
            break;
          case "dimensions":
            call.set(Keys.EMBEDDING_DIMENSIONS, Json.integer(p));
            break;
          default:
            p.skipChildren();
        }
      }
    }
    if (!call.has(Keys.REQUEST_MODEL)) {
      call.notAiCall();
    }
  }

  private static long skipOne(JsonParser p) throws IOException {
    p.skipChildren();
    return 1;
  }

  /**
   * One response object (a whole answer or one NDJSON chunk): its text piece goes to {@code text},
   * the final chunk's counts and timings to {@code call}; returns true for the final chunk.
   */
  static boolean chunk(JsonParser p, AiCall call, Sha256 text, long[] toolCalls) throws IOException {
    Json.expectObject(p);
    boolean done = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "model":
          call.set(Keys.RESPONSE_MODEL, Json.string(p));
          break;
        case "message":
          message(p, call, text, toolCalls);
          break;
        case "response":
          String piece = Json.string(p);
          if (piece != null) {
            text.update(piece);
            call.content().output(piece);
          }
          break;
        case "done":
          done = Boolean.TRUE.equals(Json.bool(p));
          break;
        case "done_reason":
          String reason = Json.string(p);
          if (reason != null) {
            call.set(Keys.FINISH_REASONS, new ArrayList<>(Collections.singletonList(reason)));
          }
          break;
        case "prompt_eval_count":
          call.set(Keys.INPUT_TOKENS, Json.integer(p));
          break;
        case "eval_count":
          call.set(Keys.OUTPUT_TOKENS, Json.integer(p));
          break;
        case "total_duration":
          seconds(p, OllamaKeys.TOTAL_DURATION, call);
          break;
        case "load_duration":
          seconds(p, OllamaKeys.LOAD_DURATION, call);
          break;
        case "prompt_eval_duration":
          seconds(p, OllamaKeys.PROMPT_EVAL_DURATION, call);
          break;
        case "eval_duration":
          seconds(p, OllamaKeys.EVAL_DURATION, call);
          break;
        case "error":
          Json.string(p);
          call.fail("stream_error");
          break;
        default:
          p.skipChildren();
      }
    }
    return done;
  }

  private static void message(JsonParser p, AiCall call, Sha256 text, long[] toolCalls) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("content")) {
        String content = Json.string(p);
        if (content != null && !content.isEmpty()) {
          text.update(content);
          call.content().output(content);
        }
      } else if (field.equals("tool_calls")) {
        toolCalls[0] += toolCalls(p, call);
      } else {
        p.skipChildren();
      }
    }
  }

  /** {@code tool_calls[].function} ({@code name}, {@code arguments} object), for the tool checks; returns how many. */
  private static long toolCalls(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return 0;
    }
    long n = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      n++;
      if (p.currentToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      io.tracelight.core.model.OutputFacts.ToolCall tool = call.facts().nextToolCall();
      tool.keys = Collections.emptyList();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (!field.equals("function") || p.currentToken() != JsonToken.START_OBJECT) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String f = p.currentName();
          p.nextToken();
          if (f.equals("name")) {
            tool.name = Json.string(p);
          } else if (f.equals("arguments")) {
            java.util.List<String> keys = io.tracelight.core.protocol.ToolSchemas.keys(p);
            tool.keys = keys == null ? Collections.emptyList() : keys;
          } else {
            p.skipChildren();
          }
        }
      }
    }
    return n;
  }

  private static void seconds(JsonParser p, AttributeKey<Double> key, AiCall call) throws IOException {
    Long nanos = Json.integer(p);
    if (nanos != null) {
      call.set(key, nanos / 1e9);
    }
  }

  /** An embed response: the first vector's length and the prompt count. */
  static void embedResponse(byte[] body, int length, AiCall call) throws IOException {
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "model":
            call.set(Keys.RESPONSE_MODEL, Json.string(p));
            break;
          case "embeddings":
            if (p.currentToken() == JsonToken.START_ARRAY && p.nextToken() == JsonToken.START_ARRAY) {
              call.set(Keys.EMBEDDING_DIMENSIONS, Json.countArray(p));
              while (p.nextToken() != JsonToken.END_ARRAY) {
                p.skipChildren();
              }
            } else {
              p.skipChildren();
            }
            break;
          case "embedding":
            call.set(Keys.EMBEDDING_DIMENSIONS, Json.countArray(p));
            break;
          case "prompt_eval_count":
            call.set(Keys.INPUT_TOKENS, Json.integer(p));
            break;
          case "total_duration":
            seconds(p, OllamaKeys.TOTAL_DURATION, call);
            break;
          case "load_duration":
            seconds(p, OllamaKeys.LOAD_DURATION, call);
            break;
          default:
            p.skipChildren();
        }
      }
      Json.expectEnd(p);
    }
  }
}
