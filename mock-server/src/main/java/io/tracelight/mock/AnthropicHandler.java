package io.tracelight.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic's Messages API: {@code POST /v1/messages} (JSON, or SSE with {@code event:} lines when
 * {@code "stream": true}) and {@code POST /v1/messages/count_tokens}. Usage always has cache reads
 * and writes, so clients must add them to {@code input_tokens}, which excludes them.
 */
final class AnthropicHandler extends Handler {
  private static final String JSON_TYPE = "application/json";

  /** One stream event; the Bedrock handler sends the same events as chunks. */
  static final class Event {
    final String type;
    final ObjectNode data;
    final Script.Role role;

    Event(String type, ObjectNode data, Script.Role role) {
      this.type = type;
      this.data = data;
      this.role = role;
    }
  }

  /** The usage of one answer: input excludes both cache counts, as Anthropic reports it. */
  static final class Usage {
    final long input;
    final long cacheCreation;
    final long cacheRead;
    final long output;

    Usage(long input, long cacheCreation, long cacheRead, long output) {
      this.input = input;
      this.cacheCreation = cacheCreation;
      this.cacheRead = cacheRead;
      this.output = output;
    }

    /** Splits a whole prompt: half read from the cache, a quarter written to it, the rest plain. */
    static Usage cached(Reply r) {
      long read = r.input / 2;
      long creation = r.input / 4;
      return new Usage(r.input - read - creation, creation, read, r.output);
    }
  }

  @Override
  void handle(Call c) throws IOException {
    boolean count = c.path.equals("/v1/messages/count_tokens");
    if (!"POST".equals(c.method) || !(count || c.path.equals("/v1/messages"))) {
      fail(c, Failure.NO_ENDPOINT, null);
      return;
    }
    JsonNode req = c.json();
    if (req == null) {
      fail(c, Failure.BAD_REQUEST, null);
      return;
    }
    c.model(req.path("model").asText("unknown"));
    Conversation conv = new Conversation().system(req.path("system"));
    JsonNode messages = req.path("messages");
    messages.forEach(m -> conv.message(m.path("content")));
    if (messages.size() > 0) {
      for (JsonNode block : messages.get(messages.size() - 1).path("content")) {
        conv.toolResultLast |= "tool_result".equals(block.path("type").asText());
      }
    }
    for (JsonNode t : req.path("tools")) {
      if (t.has("input_schema")) {
        conv.tool(t.path("name").asText(null), t.path("input_schema"));
      }
    }
    long n = c.nextId();
    c.header("request-id", "req_mock" + n);
    if (misbehaved(c, JSON_TYPE)) {
      return;
    }
    if (count) {
      c.sendJson(200, JSON_TYPE, Call.object().put("input_tokens", conv.promptTokens()));
      return;
    }
    Reply r = Reply.of(c, conv);
    Usage u = Usage.cached(r);
    String id = "msg_mock" + n;
    String toolId = "toolu_mock" + n;
    boolean stream = c.streams(req.path("stream").asBoolean(false));
    MockLlmServer.Sent.Builder sent = MockLlmServer.Sent.builder("anthropic", "chat", c.model, stream)
        .id(id).text(r.text).finish(stopReason(r)).tokens(r.input, r.output).cache(u.cacheRead, u.cacheCreation);
    if (r.kind == Reply.Kind.TOOL) {
      sent.tool(toolId, r.toolName, r.argsJson());
    }
    if (!stream) {
      c.answer(JSON_TYPE, message(id, c.model, r, toolId, u, true), sent);
      return;
    }
    c.header("Cache-Control", "no-cache");
    Script s = new Script();
    List<Event> events = events(id, c.model, r, toolId, u, true);
    for (int i = 0; i < events.size(); i++) {
      Event e = events.get(i);
      s.add(e.role, "event: " + e.type + "\ndata: " + e.data + "\n\n");
      if (i == 1) { // a ping after the first block starts, written with a space as the API does
        s.frame("event: ping\ndata: {\"type\": \"ping\"}\n\n");
      }
    }
    String error = "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n";
    c.play("text/event-stream; charset=utf-8", s, Call.utf8(error), sent);
  }

  static String stopReason(Reply r) {
    return r.kind == Reply.Kind.TOOL ? "tool_use" : r.kind == Reply.Kind.REFUSAL ? "refusal"
        : r.cut ? "max_tokens" : "end_turn";
  }

  /** A whole {@code message}; {@code api} adds the fields only the Anthropic API sends (not Bedrock). */
  static ObjectNode message(String id, String model, Reply r, String toolId, Usage u, boolean api) {
    ObjectNode m = Call.object().put("model", model).put("id", id).put("type", "message").put("role", "assistant");
    ObjectNode block = m.putArray("content").addObject();
    if (r.kind == Reply.Kind.TOOL) {
      block.put("type", "tool_use").put("id", toolId).put("name", r.toolName).set("input", r.toolArgs);
    } else {
      block.put("type", "text").put("text", r.text);
    }
    m.put("stop_reason", stopReason(r)).putNull("stop_sequence");
    if (r.kind == Reply.Kind.REFUSAL) {
      m.set("stop_details", refusalDetails());
    }
    m.set("usage", usage(u, u.output, api));
    return m;
  }

