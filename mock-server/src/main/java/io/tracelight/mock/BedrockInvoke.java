package io.tracelight.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Bedrock's InvokeModel and InvokeModelWithResponseStream: the body is the model family's native
 * JSON, and a stream is {@code chunk} frames whose payload is {@code {"bytes": base64(native chunk)}},
 * the last chunk carrying {@code amazon-bedrock-invocationMetrics}. Whole answers carry the token
 * counts in {@code X-Amzn-Bedrock-*} headers too. Tool calls and refusals are given for the Anthropic
 * and Nova families; the others answer in text.
 */
final class BedrockInvoke {
  /** A model family, by its id's vendor part (after any region prefix), or else by its body. */
  enum Family {
    ANTHROPIC("chat"), NOVA("chat"), TITAN_TEXT("text_completion"), LLAMA("text_completion"),
    MISTRAL("text_completion"), COHERE_CHAT("chat"), TITAN_EMBED("embeddings"), COHERE_EMBED("embeddings");

    final String operation;

    Family(String operation) {
      this.operation = operation;
    }

    boolean embeds() {
      return this == TITAN_EMBED || this == COHERE_EMBED;
    }
  }

  private static final String[] REGIONS = {"us", "eu", "apac", "us-gov", "global", "jp", "au", "ca"};

  /** One native chunk of a stream. */
  private static final class Chunk {
    final ObjectNode json;
    final Script.Role role;

    Chunk(ObjectNode json, Script.Role role) {
      this.json = json;
      this.role = role;
    }
  }

  private final BedrockHandler handler;

  BedrockInvoke(BedrockHandler handler) {
    this.handler = handler;
  }

  static Family family(String modelId, JsonNode body) {
    String base = modelId.substring(modelId.lastIndexOf('/') + 1);
    for (String region : REGIONS) {
      if (base.startsWith(region + ".")) {
        base = base.substring(region.length() + 1);
        break;
      }
    }
    if (base.startsWith("anthropic.")) {
      return Family.ANTHROPIC;
    } else if (base.startsWith("amazon.nova")) {
      return Family.NOVA;
    } else if (base.startsWith("amazon.titan-embed")) {
      return Family.TITAN_EMBED;
    } else if (base.startsWith("amazon.titan")) {
      return Family.TITAN_TEXT;
    } else if (base.startsWith("meta.llama")) {
      return Family.LLAMA;
    } else if (base.startsWith("mistral.")) {
      return Family.MISTRAL;
    } else if (base.startsWith("cohere.embed")) {
      return Family.COHERE_EMBED;
    } else if (base.startsWith("cohere.command")) {
      return Family.COHERE_CHAT;
    }
    // no vendor in the id (a bare mock name, an application profile ARN): go by the body's shape
    if (body.has("anthropic_version")) {
      return Family.ANTHROPIC;
    } else if (body.has("messages")) {
      return Family.NOVA;
    } else if (body.has("texts")) {
      return Family.COHERE_EMBED;
    } else if (body.has("inputText")) {
      return body.has("textGenerationConfig") ? Family.TITAN_TEXT : Family.TITAN_EMBED;
    } else if (body.has("message")) {
      return Family.COHERE_CHAT;
    } else if (body.has("max_gen_len")) {
      return Family.LLAMA;
    }
    return body.has("prompt") ? Family.MISTRAL : Family.ANTHROPIC;
  }

