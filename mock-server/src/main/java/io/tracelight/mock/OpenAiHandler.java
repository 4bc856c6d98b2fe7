package io.tracelight.mock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OpenAI's HTTP API under any path prefix: Chat Completions, Responses, Embeddings and legacy
 * Completions, also as Azure OpenAI serves them ({@code /openai/deployments/{d}/...} with the
 * deployment as the model when the body has none, and {@code /openai/v1/...}).
 */
final class OpenAiHandler extends Handler {
  static final String SSE = "text/event-stream; charset=utf-8";
  private static final String JSON_TYPE = "application/json";
  private static final Pattern DEPLOYMENT = Pattern.compile("^/openai/deployments/([^/]+)/");
  private final OpenAiResponses responses = new OpenAiResponses(this);

  @Override
  void handle(Call c) throws IOException {
    String p = c.path;
    String op = null;
    if ("POST".equals(c.method)) {
      op = p.endsWith("/chat/completions") ? "chat" : p.endsWith("/responses") ? "responses"
          : p.endsWith("/embeddings") ? "embeddings" : p.endsWith("/completions") ? "completions" : null;
    }
    if (op == null) {
      fail(c, Failure.NO_ENDPOINT, null);
      return;
    }
    JsonNode req = c.json();
    if (req == null) {
      fail(c, Failure.BAD_REQUEST, null);
      return;
    }
    Matcher deployment = DEPLOYMENT.matcher(p);
    c.model(req.path("model").asText(deployment.find() ? deployment.group(1) : "unknown"));
    String provider = p.startsWith("/openai/") ? "azure.ai.openai" : "openai";
    switch (op) {
      case "chat":
        chat(c, req, provider);
        break;
      case "responses":
        responses.handle(c, req, provider);
        break;
      case "embeddings":
        embeddings(c, req, provider);
        break;
      default:
        completions(c, req, provider);
    }
  }

  @Override
  void fail(Call c, Failure failure, String message) throws IOException {
    int status;
    String type;
    String code = null;
    String text;
    switch (failure) {
      case NO_ENDPOINT:
        status = 404;
        type = "not_found_error";
        text = "no such endpoint";
        break;
      case BAD_REQUEST:
        status = 400;
        type = "invalid_request_error";
        text = "request is not JSON";
        break;
      case NO_MODEL:
        status = 404;
        type = "invalid_request_error";
        text = "The model `" + c.model + "` does not exist or you do not have access to it.";
        break;
      case RATE_LIMIT:
        status = 429;
        type = "requests";
        code = "rate_limit_exceeded";
        text = "Rate limit reached for " + c.model + " on requests per min (RPM): the mock server limits this model on purpose.";
        break;
      case OVERLOADED:
        status = 503;
        type = "server_error";
        text = "The mock model is overloaded; try again later.";
        break;
      default:
        status = 500;
        type = "server_error";
        text = "The mock server failed on purpose.";
    }
    c.sendJson(status, JSON_TYPE, error(type, message != null ? message : text, code));
  }

  private void chat(Call c, JsonNode req, String provider) throws IOException {
    JsonNode messages = req.path("messages");
    boolean stream = req.path("stream").asBoolean(false);
    boolean includeUsage = req.path("stream_options").path("include_usage").asBoolean(false);
    Conversation conv = new Conversation();
    for (JsonNode m : messages) {
      JsonNode content = m.path("content");
      conv.messages++;
      conv.chars += content.isTextual() ? content.asText().length() : content.toString().length();
    }
    conv.toolResultLast = messages.isArray() && messages.size() > 0
        && "tool".equals(messages.get(messages.size() - 1).path("role").asText());
    for (JsonNode t : req.path("tools")) {
      conv.tool(t.path("function").path("name").asText(null), t.path("function").path("parameters"));
    }
    long n = c.nextId();
    String id = "chatcmpl-mock" + n;
    if (c.special == Special.MALFORMED) {
      c.send(200, JSON_TYPE, Call.utf8("{\"id\":\"" + id + "\",\"choices\":[{\"index\":0,\"mess"));
      return;
    }
    if (misbehaved(c, JSON_TYPE)) {
      return;
    }
    Reply r = Reply.of(c, conv);
    long prompt = r.input;
    long completion = r.output;
    long cached = prompt / 2;
    String finish = r.kind == Reply.Kind.TOOL ? "tool_calls" : r.cut ? "length" : "stop";
    String callId = "call_mock" + n;
    c.header("openai-processing-ms", Long.toString(Answers.latencyMillis(completion)));
    MockLlmServer.Sent.Builder sent = MockLlmServer.Sent.builder(provider, "chat", c.model, stream)
        .id(id).text(r.text).finish(finish);
    if (r.kind == Reply.Kind.TOOL) {
      sent.tool(callId, r.toolName, r.argsJson());
    }
    if (!stream) {
      sent.tokens(prompt, completion).cache(cached, -1).reasoning(0);
      c.answer(JSON_TYPE, completion(id, c.model, message(r, callId), finish, usage(prompt, completion, cached)), sent);
      return;
    }
    c.header("Cache-Control", "no-cache");
    Script s = new Script();
    s.frame(event(chunk(id, c.model, firstDelta(r, callId), null)));
    for (String delta : pieceDeltas(r)) {
      s.piece(event(chunk(id, c.model, delta, null)));
    }
    s.frame(event(chunk(id, c.model, "{}", finish)));
    if (includeUsage) {
      s.frame(event(usageChunk(id, c.model, prompt, completion, cached)));
      sent.tokens(prompt, completion).cache(cached, -1).reasoning(0);
    }
    s.end(event("[DONE]"));
    c.play(SSE, s, Call.utf8(event(error("server_error", "The mock model failed mid-stream on purpose.", null).toString())),
        sent);
  }

