package io.tracelight.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * OpenAI's Responses API ({@code POST .../responses}): a {@code response} object, or SSE with
 * {@code event:} lines and a {@code sequence_number} on every event. Usage comes only with
 * {@code response.completed}. Every answer carries a reasoning item and reasoning tokens, as the
 * reasoning models do, so clients see output tokens that include reasoning.
 */
final class OpenAiResponses {
  private final OpenAiHandler handler;

  OpenAiResponses(OpenAiHandler handler) {
    this.handler = handler;
  }

  void handle(Call c, JsonNode req, String provider) throws IOException {
    Conversation conv = new Conversation().system(req.path("instructions"));
    JsonNode input = req.path("input");
    if (input.isArray()) {
      for (JsonNode item : input) {
        if (item.has("role")) {
          conv.message(item.path("content"));
        } else if ("function_call_output".equals(item.path("type").asText())) {
          conv.message(item.path("output"));
        }
      }
      JsonNode last = input.size() > 0 ? input.get(input.size() - 1) : null;
      conv.toolResultLast = last != null && "function_call_output".equals(last.path("type").asText());
    } else {
      conv.message(input);
    }
    for (JsonNode t : req.path("tools")) {
      if ("function".equals(t.path("type").asText())) {
        conv.tool(t.path("name").asText(null), t.path("parameters"));
      }
    }
    boolean stream = req.path("stream").asBoolean(false);
    long n = c.nextId();
    if (handler.misbehaved(c, "application/json")) {
      return;
    }
    Reply r = Reply.of(c, conv);
    Ids ids = new Ids(n);
    long output = r.output + Answers.REASONING;
    ObjectNode usage = Call.object().put("input_tokens", r.input);
    usage.putObject("input_tokens_details").put("cached_tokens", r.input / 2);
    usage.put("output_tokens", output);
    usage.putObject("output_tokens_details").put("reasoning_tokens", Answers.REASONING);
    usage.put("total_tokens", r.input + output);

    MockLlmServer.Sent.Builder sent = MockLlmServer.Sent.builder(provider, "chat", c.model, c.streams(stream))
        .id(ids.response).text(r.text).finish("completed").tokens(r.input, output).cache(r.input / 2, -1)
        .reasoning(Answers.REASONING);
    if (r.kind == Reply.Kind.TOOL) {
      sent.tool(ids.call, r.toolName, r.argsJson());
    }
    c.header("openai-processing-ms", Long.toString(Answers.latencyMillis(output)));
    ArrayNode output0 = Call.JSON.createArrayNode();
    output0.add(reasoning(ids));
    output0.add(item(r, ids, true));
    if (!c.streams(stream)) {
      c.answer("application/json", response(c, req, ids, "completed", output0, usage), sent);
      return;
    }
    c.header("Cache-Control", "no-cache");
    Events e = new Events();
    ArrayNode none = Call.JSON.createArrayNode();
    e.frame("response.created", Call.object().set("response", response(c, req, ids, "in_progress", none, null)));
    e.frame("response.in_progress", Call.object().set("response", response(c, req, ids, "in_progress", none, null)));
    e.frame("response.output_item.added", Call.object().put("output_index", 0).set("item", reasoning(ids)));
    e.frame("response.output_item.done", Call.object().put("output_index", 0).set("item", reasoning(ids)));
    e.frame("response.output_item.added", Call.object().put("output_index", 1).set("item", item(r, ids, false)));
    if (r.kind == Reply.Kind.TOOL) {
      for (String slice : Answers.slices(r.argsJson(), 8)) {
        e.piece("response.function_call_arguments.delta",
            Call.object().put("item_id", ids.functionCall).put("output_index", 1).put("delta", slice));
      }
      e.frame("response.function_call_arguments.done",
          Call.object().put("item_id", ids.functionCall).put("output_index", 1).put("arguments", r.argsJson()));
    } else {
      boolean refusal = r.kind == Reply.Kind.REFUSAL;
      e.frame("response.content_part.added", part(ids, "part", content(r, false)));
      for (String piece : Answers.pieces(r.text)) {
        ObjectNode delta = part(ids, "delta", null).put("delta", piece);
        if (!refusal) {
          delta.putArray("logprobs");
        }
        e.piece(refusal ? "response.refusal.delta" : "response.output_text.delta", delta);
      }
      ObjectNode done = part(ids, null, null).put(refusal ? "refusal" : "text", r.text);
      if (!refusal) {
        done.putArray("logprobs");
      }
      e.frame(refusal ? "response.refusal.done" : "response.output_text.done", done);
      e.frame("response.content_part.done", part(ids, "part", content(r, true)));
    }
    e.frame("response.output_item.done", Call.object().put("output_index", 1).set("item", item(r, ids, true)));
    e.end("response.completed", Call.object().set("response", response(c, req, ids, "completed", output0, usage)));
    // the error event as the live API sends it: the error nested, not flat
    ObjectNode error = Call.object();
    error.putObject("error").put("type", "server_error").put("code", "server_error")
        .put("message", "The mock model failed mid-stream on purpose.").putNull("param");
    c.play(OpenAiHandler.SSE, e.script, Call.utf8(e.format("error", error, e.sequence)), sent);
  }