  /** The stream events of an answer, {@code message_start} to {@code message_stop} (pings aside). */
  static List<Event> events(String id, String model, Reply r, String toolId, Usage u, boolean api) {
    List<Event> out = new ArrayList<>();
    ObjectNode start = Call.object().put("model", model).put("id", id).put("type", "message").put("role", "assistant");
    start.putArray("content");
    start.putNull("stop_reason").putNull("stop_sequence");
    start.set("usage", usage(u, 1, api));
    out.add(event("message_start", Call.object().set("message", start), Script.Role.FRAME));
    ObjectNode block = Call.object();
    if (r.kind == Reply.Kind.TOOL) {
      block.put("type", "tool_use").put("id", toolId).put("name", r.toolName).putObject("input");
    } else {
      block.put("type", "text").put("text", "");
    }
    out.add(event("content_block_start", Call.object().put("index", 0).set("content_block", block), Script.Role.FRAME));
    List<String> pieces = new ArrayList<>();
    if (r.kind == Reply.Kind.TOOL) {
      pieces.add(""); // the first input_json_delta is empty, as the API sends it
      pieces.addAll(Answers.slices(r.argsJson(), 8));
    } else {
      pieces.addAll(Answers.boundedPieces(r.text, api ? Integer.MAX_VALUE : BedrockHandler.MAX_PIECE));
    }
    for (String piece : pieces) {
      ObjectNode delta = r.kind == Reply.Kind.TOOL
          ? Call.object().put("type", "input_json_delta").put("partial_json", piece)
          : Call.object().put("type", "text_delta").put("text", piece);
      out.add(event("content_block_delta", Call.object().put("index", 0).set("delta", delta), Script.Role.PIECE));
    }
    out.add(event("content_block_stop", Call.object().put("index", 0), Script.Role.FRAME));
    ObjectNode delta = Call.object().put("stop_reason", stopReason(r)).putNull("stop_sequence");
    if (r.kind == Reply.Kind.REFUSAL) {
      delta.set("stop_details", refusalDetails());
    }
    // message_delta usage is cumulative: it repeats the input counts and gives the final output
    ObjectNode deltaUsage = Call.object().put("input_tokens", u.input)
        .put("cache_creation_input_tokens", u.cacheCreation).put("cache_read_input_tokens", u.cacheRead)
        .put("output_tokens", u.output);
    out.add(event("message_delta", Call.object().<ObjectNode>set("delta", delta).set("usage", deltaUsage),
        Script.Role.FRAME));
    out.add(event("message_stop", Call.object(), Script.Role.END));
    return out;
  }

  private static Event event(String type, ObjectNode fields, Script.Role role) {
    ObjectNode data = Call.object().put("type", type);
    data.setAll(fields);
    return new Event(type, data, role);
  }

  private static ObjectNode refusalDetails() {
    return Call.object().put("type", "refusal").putNull("category").put("explanation", "The mock model refuses on purpose.");
  }

  private static ObjectNode usage(Usage u, long output, boolean api) {
    ObjectNode usage = Call.object().put("input_tokens", u.input).put("cache_creation_input_tokens", u.cacheCreation)
        .put("cache_read_input_tokens", u.cacheRead);
    if (api) {
      usage.putObject("cache_creation").put("ephemeral_5m_input_tokens", u.cacheCreation).put("ephemeral_1h_input_tokens", 0);
    }
    usage.put("output_tokens", output);
    if (api) {
      usage.put("service_tier", "standard").put("inference_geo", "not_available");
    }
    return usage;
  }

  @Override
  void fail(Call c, Failure failure, String message) throws IOException {
    int status;
    String type;
    String text;
    switch (failure) {
      case NO_ENDPOINT:
        status = 404;
        type = "not_found_error";
        text = "Not found: " + c.method + " " + c.path;
        break;
      case BAD_REQUEST:
        status = 400;
        type = "invalid_request_error";
        text = "The request body is not valid JSON.";
        break;
      case NO_MODEL:
        status = 404;
        type = "not_found_error";
        text = "model: " + c.model;
        break;
      case RATE_LIMIT:
        status = 429;
        type = "rate_limit_error";
        text = "This request would exceed the mock server's rate limit for " + c.model + ".";
        break;
      case OVERLOADED:
        status = 529;
        type = "overloaded_error";
        text = "Overloaded";
        break;
      default:
        status = 500;
        type = "api_error";
        text = "Internal server error";
    }
    ObjectNode body = Call.object().put("type", "error");
    body.putObject("error").put("type", type).put("message", message != null ? message : text);
    if (c.n > 0) {
      body.put("request_id", "req_mock" + c.n);
    }
    c.sendJson(status, JSON_TYPE, body);
  }
}