  private static String firstDelta(Reply r, String callId) {
    switch (r.kind) {
      case TOOL:
        return "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"index\":0,\"id\":\"" + callId
            + "\",\"type\":\"function\",\"function\":{\"name\":" + quote(r.toolName) + ",\"arguments\":\"\"}}],\"refusal\":null}";
      case REFUSAL:
        return "{\"role\":\"assistant\",\"content\":null,\"refusal\":\"\"}";
      default:
        return "{\"role\":\"assistant\",\"content\":\"\"}";
    }
  }

  private static List<String> pieceDeltas(Reply r) {
    List<String> out = new ArrayList<>();
    if (r.kind == Reply.Kind.TOOL) {
      for (String slice : Answers.slices(r.argsJson(), 8)) {
        out.add("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":" + quote(slice) + "}}]}");
      }
    } else {
      String field = r.kind == Reply.Kind.REFUSAL ? "refusal" : "content";
      for (String piece : Answers.pieces(r.text)) {
        out.add("{\"" + field + "\":" + quote(piece) + "}");
      }
    }
    return out;
  }

  private static ObjectNode message(Reply r, String callId) {
    ObjectNode message = Call.object().put("role", "assistant");
    switch (r.kind) {
      case TOOL:
        message.putNull("content");
        ObjectNode call = message.putArray("tool_calls").addObject();
        call.put("id", callId).put("type", "function");
        call.putObject("function").put("name", r.toolName).put("arguments", r.argsJson());
        message.putNull("refusal");
        break;
      case REFUSAL:
        message.putNull("content").put("refusal", r.text);
        break;
      default:
        message.put("content", r.text).putNull("refusal");
    }
    return message;
  }

  private void completions(Call c, JsonNode req, String provider) throws IOException {
    JsonNode prompt = req.path("prompt");
    Conversation conv = new Conversation();
    if (prompt.isArray() && prompt.size() > 0 && !prompt.get(0).isNumber()) {
      prompt.forEach(conv::message);
    } else {
      conv.message(prompt.isArray() ? Call.JSON.getNodeFactory().textNode(prompt.toString()) : prompt);
    }
    boolean stream = req.path("stream").asBoolean(false);
    boolean includeUsage = req.path("stream_options").path("include_usage").asBoolean(false);
    long n = c.nextId();
    String id = "cmpl-mock" + n;
    if (misbehaved(c, JSON_TYPE)) {
      return;
    }
    // A refused legacy completion is one the content filter stopped: no text.
    boolean filtered = c.special == Special.REFUSAL;
    Reply r = Reply.text(c, conv);
    String text = filtered ? "" : r.text;
    long completion = filtered ? 0 : r.output;
    String finish = filtered ? "content_filter" : "stop";
    c.header("openai-processing-ms", Long.toString(Answers.latencyMillis(completion)));
    MockLlmServer.Sent.Builder sent = MockLlmServer.Sent.builder(provider, "text_completion", c.model, c.streams(stream))
        .id(id).text(text).finish(finish);
    if (!c.streams(stream)) {
      ObjectNode root = completionChunk(id, c.model, text, finish);
      root.set("usage", plainUsage(r.input, completion));
      c.answer(JSON_TYPE, root, sent.tokens(r.input, completion));
      return;
    }
    c.header("Cache-Control", "no-cache");
    Script s = new Script();
    for (String piece : Answers.pieces(text)) {
      s.piece(event(completionChunk(id, c.model, piece, null).toString()));
    }
    s.frame(event(completionChunk(id, c.model, "", finish).toString()));
    if (includeUsage) {
      ObjectNode usage = completionChunk(id, c.model, null, null);
      usage.set("usage", plainUsage(r.input, completion));
      s.frame(event(usage.toString()));
      sent.tokens(r.input, completion);
    }
    s.end(event("[DONE]"));
    c.play(SSE, s, Call.utf8(event(error("server_error", "The mock model failed mid-stream on purpose.", null).toString())),
        sent);
  }

  /** A {@code text_completion} object; a null text gives the usage chunk's empty choices. */
  private static ObjectNode completionChunk(String id, String model, String text, String finish) {
    ObjectNode root = Call.object().put("id", id).put("object", "text_completion").put("created", Answers.CREATED);
    ArrayNode choices = root.putArray("choices");
    if (text != null) {
      ObjectNode choice = choices.addObject().put("text", text).put("index", 0);
      choice.putNull("logprobs");
      choice.put("finish_reason", finish);
    }
    return root.put("model", model);
  }

  private static ObjectNode plainUsage(long prompt, long completion) {
    return Call.object().put("prompt_tokens", prompt).put("completion_tokens", completion)
        .put("total_tokens", prompt + completion);
  }

  private void embeddings(Call c, JsonNode req, String provider) throws IOException {
    JsonNode input = req.path("input");
    List<String> texts = new ArrayList<>();
    if (input.isArray() && input.size() > 0 && !input.get(0).isNumber()) {
      input.forEach(i -> texts.add(i.isTextual() ? i.asText() : i.toString()));
    } else {
      texts.add(input.isTextual() ? input.asText() : input.toString());
    }
    int dims = req.path("dimensions").asInt(0) > 0 ? req.path("dimensions").asInt()
        : c.model.contains("3-large") ? 3072 : 1536;
    boolean base64 = "base64".equals(req.path("encoding_format").asText("float"));
    if (misbehaved(c, JSON_TYPE)) {
      return;
    }
    long chars = 0;
    ObjectNode root = Call.object().put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int i = 0; i < texts.size(); i++) {
      chars += texts.get(i).length();
      float[] v = Answers.vector(texts.get(i), dims);
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      if (base64) {
        item.put("embedding", Answers.base64(v));
      } else {
        ArrayNode values = item.putArray("embedding");
        for (float f : v) {
          values.add(f);
        }
      }
    }
    long prompt = Answers.promptTokens(chars);
    root.put("model", c.model);
    root.putObject("usage").put("prompt_tokens", prompt).put("total_tokens", prompt);
    c.answer(JSON_TYPE, root, MockLlmServer.Sent.builder(provider, "embeddings", c.model, false)
        .tokens(prompt, -1).dimensions(dims));
  }

  // The chat body builders below are also what wholeResponse/streamResponse give scripted servers.

  static String wholeResponse(String id, String model, String text, long prompt, long completion, long cached) {
    ObjectNode message = Call.object().put("role", "assistant").put("content", text).putNull("refusal");
    return completion(id, model, message, "stop", usage(prompt, completion, cached)).toString();
  }

  static String streamResponse(String id, String model, String text, long prompt, long completion, long cached) {
    StringBuilder b = new StringBuilder();
    b.append(event(chunk(id, model, "{\"role\":\"assistant\",\"content\":\"\"}", null)));
    for (String piece : Answers.pieces(text)) {
      b.append(event(chunk(id, model, "{\"content\":" + quote(piece) + "}", null)));
    }
    b.append(event(chunk(id, model, "{}", "stop")));
    b.append(event(usageChunk(id, model, prompt, completion, cached)));
    return b.append(event("[DONE]")).toString();
  }

  private static String chunk(String id, String model, String delta, String finish) {
    return "{\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":1732400000,\"model\":\""
        + model + "\",\"system_fingerprint\":\"fp_mock\",\"choices\":[{\"index\":0,\"delta\":" + delta
        + ",\"logprobs\":null,\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"")
        + "}],\"usage\":null}";
  }

  private static String usageChunk(String id, String model, long prompt, long completion, long cached) {
    ObjectNode usage = Call.object();
    usage.put("id", id).put("object", "chat.completion.chunk").put("created", Answers.CREATED).put("model", model);
    usage.putArray("choices");
    usage.set("usage", usage(prompt, completion, cached));
    return usage.toString();
  }

  static String event(String data) {
    return "data: " + data + "\n\n";
  }

  private static ObjectNode completion(String id, String model, ObjectNode message, String finish, ObjectNode usage) {
    ObjectNode root = Call.object();
    root.put("id", id).put("object", "chat.completion").put("created", Answers.CREATED).put("model", model);
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.set("message", message);
    choice.putNull("logprobs");
    choice.put("finish_reason", finish);
    root.set("usage", usage);
    root.put("system_fingerprint", "fp_mock");
    return root;
  }

  private static ObjectNode usage(long prompt, long completion, long cached) {
    ObjectNode usage = Call.object();
    usage.put("prompt_tokens", prompt).put("completion_tokens", completion).put("total_tokens", prompt + completion);
    usage.putObject("prompt_tokens_details").put("cached_tokens", cached).put("audio_tokens", 0);
    usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
        .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
    return usage;
  }

  /** OpenAI's error envelope: {@code {"error":{"message","type","param","code"}}}. */
  static ObjectNode error(String type, String message, String code) {
    ObjectNode root = Call.object();
    ObjectNode error = root.putObject("error");
    error.put("message", message).put("type", type).putNull("param");
    if (code == null) {
      error.putNull("code");
    } else {
      error.put("code", code);
    }
    return root;
  }

  static String quote(String s) {
    try {
      return Call.JSON.writeValueAsString(s);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
