package io.tracelight.core.protocol.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Sha256;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads {@code GenerateContentResponse} objects, whole or one stream chunk after another: finish
 * reasons per candidate, the text of candidate 0 (thought parts excluded), function calls, safety
 * blocks and usage. A stream's chunks each carry their usage so far, so the last one wins.
 * One thread at a time.
 */
final class GeminiResponses {
  private static final List<String> SAFETY_FINISHES = List.of("SAFETY", "BLOCKLIST", "PROHIBITED_CONTENT", "SPII",
      "IMAGE_SAFETY", "IMAGE_PROHIBITED_CONTENT", "RECITATION");

  private final AiCall aggregate = new AiCall();
  private final Sha256 output = new Sha256();
  private final List<Long> finished = new ArrayList<>(1);
  private long functionCalls;

  /** One response object (or chunk), the parser at its start. */
  void read(JsonParser p) throws IOException {
    Json.expectObject(p);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "candidates":
          candidates(p);
          break;
        case "promptFeedback":
          promptFeedback(p);
          break;
        case "usageMetadata":
          usage(p, aggregate);
          break;
        case "modelVersion":
          String model = Json.string(p);
          if (model != null) {
            aggregate.set(Keys.RESPONSE_MODEL, model.startsWith("models/") ? model.substring(7) : model);
          }
          break;
        case "responseId":
          aggregate.setIfAbsent(Keys.RESPONSE_ID, Json.string(p));
          break;
        case "error":
          GeminiErrors.error(p, aggregate);
          break;
        default:
          p.skipChildren();
      }
    }
  }

  private void candidates(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    long position = 0;
    StringBuilder text = new StringBuilder();
    while (p.nextToken() == JsonToken.START_OBJECT) {
      long index = position++;
      String finish = null;
      text.setLength(0);
      boolean hasText = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("index")) {
          Long i = Json.integer(p);
          index = i == null ? index : i;
        } else if (field.equals("finishReason")) {
          finish = Json.scalarText(p);
        } else if (field.equals("content")) {
          hasText |= content(p, text, position == 1);
        } else if (field.equals("safetyRatings")) {
          safetyRatings(p, "", aggregate);
        } else if (field.equals("logprobsResult") && position == 1) {
          logprobs(p, aggregate);
        } else {
          p.skipChildren();
        }
      }
      if (index == 0 && hasText) { // the index may come after the content: decide once the candidate ends
        output.update(text.toString());
        aggregate.content().output(text.toString());
      }
      if (finish != null && !finished.contains(index)) {
        finished.add(index);
        aggregate.append(Keys.FINISH_REASONS, finish);
        if (SAFETY_FINISHES.contains(finish)) {
          aggregate.setIfAbsent(Keys.BLOCK_REASON, finish);
        }
      }
    }
  }

  /** A candidate's content: its text parts (not thoughts) appended to {@code text}; function calls counted. */
  private boolean content(JsonParser p, StringBuilder text, boolean first) throws IOException {
    boolean any = false;
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return false;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (!field.equals("parts") || p.currentToken() != JsonToken.START_ARRAY) {
        p.skipChildren();
        continue;
      }
      while (p.nextToken() == JsonToken.START_OBJECT) {
        String partText = null;
        boolean thought = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String part = p.currentName();
          p.nextToken();
          if (part.equals("text")) {
            partText = Json.string(p);
          } else if (part.equals("thought")) {
            thought = Boolean.TRUE.equals(Json.bool(p));
          } else if (part.equals("functionCall")) {
            functionCalls++;
            functionCall(p, first);
          } else {
            p.skipChildren();
          }
        }
        if (partText != null && !thought) {
          text.append(partText);
          any = true;
        }
      }
    }
    return any;
  }

  /** A function call part ({@code name}, {@code args} object) of the first candidate, for the tool checks. */
  private void functionCall(JsonParser p, boolean first) throws IOException {
    if (!first || p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    io.tracelight.core.model.OutputFacts.ToolCall call = aggregate.facts().nextToolCall();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("name")) {
        call.name = Json.string(p);
      } else if (field.equals("args")) {
        call.keys = io.tracelight.core.protocol.ToolSchemas.keys(p);
      } else {
        p.skipChildren();
      }
    }
    if (call.keys == null) {
      call.keys = java.util.Collections.emptyList(); // no args: an empty object
    }
  }

  /**
   * {@code safetyRatings}: each category rated {@code MEDIUM} or {@code HIGH}, or marked
   * {@code blocked}, to the safety flags, named without the {@code HARM_CATEGORY_} prefix.
   */
  static void safetyRatings(JsonParser p, String prefix, AiCall into) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.START_OBJECT) {
      String category = null;
      boolean flagged = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("category")) {
          category = Json.scalarText(p);
        } else if (field.equals("probability")) {
          String probability = Json.scalarText(p);
          flagged |= "MEDIUM".equals(probability) || "HIGH".equals(probability);
        } else if (field.equals("blocked")) {
          flagged |= Boolean.TRUE.equals(Json.bool(p));
        } else {
          p.skipChildren();
        }
      }
      if (flagged && category != null) {
        String name = category.startsWith("HARM_CATEGORY_") ? category.substring(14) : category;
        into.facts().safetyFlag(prefix + name.toLowerCase(java.util.Locale.ROOT));
      }
    }
  }

  /** {@code logprobsResult.chosenCandidates[].logProbability}: the chosen tokens' log probabilities. */
  private static void logprobs(JsonParser p, AiCall into) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("chosenCandidates")) {
        io.tracelight.core.protocol.Logprobs.each(p, "logProbability", into.facts());
      } else {
        p.skipChildren(); // topCandidates, logProbabilitySum
      }
    }
  }

  private void promptFeedback(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("blockReason")) {
        aggregate.set(Keys.BLOCK_REASON, Json.scalarText(p));
      } else if (field.equals("safetyRatings")) {
        safetyRatings(p, "prompt:", aggregate);
      } else {
        p.skipChildren();
      }
    }
  }

  /**
   * {@code usageMetadata}: the prompt count already includes cached content (and tool-use prompts
   * are input too); thoughts are counted apart from candidates, so the recorded output adds them.
   */
  static void usage(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    Long prompt = null;
    Long toolPrompt = null;
    Long candidates = null;
    Long thoughts = null;
    Long cached = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "promptTokenCount":
          prompt = Json.integer(p);
          break;
        case "toolUsePromptTokenCount":
          toolPrompt = Json.integer(p);
          break;
        case "candidatesTokenCount":
          candidates = Json.integer(p);
          break;
        case "thoughtsTokenCount":
          thoughts = Json.integer(p);
          break;
        case "cachedContentTokenCount":
          cached = Json.integer(p);
          break;
        default:
          p.skipChildren();
      }
    }
    if (prompt == null && candidates == null && thoughts == null) {
      return; // Vertex's non-final chunks carry only a traffic type
    }
    if (prompt != null || toolPrompt != null) {
      call.set(Keys.INPUT_TOKENS, zero(prompt) + zero(toolPrompt));
    }
    call.set(Keys.OUTPUT_TOKENS, zero(candidates) + zero(thoughts));
    call.set(Keys.REASONING_TOKENS, thoughts);
    call.set(Keys.CACHE_READ_TOKENS, cached);
  }

  private static long zero(Long v) {
    return v == null ? 0 : v;
  }

  /** True once a candidate finished or the prompt was blocked: the stream said it is done. */
  boolean sawEnd() {
    return !finished.isEmpty() || aggregate.has(Keys.BLOCK_REASON) || aggregate.error;
  }

  void finish(AiCall call) {
    if (output.used()) {
      aggregate.set(Keys.OUTPUT_HASH, output.hex());
    }
    if (functionCalls > 0) {
      aggregate.set(Keys.RESPONSE_TOOL_CALLS, functionCalls);
    }
    call.mergeFrom(aggregate);
  }
}