  void handle(Call c, JsonNode req, String requestId, boolean streamed) throws IOException {
    Family f = family(c.model, req);
    if (streamed && f.embeds()) {
      handler.fail(c, Handler.Failure.BAD_REQUEST, "The model " + c.model + " does not support streaming.");
      return;
    }
    Conversation conv = conversation(f, req);
    Reply r = f == Family.ANTHROPIC || f == Family.NOVA ? Reply.of(c, conv) : Reply.text(c, conv);
    boolean stream = c.streams(streamed);
    long output = f.embeds() ? -1 : r.output;
    MockLlmServer.Sent.Builder sent = MockLlmServer.Sent.builder("aws.bedrock", f.operation, c.model, stream)
        .id(requestId).tokens(r.input, output);
    String toolId = (f == Family.ANTHROPIC ? "toolu_bdrk_mock" : "tooluse_mock") + c.n;
    if (r.kind == Reply.Kind.TOOL) {
      sent.tool(toolId, r.toolName, r.argsJson());
    }
    if (f == Family.ANTHROPIC || f == Family.NOVA) {
      sent.cache(0, 0); // both report their cache counts, zero here
    }
    if (!stream) {
      c.header("X-Amzn-Bedrock-Input-Token-Count", Long.toString(r.input));
      if (!f.embeds()) {
        c.header("X-Amzn-Bedrock-Output-Token-Count", Long.toString(output));
      }
      c.header("X-Amzn-Bedrock-Invocation-Latency", Long.toString(Answers.latencyMillis(output)));
      c.answer(BedrockHandler.JSON_TYPE, whole(c, f, req, r, toolId, sent), sent);
      return;
    }
    List<Chunk> chunks = chunks(c, f, req, r, toolId, sent);
    ObjectNode metrics = chunks.get(chunks.size() - 1).json.putObject("amazon-bedrock-invocationMetrics");
    metrics.put("inputTokenCount", r.input).put("outputTokenCount", output)
        .put("invocationLatency", Answers.latencyMillis(output)).put("firstByteLatency", Answers.latencyMillis(0));
    Script s = new Script();
    for (int k = 0; k < chunks.size(); k++) {
      ObjectNode payload = Call.object().put("bytes", Base64.getEncoder().encodeToString(BedrockHandler.json(chunks.get(k).json)))
          .put("p", BedrockHandler.pad(k));
      s.add(EventStreamWriter.event("chunk", BedrockHandler.json(payload)), chunks.get(k).role);
    }
    c.header("X-Amzn-Bedrock-Content-Type", BedrockHandler.JSON_TYPE);
    c.play(BedrockHandler.EVENT_STREAM, s, BedrockHandler.streamError(), sent);
  }

  private static Conversation conversation(Family f, JsonNode req) {
    switch (f) {
      case ANTHROPIC: {
        Conversation conv = new Conversation().system(req.path("system"));
        JsonNode messages = req.path("messages");
        messages.forEach(m -> conv.message(m.path("content")));
        if (messages.size() > 0) {
          for (JsonNode block : messages.get(messages.size() - 1).path("content")) {
            conv.toolResultLast |= "tool_result".equals(block.path("type").asText());
          }
        }
        req.path("tools").forEach(t -> conv.tool(t.path("name").asText(null), t.path("input_schema")));
        return conv;
      }
      case NOVA:
        return BedrockHandler.conversation(req);
      case COHERE_CHAT: {
        Conversation conv = new Conversation().system(req.path("preamble"));
        req.path("chat_history").forEach(m -> conv.message(m.path("message")));
        return conv.message(req.path("message"));
      }
      case COHERE_EMBED: {
        Conversation conv = new Conversation();
        req.path("texts").forEach(conv::message);
        return conv;
      }
      case TITAN_TEXT:
      case TITAN_EMBED:
        return new Conversation().message(req.path("inputText"));
      default:
        return new Conversation().message(req.path("prompt"));
    }
  }

