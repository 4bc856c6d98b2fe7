package io.tracelight.core.protocol.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Sha256;
import java.io.IOException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The bodies Bedrock carries besides Anthropic's: Converse and ConverseStream, and the native
 * InvokeModel bodies of Amazon Nova and Titan, Meta Llama, Mistral and Cohere (text and
 * embeddings). Each family names the same things differently; one table of JSON paths
 * ({@link JsonWalk}) reads them all, requests and responses, whole or one stream chunk at a time.
 */
final class NativeBodies {
  private static final Set<String> TEXT = set("generation", "results.outputText", "outputs.text",
      "output.message.content.text", "text", "delta.text", "contentBlockDelta.delta.text", "choices.message.content");
  private static final Set<String> STOP = set("stopReason", "stop_reason", "results.completionReason",
      "outputs.stop_reason", "finish_reason", "messageStop.stopReason", "choices.finish_reason");
  private static final Set<String> INPUT = set("usage.inputTokens", "prompt_token_count", "inputTextTokenCount",
      "meta.billed_units.input_tokens", "metadata.usage.inputTokens");
  private static final Set<String> OUTPUT = set("usage.outputTokens", "generation_token_count", "results.tokenCount",
      "meta.billed_units.output_tokens", "metadata.usage.outputTokens");
  private static final Set<String> CACHE_READ = set("usage.cacheReadInputTokens", "usage.cacheReadInputTokenCount",
      "metadata.usage.cacheReadInputTokens");
  private static final Set<String> CACHE_WRITE = set("usage.cacheWriteInputTokens", "usage.cacheWriteInputTokenCount",
      "metadata.usage.cacheWriteInputTokens");
  private static final Set<String> TOOL_USE = set("output.message.content.toolUse", "start.toolUse",
      "contentBlockStart.start.toolUse");
  private static final String METRICS = "amazon-bedrock-invocationMetrics";
  private static final Set<String> TOOL_INPUT = set("delta.toolUse.input", "contentBlockDelta.delta.toolUse.input");
  private static final Set<String> GUARDRAIL = set("trace.guardrail", "amazon-bedrock-trace.guardrail",
      "metadata.trace.guardrail");
  private static final List<String> BLOCKS = Arrays.asList("guardrail_intervened", "content_filtered",
      "CONTENT_FILTERED", "ERROR_TOXIC");

  private static final Set<String> TEMPERATURE = set("temperature", "textGenerationConfig.temperature",
      "inferenceConfig.temperature");
  private static final Set<String> TOP_P = set("top_p", "p", "textGenerationConfig.topP", "inferenceConfig.topP");
  private static final Set<String> TOP_K = set("top_k", "k", "inferenceConfig.topK", "additionalModelRequestFields.top_k");
  private static final Set<String> MAX_TOKENS = set("max_tokens", "max_gen_len", "textGenerationConfig.maxTokenCount",
      "inferenceConfig.maxTokens", "inferenceConfig.max_new_tokens");
  private static final Set<String> SYSTEM = set("system.text", "preamble");
  private static final Set<String> TOOLS = set("toolConfig.tools", "tools");

  private NativeBodies() {}

  private static Set<String> set(String... paths) {
    return new HashSet<>(Arrays.asList(paths));
  }

