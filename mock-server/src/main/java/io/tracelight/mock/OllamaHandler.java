package io.tracelight.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Ollama's native API: {@code /api/chat} and {@code /api/generate} stream NDJSON unless the body
 * says {@code "stream": false}; the counts and durations (nanoseconds) come only in the final
 * {@code done: true} line. Also {@code /api/embed}, {@code /api/embeddings} and the small
 * {@code GET} answers client libraries probe with. Ollama has no response id and no refusal: a
 * mock-refusal model just answers with a refusing sentence.
 */
final class OllamaHandler extends Handler {
  private static final String JSON_TYPE = "application/json; charset=utf-8";

  @Override
  void handle(Call c) throws IOException {
    String p = c.path;
    if ("HEAD".equals(c.method)) { // clients probe the server with HEAD /
      boolean found = p.equals("/") || p.equals("/api/tags") || p.equals("/api/version");
      c.send(found ? 200 : 404, "text/plain; charset=utf-8", new byte[0]);
      return;
    }
    if ("GET".equals(c.method)) {
      if (p.equals("/")) {
        c.send(200, "text/plain; charset=utf-8", Call.utf8("Ollama is running"));
      } else if (p.equals("/api/tags")) {
        c.sendJson(200, JSON_TYPE, tags());
      } else if (p.equals("/api/version")) {
        c.sendJson(200, JSON_TYPE, Call.object().put("version", "0.12.0"));
      } else {
        fail(c, Failure.NO_ENDPOINT, null);
      }
      return;
    }
    boolean known = p.equals("/api/chat") || p.equals("/api/generate") || p.equals("/api/embed") || p.equals("/api/embeddings");
    if (!"POST".equals(c.method) || !known) {
      fail(c, Failure.NO_ENDPOINT, null);
      return;
    }
    JsonNode req = c.json();
    if (req == null) {
      fail(c, Failure.BAD_REQUEST, null);
      return;
    }
    if (req.path("model").asText("").isEmpty()) {
      fail(c, Failure.BAD_REQUEST, "model is required");
      return;
    }
    c.model(req.path("model").asText());
    if (misbehaved(c, JSON_TYPE)) {
      return;
    }
    switch (p) {
      case "/api/chat":
      case "/api/generate":
        generate(c, req, p.equals("/api/chat"));
        break;
      case "/api/embed":
        embed(c, req);
        break;
      default:
        legacyEmbedding(c, req);
    }
  }

  private void generate(Call c, JsonNode req, boolean chat) throws IOException {
    Conversation conv = new Conversation();
    boolean empty;
    if (chat) {
      JsonNode messages = req.path("messages");
      messages.forEach(m -> conv.message(m.path("content")));
      conv.toolResultLast = messages.size() > 0 && "tool".equals(messages.get(messages.size() - 1).path("role").asText());
      for (JsonNode t : req.path("tools")) {
        conv.tool(t.path("function").path("name").asText(null), t.path("function").path("parameters"));
      }
      empty = messages.size() == 0;
    } else {
      conv.system(req.path("system")).message(req.path("prompt"));
      empty = req.path("prompt").asText("").isEmpty();
    }
    if (empty) { // no prompt only loads the model: not a generation
      ObjectNode load = line(c, chat, "", 0).put("done", true).put("done_reason", "load");
      c.sendJson(200, JSON_TYPE, load);
      return;
    }
    long n = c.nextId();
    Reply r = chat || c.special != Special.TOOLS ? Reply.of(c, conv) : Reply.text(c, conv);
    boolean stream = c.streams(req.path("stream").asBoolean(true));
    String callId = "call_" + String.format("%8s", Long.toString(n, 36)).replace(' ', '0');
    MockLlmServer.Sent.Builder sent = MockLlmServer.Sent.builder("ollama", chat ? "chat" : "text_completion", c.model, stream)
        .text(r.text).finish("stop").tokens(r.input, r.output);
    if (r.kind == Reply.Kind.TOOL) {
      sent.tool(callId, r.toolName, r.argsJson());
    }
    if (!stream) {
      ObjectNode whole = line(c, chat, r.text, 0);
      if (r.kind == Reply.Kind.TOOL) {
        ((ObjectNode) whole.path("message")).set("tool_calls", toolCalls(r, callId));
      }
      c.answer(JSON_TYPE, last(whole, chat, r), sent);
      return;
    }
    Script s = new Script();
    List<ObjectNode> lines = new ArrayList<>();
    if (r.kind == Reply.Kind.TOOL) {
      ObjectNode call = line(c, chat, "", 0);
      ((ObjectNode) call.path("message")).set("tool_calls", toolCalls(r, callId));
      lines.add(call.put("done", false));
    } else {
      for (String piece : Answers.pieces(r.text)) {
        lines.add(line(c, chat, piece, lines.size()).put("done", false));
      }
    }
    for (ObjectNode l : lines) {
      s.piece(l + "\n");
    }
    s.end(last(line(c, chat, "", lines.size()), chat, r) + "\n");
    c.play("application/x-ndjson", s, Call.utf8("{\"error\":\"the mock model failed mid-stream on purpose\"}\n"), sent);
  }