  /** The ids of one answer's objects, all from the same counter value. */
  private static final class Ids {
    final String response;
    final String message;
    final String reasoning;
    final String functionCall;
    final String call;

    Ids(long n) {
      response = "resp_mock" + n;
      message = "msg_mock" + n;
      reasoning = "rs_mock" + n;
      functionCall = "fc_mock" + n;
      call = "call_mock" + n;
    }
  }

  /** Builds the SSE frames, numbering every event from 0. */
  private static final class Events {
    final Script script = new Script();
    int sequence;

    void frame(String type, ObjectNode data) {
      script.frame(format(type, data, sequence++));
    }

    void piece(String type, ObjectNode data) {
      script.piece(format(type, data, sequence++));
    }

    void end(String type, ObjectNode data) {
      script.end(format(type, data, sequence++));
    }

    /** {@code event: type} then the data with {@code type} and {@code sequence_number} first. */
    String format(String type, ObjectNode data, int sequence) {
      ObjectNode event = Call.object().put("type", type).put("sequence_number", sequence);
      event.setAll(data);
      return "event: " + type + "\ndata: " + event + "\n\n";
    }
  }

  private static ObjectNode reasoning(Ids ids) {
    ObjectNode item = Call.object().put("id", ids.reasoning).put("type", "reasoning");
    item.putArray("summary");
    return item;
  }

  /** The answer's output item: a message, or a function call. */
  private static ObjectNode item(Reply r, Ids ids, boolean done) {
    if (r.kind == Reply.Kind.TOOL) {
      return Call.object().put("id", ids.functionCall).put("type", "function_call")
          .put("status", done ? "completed" : "in_progress").put("arguments", done ? r.argsJson() : "")
          .put("call_id", ids.call).put("name", r.toolName);
    }
    ObjectNode item = Call.object().put("id", ids.message).put("type", "message")
        .put("status", done ? "completed" : "in_progress");
    ArrayNode content = item.putArray("content");
    if (done) {
      content.add(content(r, true));
    }
    return item.put("role", "assistant");
  }

  /** A content part: {@code output_text}, or {@code refusal} for a refused answer. */
  private static ObjectNode content(Reply r, boolean done) {
    if (r.kind == Reply.Kind.REFUSAL) {
      return Call.object().put("type", "refusal").put("refusal", done ? r.text : "");
    }
    ObjectNode part = Call.object().put("type", "output_text");
    part.putArray("annotations");
    part.putArray("logprobs");
    return part.put("text", done ? r.text : "");
  }

  /** The fields that locate a content part, plus the part itself when given. */
  private static ObjectNode part(Ids ids, String field, ObjectNode value) {
    ObjectNode o = Call.object().put("item_id", ids.message).put("output_index", 1).put("content_index", 0);
    if (field != null && value != null) {
      o.set(field, value);
    }
    return o;
  }

  /** The {@code response} object, echoing the request's settings as the API does. */
  private static ObjectNode response(Call c, JsonNode req, Ids ids, String status, ArrayNode output, ObjectNode usage) {
    boolean completed = "completed".equals(status);
    ObjectNode r = Call.object().put("id", ids.response).put("object", "response").put("created_at", Answers.CREATED)
        .put("status", status).put("background", false);
    if (completed) {
      r.put("completed_at", Answers.CREATED + 1);
    } else {
      r.putNull("completed_at");
    }
    r.putNull("error").putNull("incomplete_details");
    r.set("instructions", echo(req, "instructions", null));
    r.set("max_output_tokens", echo(req, "max_output_tokens", null));
    r.putNull("max_tool_calls");
    r.put("model", c.model);
    r.set("output", output);
    r.put("parallel_tool_calls", req.path("parallel_tool_calls").asBoolean(true));
    r.set("previous_response_id", echo(req, "previous_response_id", null));
    r.putNull("prompt_cache_key");
    r.putObject("reasoning").put("effort", req.path("reasoning").path("effort").asText("medium")).putNull("summary");
    r.putNull("safety_identifier");
    r.put("service_tier", "default").put("store", req.path("store").asBoolean(true));
    r.set("temperature", echo(req, "temperature", Call.JSON.getNodeFactory().numberNode(1.0)));
    ObjectNode text = r.putObject("text");
    text.putObject("format").put("type", "text");
    text.put("verbosity", "medium");
    r.set("tool_choice", echo(req, "tool_choice", Call.JSON.getNodeFactory().textNode("auto")));
    r.set("tools", req.path("tools").isArray() ? req.path("tools") : Call.JSON.createArrayNode());
    r.put("top_logprobs", 0);
    r.set("top_p", echo(req, "top_p", Call.JSON.getNodeFactory().numberNode(1.0)));
    r.put("truncation", "disabled");
    r.set("usage", usage);
    r.putNull("user");
    r.set("metadata", req.path("metadata").isObject() ? req.path("metadata") : Call.object());
    return r;
  }

  private static JsonNode echo(JsonNode req, String field, JsonNode orElse) {
    JsonNode v = req.get(field);
    return v != null && !v.isNull() ? v : orElse != null ? orElse : Call.JSON.getNodeFactory().nullNode();
  }
}