  /** A request body: sampling parameters, the system prompt, tools, embedding inputs. */
  static void request(byte[] body, int length, boolean embeds, AiCall call) throws IOException {
    Sha256.Joined system = new Sha256.Joined();
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      Json.expectObject(p);
      JsonWalk.walk(p, (path, q) -> {
        JsonToken t = q.currentToken();
        if (TEMPERATURE.contains(path)) {
          call.set(Keys.TEMPERATURE, Json.number(q));
        } else if (TOP_P.contains(path)) {
          call.set(Keys.TOP_P, Json.number(q));
        } else if (TOP_K.contains(path)) {
          call.set(Keys.TOP_K, Json.number(q));
        } else if (MAX_TOKENS.contains(path)) {
          call.set(Keys.MAX_TOKENS, Json.integer(q));
        } else if (SYSTEM.contains(path) && t == JsonToken.VALUE_STRING) {
          system.add(q.getText());
          call.content().system(q.getText());
        } else if (TOOLS.contains(path) && t == JsonToken.START_ARRAY) {
          long tools = io.tracelight.core.protocol.ToolSchemas.read(q, call.facts());
          if (tools > 0) {
            call.set(Keys.REQUEST_TOOLS, tools);
          }
          return true;
        } else if (embeds && path.equals("texts") && t == JsonToken.START_ARRAY) {
          call.set(Keys.EMBEDDING_INPUTS, Json.countArray(q));
          return true;
        } else if (embeds && path.equals("inputText")) {
          call.set(Keys.EMBEDDING_INPUTS, 1L);
        } else if (path.equals("dimensions")) {
          call.set(Keys.EMBEDDING_DIMENSIONS, Json.integer(q));
        } else if (t == JsonToken.START_ARRAY && path.equals("messages")) {
          io.tracelight.core.protocol.TextParts.messages(q, "content", call.content());
          return true;
        } else if (t == JsonToken.START_ARRAY && path.equals("chat_history")) {
          q.skipChildren();
          return true;
        } else if (!embeds && t == JsonToken.VALUE_STRING
            && (path.equals("prompt") || path.equals("inputText") || path.equals("message"))) {
          call.content().input("user", q.getText());
        }
        return false;
      });
    }
    call.set(Keys.SYSTEM_HASH, system.hexOrNull());
  }

  /**
   * Reads responses and stream chunks of the native families into one aggregate: text pieces are
   * hashed in order, the last counts win, the invocation metrics Bedrock appends to a stream's last
   * chunk stand in for counts the body lacks. One thread at a time.
   */
  static final class Reader {
    final AiCall aggregate = new AiCall();
    final Usage usage = new Usage();
    private final Usage metrics = new Usage();
    private final Sha256 text = new Sha256();
    private long toolCalls;
    private long dimensions = -1;
    private boolean stopped;
    /** The tool call a stream's {@code toolUse.input} pieces go to: the last one started. */
    private io.tracelight.core.model.OutputFacts.ToolCall tool;
    private boolean intervened;
    private int guardrail = GuardrailTrace.NONE;

    /**
     * A {@code toolUse} object: its name, and its {@code input}'s keys in a whole response; a
     * stream's start has no input, its pieces follow as text.
     */
    private void toolUse(JsonParser p, boolean whole) throws IOException {
      tool = aggregate.facts().nextToolCall();
      if (whole) {
        tool.keys = java.util.Collections.emptyList();
      } else {
        tool.appendText("");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("name")) {
          tool.name = Json.string(p);
        } else if (field.equals("input") && whole) {
          java.util.List<String> keys = io.tracelight.core.protocol.ToolSchemas.keys(p);
          tool.keys = keys == null ? java.util.Collections.emptyList() : keys;
        } else {
          p.skipChildren();
        }
      }
    }

    /** One whole body or chunk payload, the parser at its start. */
    void read(JsonParser p) throws IOException {
      Json.expectObject(p);
      JsonWalk.walk(p, this::visit);
    }

    private boolean visit(String path, JsonParser p) throws IOException {
      JsonToken t = p.currentToken();
      if (TEXT.contains(path) && t == JsonToken.VALUE_STRING) {
        text.update(p.getText());
        aggregate.content().output(p.getText());
      } else if (STOP.contains(path) && t == JsonToken.VALUE_STRING) {
        String reason = p.getText();
        aggregate.append(Keys.FINISH_REASONS, reason);
        if (BLOCKS.contains(reason)) {
          aggregate.setIfAbsent(Keys.BLOCK_REASON, reason);
        }
        stopped = true;
      } else if (INPUT.contains(path)) {
        usage.input = or(Json.integer(p), usage.input);
      } else if (OUTPUT.contains(path)) {
        usage.output = or(Json.integer(p), usage.output);
      } else if (CACHE_READ.contains(path)) {
        usage.cacheRead = or(Json.integer(p), usage.cacheRead);
      } else if (CACHE_WRITE.contains(path)) {
        usage.cacheWrite = or(Json.integer(p), usage.cacheWrite);
      } else if (TOOL_USE.contains(path) && t == JsonToken.START_OBJECT) {
        toolCalls++;
        toolUse(p, path.startsWith("output."));
        return true;
      } else if (TOOL_INPUT.contains(path) && t == JsonToken.VALUE_STRING && tool != null) {
        tool.appendText(p.getText());
      } else if (GUARDRAIL.contains(path) && t == JsonToken.START_OBJECT) {
        guardrail = Math.max(guardrail, GuardrailTrace.read(p, aggregate.facts()));
        return true;
      } else if (path.equals("amazon-bedrock-guardrailAction")) {
        intervened |= "INTERVENED".equals(Json.string(p));
      } else if (path.startsWith(METRICS)) {
        metric(path.substring(METRICS.length()), p);
        stopped = true;
      } else if (t == JsonToken.START_ARRAY && isVector(path)) {
        vector(p);
        return true;
      } else if (t == JsonToken.START_ARRAY && (path.equals("chat_history") || path.equals("texts"))) {
        p.skipChildren(); // Cohere echoes the conversation and the inputs back
        return true;
      }
      return false;
    }

    private static boolean isVector(String path) {
      return path.equals("embedding") || path.equals("embeddings") || path.equals("embeddings.float")
          || path.equals("embeddingsByType.float");
    }

    /** An embedding, or a list of them: the first vector's length. */
    private void vector(JsonParser p) throws IOException {
      JsonToken first = p.nextToken();
      if (first == JsonToken.END_ARRAY) {
        return;
      }
      if (first == JsonToken.START_ARRAY) {
        long n = Json.countArray(p);
        if (dimensions < 0) {
          dimensions = n;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
          p.skipChildren();
        }
        return;
      }
      long n = 1;
      while (p.nextToken() != JsonToken.END_ARRAY) {
        n++;
      }
      if (dimensions < 0) {
        dimensions = n;
      }
    }

    private void metric(String field, JsonParser p) throws IOException {
      switch (field) {
        case ".inputTokenCount":
          metrics.input = Json.integer(p);
          break;
        case ".outputTokenCount":
          metrics.output = Json.integer(p);
          break;
        case ".cacheReadInputTokenCount":
          metrics.cacheRead = Json.integer(p);
          break;
        case ".cacheWriteInputTokenCount":
          metrics.cacheWrite = Json.integer(p);
          break;
        default:
      }
    }

    private static Long or(Long value, Long previous) {
      return value != null ? value : previous; // stream chunks send null where nothing changed
    }

    /** True once a stop reason or the closing invocation metrics arrived. */
    boolean stopped() {
      return stopped;
    }

    void finish(AiCall call) {
      usage.input = or(usage.input, metrics.input);
      usage.output = or(usage.output, metrics.output);
      usage.cacheRead = or(usage.cacheRead, metrics.cacheRead);
      usage.cacheWrite = or(usage.cacheWrite, metrics.cacheWrite);
      usage.writeTo(aggregate);
      if (text.used()) {
        aggregate.set(Keys.OUTPUT_HASH, text.hex());
      }
      if (toolCalls > 0) {
        aggregate.set(Keys.RESPONSE_TOOL_CALLS, toolCalls);
      }
      if (dimensions >= 0) {
        aggregate.set(Keys.EMBEDDING_DIMENSIONS, dimensions);
      }
      if (intervened && guardrail != GuardrailTrace.MASKED) {
        aggregate.setIfAbsent(Keys.BLOCK_REASON, "guardrail_intervened"); // masking alone let the answer through
      }
      call.mergeFrom(aggregate);
    }

    /** Reads only the invocation metrics Bedrock appends to a chunk (for Anthropic's, read elsewhere). */
    void readMetrics(JsonParser p) throws IOException {
      Json.expectObject(p);
      JsonWalk.walk(p, (path, q) -> {
        if (path.startsWith(METRICS)) {
          metric(path.substring(METRICS.length()), q);
          return false;
        }
        if (!path.equals(METRICS)) {
          q.skipChildren();
          return true;
        }
        return false;
      });
    }

    /** The invocation metrics seen, for a stream whose model-native usage may be missing. */
    Usage metrics() {
      return metrics;
    }
  }
}