  /** A line's common head: model, time, and the text as a chat message or a generate response. */
  private static ObjectNode line(Call c, boolean chat, String text, int index) {
    ObjectNode o = Call.object().put("model", c.model).put("created_at", Answers.goTime(15L * index));
    if (chat) {
      o.putObject("message").put("role", "assistant").put("content", text);
    } else {
      o.put("response", text);
    }
    return o;
  }

  /** Completes the final line: done, the reason, generate's context, and the metrics. */
  private static ObjectNode last(ObjectNode o, boolean chat, Reply r) {
    o.put("done", true).put("done_reason", "stop");
    if (!chat) {
      ArrayNode context = o.putArray("context");
      for (int i = 0; i < r.input + r.output; i++) {
        context.add(100 + i);
      }
    }
    long load = 2_000_000;
    long promptEval = 400_000 * r.input;
    long eval = 12_000_000 * r.output;
    return o.put("total_duration", load + promptEval + eval + 1_500_000).put("load_duration", load)
        .put("prompt_eval_count", r.input).put("prompt_eval_duration", promptEval)
        .put("eval_count", r.output).put("eval_duration", eval);
  }

  /** Ollama's tool calls: an id, and arguments as an object, not a string. */
  private static ArrayNode toolCalls(Reply r, String callId) {
    ArrayNode calls = Call.JSON.createArrayNode();
    ObjectNode function = calls.addObject().put("id", callId).putObject("function");
    function.put("index", 0).put("name", r.toolName).set("arguments", r.toolArgs);
    return calls;
  }

  private void embed(Call c, JsonNode req) throws IOException {
    JsonNode input = req.path("input");
    List<String> texts = new ArrayList<>();
    if (input.isArray()) {
      input.forEach(i -> texts.add(i.asText("")));
    } else {
      texts.add(input.asText(""));
    }
    int dims = req.path("dimensions").asInt(0) > 0 ? req.path("dimensions").asInt() : 768;
    ObjectNode body = Call.object().put("model", c.model);
    ArrayNode embeddings = body.putArray("embeddings");
    long chars = 0;
    for (String t : texts) {
      chars += t.length();
      ArrayNode values = embeddings.addArray();
      for (float f : Answers.vector(t, dims)) {
        values.add(f);
      }
    }
    long tokens = Answers.promptTokens(chars);
    body.put("total_duration", 2_000_000 + 400_000 * tokens).put("load_duration", 2_000_000).put("prompt_eval_count", tokens);
    c.answer(JSON_TYPE, body, MockLlmServer.Sent.builder("ollama", "embeddings", c.model, false)
        .tokens(tokens, -1).dimensions(dims));
  }

  /** The legacy endpoint answers only the vector (float64s), without a model or counts. */
  private void legacyEmbedding(Call c, JsonNode req) throws IOException {
    int dims = 768;
    ObjectNode body = Call.object();
    ArrayNode values = body.putArray("embedding");
    for (float f : Answers.vector(req.path("prompt").asText(""), dims)) {
      values.add((double) f);
    }
    c.answer(JSON_TYPE, body, MockLlmServer.Sent.builder("ollama", "embeddings", c.model, false).dimensions(dims));
  }

  private static ObjectNode tags() {
    ObjectNode body = Call.object();
    ObjectNode model = body.putArray("models").addObject().put("name", "mock:latest").put("model", "mock:latest")
        .put("modified_at", Answers.goTime(0)).put("size", 1024).put("digest", "0".repeat(64));
    ObjectNode details = model.putObject("details").put("parent_model", "").put("format", "gguf").put("family", "mock");
    details.putArray("families").add("mock");
    details.put("parameter_size", "1B").put("quantization_level", "Q4_0");
    return body;
  }

  @Override
  void fail(Call c, Failure failure, String message) throws IOException {
    int status;
    String text;
    switch (failure) {
      case NO_ENDPOINT:
        status = 404;
        text = "404 page not found";
        break;
      case BAD_REQUEST:
        status = 400;
        text = "invalid request body";
        break;
      case NO_MODEL:
        status = 404;
        text = "model '" + c.model + "' not found";
        break;
      case RATE_LIMIT:
        status = 429;
        text = "too many requests for the mock model; try again later";
        break;
      case OVERLOADED:
        status = 503;
        text = "server busy: the mock model is overloaded";
        break;
      default:
        status = 500;
        text = "the mock server failed on purpose";
    }
    c.sendJson(status, JSON_TYPE, Call.object().put("error", message != null ? message : text));
  }
}