  /** The native whole body; also completes the recorded answer with the family's finish reason and text. */
  private static ObjectNode whole(Call c, Family f, JsonNode req, Reply r, String toolId, MockLlmServer.Sent.Builder sent) {
    ObjectNode body = Call.object();
    switch (f) {
      case ANTHROPIC:
        sent.text(r.text).finish(AnthropicHandler.stopReason(r));
        return AnthropicHandler.message("msg_bdrk_mock" + c.n, c.model, r, toolId, usage(r), false);
      case NOVA: {
        sent.text(r.text).finish(novaStop(r));
        body.putObject("output").putObject("message").put("role", "assistant").putArray("content")
            .add(BedrockHandler.block(r, toolId));
        body.put("stopReason", novaStop(r));
        body.set("usage", novaUsage(r));
        return body;
      }
      case TITAN_TEXT:
        sent.text(r.text).finish("FINISH");
        body.put("inputTextTokenCount", r.input).putArray("results").addObject().put("tokenCount", r.output)
            .put("outputText", r.text).put("completionReason", "FINISH");
        return body;
      case LLAMA:
        sent.text(r.text).finish("stop");
        return body.put("generation", r.text).put("prompt_token_count", r.input)
            .put("generation_token_count", r.output).put("stop_reason", "stop");
      case MISTRAL:
        sent.text(r.text).finish("stop");
        body.putArray("outputs").addObject().put("text", r.text).put("stop_reason", "stop");
        return body;
      case COHERE_CHAT:
        sent.text(r.text).finish("COMPLETE");
        return cohereChat(c, req, r);
      case TITAN_EMBED: {
        int dims = req.path("dimensions").asInt(0) > 0 ? req.path("dimensions").asInt() : 1024;
        sent.dimensions(dims);
        ArrayNode vector = floats(Answers.vector(req.path("inputText").asText(""), dims));
        body.set("embedding", vector);
        if (req.has("embeddingTypes")) {
          body.putObject("embeddingsByType").set("float", vector);
        }
        return body.put("inputTextTokenCount", r.input);
      }
      default: { // COHERE_EMBED
        sent.dimensions(1024);
        body.put("id", Answers.uuid(c.n));
        ArrayNode embeddings = body.putArray("embeddings");
        req.path("texts").forEach(t -> embeddings.add(floats(Answers.vector(t.asText(""), 1024))));
        body.put("response_type", "embeddings_floats");
        body.set("texts", req.path("texts"));
        return body;
      }
    }
  }

  /** The native stream chunks, the last one to receive the invocation metrics. */
  private static List<Chunk> chunks(Call c, Family f, JsonNode req, Reply r, String toolId, MockLlmServer.Sent.Builder sent) {
    List<Chunk> out = new ArrayList<>();
    List<String> pieces = Answers.boundedPieces(r.text, BedrockHandler.MAX_PIECE);
    switch (f) {
      case ANTHROPIC:
        sent.text(r.text).finish(AnthropicHandler.stopReason(r));
        for (AnthropicHandler.Event e : AnthropicHandler.events("msg_bdrk_mock" + c.n, c.model, r, toolId, usage(r), false)) {
          out.add(new Chunk(e.data, e.role));
        }
        return out;
      case NOVA: {
        sent.text(r.text).finish(novaStop(r));
        List<BedrockHandler.Event> events = BedrockHandler.events(r, toolId);
        events.set(events.size() - 1, new BedrockHandler.Event("messageStop", Call.object().put("stopReason", novaStop(r)),
            Script.Role.FRAME));
        for (BedrockHandler.Event e : events) {
          out.add(new Chunk(Call.object().set(e.type, e.payload), e.role));
        }
        ObjectNode metadata = Call.object();
        ObjectNode inner = metadata.putObject("metadata");
        inner.set("usage", novaUsage(r));
        inner.putObject("metrics");
        inner.putObject("trace");
        out.add(new Chunk(metadata, Script.Role.END));
        return out;
      }
      case TITAN_TEXT:
        sent.text(r.text).finish("FINISH");
        for (int k = 0; k < pieces.size(); k++) {
          out.add(new Chunk(Call.object().put("outputText", pieces.get(k)).put("index", 0)
              .put("totalOutputTextTokenCount", Math.min(k + 1, r.output)).putNull("completionReason")
              .put("inputTextTokenCount", r.input), Script.Role.PIECE));
        }
        out.add(new Chunk(Call.object().put("outputText", "").put("index", 0).put("totalOutputTextTokenCount", r.output)
            .put("completionReason", "FINISH").put("inputTextTokenCount", r.input), Script.Role.END));
        return out;
      case LLAMA:
        sent.text(r.text).finish("stop");
        for (int k = 0; k < pieces.size(); k++) {
          ObjectNode chunk = Call.object().put("generation", pieces.get(k));
          if (k == 0) {
            chunk.put("prompt_token_count", r.input);
          } else {
            chunk.putNull("prompt_token_count");
          }
          out.add(new Chunk(chunk.put("generation_token_count", Math.min(k + 1, r.output)).putNull("stop_reason"),
              Script.Role.PIECE));
        }
        out.add(new Chunk(Call.object().put("generation", "").putNull("prompt_token_count")
            .put("generation_token_count", r.output).put("stop_reason", "stop"), Script.Role.END));
        return out;
      case MISTRAL:
        sent.text(r.text).finish("stop");
        for (String piece : pieces) {
          ObjectNode chunk = Call.object();
          chunk.putArray("outputs").addObject().put("text", piece).putNull("stop_reason");
          out.add(new Chunk(chunk, Script.Role.PIECE));
        }
        ObjectNode last = Call.object();
        last.putArray("outputs").addObject().put("text", "").put("stop_reason", "stop");
        out.add(new Chunk(last, Script.Role.END));
        return out;
      default: { // COHERE_CHAT
        sent.text(r.text).finish("COMPLETE");
        out.add(new Chunk(Call.object().put("is_finished", false).put("event_type", "stream-start")
            .put("generation_id", Answers.uuid(c.n + 1_000_000)), Script.Role.FRAME));
        for (String piece : pieces) {
          out.add(new Chunk(Call.object().put("is_finished", false).put("event_type", "text-generation").put("text", piece),
              Script.Role.PIECE));
        }
        ObjectNode end = Call.object().put("is_finished", true).put("event_type", "stream-end");
        end.set("response", cohereChat(c, req, r));
        out.add(new Chunk(end.put("finish_reason", "COMPLETE"), Script.Role.END));
        return out;
      }
    }
  }

  private static AnthropicHandler.Usage usage(Reply r) {
    return new AnthropicHandler.Usage(r.input, 0, 0, r.output);
  }

  private static String novaStop(Reply r) {
    return r.kind == Reply.Kind.REFUSAL ? "content_filtered" : BedrockHandler.stopReason(r);
  }

  /** Nova's native usage: its cache fields are named {@code ...InputTokenCount}, unlike Converse. */
  private static ObjectNode novaUsage(Reply r) {
    return Call.object().put("inputTokens", r.input).put("outputTokens", r.output).put("totalTokens", r.input + r.output)
        .put("cacheReadInputTokenCount", 0).put("cacheWriteInputTokenCount", 0);
  }

  private static ObjectNode cohereChat(Call c, JsonNode req, Reply r) {
    ObjectNode body = Call.object().put("response_id", Answers.uuid(c.n)).put("text", r.text)
        .put("generation_id", Answers.uuid(c.n + 1_000_000));
    ArrayNode history = body.putArray("chat_history");
    req.path("chat_history").forEach(history::add);
    history.addObject().put("role", "USER").put("message", req.path("message").asText(""));
    history.addObject().put("role", "CHATBOT").put("message", r.text);
    body.put("finish_reason", "COMPLETE");
    ObjectNode meta = body.putObject("meta");
    meta.putObject("api_version").put("version", "1");
    meta.putObject("billed_units").put("input_tokens", r.input).put("output_tokens", r.output);
    return body;
  }

  private static ArrayNode floats(float[] v) {
    ArrayNode a = Call.JSON.createArrayNode();
    for (float f : v) {
      a.add(f);
    }
    return a;
  }
}
