package io.tracelight.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bedrock Runtime: {@code POST /model/{modelId}/converse}, {@code /converse-stream} (event-stream
 * frames) and, through {@link BedrockInvoke}, {@code /invoke} and {@code /invoke-with-response-stream}.
 * Model ids may be percent-encoded ({@code %3A}) or raw, ARNs or carry a region prefix. Every answer
 * has an {@code x-amzn-RequestId}, which is the id a client can see. Signatures are never checked.
 */
final class BedrockHandler extends Handler {
  static final String JSON_TYPE = "application/json";
  static final String EVENT_STREAM = "application/vnd.amazon.eventstream";
  private static final Pattern PATH = Pattern.compile("^/model/([^/]+)/(converse|converse-stream|invoke|invoke-with-response-stream)$");
  private static final String PAD = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  /** The longest text piece put in one frame (mock-big's 50 MB go out in 1 MiB frames). */
  static final int MAX_PIECE = 1 << 20;
  private final BedrockInvoke invoke = new BedrockInvoke(this);

  /** One event of a Converse stream; Nova's native stream sends the same events as chunks. */
  static final class Event {
    final String type;
    final ObjectNode payload;
    final Script.Role role;

    Event(String type, ObjectNode payload, Script.Role role) {
      this.type = type;
      this.payload = payload;
      this.role = role;
    }
  }

  @Override
  void handle(Call c) throws IOException {
    String requestId = Answers.uuid(c.nextId());
    c.header("x-amzn-RequestId", requestId);
    Matcher m = PATH.matcher(c.rawPath);
    if (!"POST".equals(c.method) || !m.matches()) {
      fail(c, Failure.NO_ENDPOINT, null);
      return;
    }
    c.model(percentDecode(m.group(1)));
    JsonNode req = c.json();
    if (req == null) {
      fail(c, Failure.BAD_REQUEST, null);
      return;
    }
    if (misbehaved(c, JSON_TYPE)) {
      return;
    }
    switch (m.group(2)) {
      case "converse":
        converse(c, req, requestId, false);
        break;
      case "converse-stream":
        converse(c, req, requestId, true);
        break;
      case "invoke":
        invoke.handle(c, req, requestId, false);
        break;
      default:
        invoke.handle(c, req, requestId, true);
    }
  }

  /** The Converse request shape, which Nova's native body shares. */
  static Conversation conversation(JsonNode req) {
    Conversation conv = new Conversation().system(req.path("system"));
    JsonNode messages = req.path("messages");
    messages.forEach(m -> conv.message(m.path("content")));
    if (messages.size() > 0) {
      for (JsonNode block : messages.get(messages.size() - 1).path("content")) {
        conv.toolResultLast |= block.has("toolResult");
      }
    }
    for (JsonNode t : req.path("toolConfig").path("tools")) {
      conv.tool(t.path("toolSpec").path("name").asText(null), t.path("toolSpec").path("inputSchema").path("json"));
    }
    return conv;
  }

  static String stopReason(Reply r) {
    return r.kind == Reply.Kind.TOOL ? "tool_use" : r.kind == Reply.Kind.REFUSAL ? "guardrail_intervened" : "end_turn";
  }

  /** The output content block: text, or a toolUse. */
  static ObjectNode block(Reply r, String toolUseId) {
    ObjectNode block = Call.object();
    if (r.kind == Reply.Kind.TOOL) {
      block.putObject("toolUse").put("toolUseId", toolUseId).put("name", r.toolName).set("input", r.toolArgs);
    } else {
      block.put("text", r.text);
    }
    return block;
  }

  private void converse(Call c, JsonNode req, String requestId, boolean streamed) throws IOException {
    Reply r = Reply.of(c, conversation(req));
    // A guardrail stops the request before the model runs: no output tokens.
    long output = r.kind == Reply.Kind.REFUSAL ? 0 : r.output;
    long cacheRead = r.input / 2;
    long cacheWrite = r.input / 4;
    long input = r.input - cacheRead - cacheWrite;
    ObjectNode usage = Call.object().put("inputTokens", input).put("outputTokens", output)
        .put("totalTokens", input + output + cacheRead + cacheWrite)
        .put("cacheReadInputTokens", cacheRead).put("cacheWriteInputTokens", cacheWrite);
    ObjectNode metrics = Call.object().put("latencyMs", Answers.latencyMillis(output));
    String toolUseId = "tooluse_mock" + c.n;
    boolean stream = c.streams(streamed);
    MockLlmServer.Sent.Builder sent = MockLlmServer.Sent.builder("aws.bedrock", "chat", c.model, stream)
        .id(requestId).text(r.text).finish(stopReason(r)).tokens(r.input, output).cache(cacheRead, cacheWrite);
    if (r.kind == Reply.Kind.TOOL) {
      sent.tool(toolUseId, r.toolName, r.argsJson());
    }
    if (!stream) {
      ObjectNode body = Call.object();
      ObjectNode message = body.putObject("output").putObject("message").put("role", "assistant");
      message.putArray("content").add(block(r, toolUseId));
      body.put("stopReason", stopReason(r));
      body.set("usage", usage);
      body.set("metrics", metrics);
      c.answer(JSON_TYPE, body, sent);
      return;
    }
    Script s = new Script();
    List<Event> events = events(r, toolUseId);
    ObjectNode metadata = Call.object();
    metadata.set("usage", usage);
    metadata.set("metrics", metrics);
    events.add(new Event("metadata", metadata, Script.Role.END));
    for (int k = 0; k < events.size(); k++) {
      Event e = events.get(k);
      s.add(EventStreamWriter.event(e.type, json(e.payload.deepCopy().put("p", pad(k)))), e.role);
    }
    c.play(EVENT_STREAM, s, streamError(), sent);
  }

  /** The events of a Converse stream up to messageStop; text blocks get no contentBlockStart. */
  static List<Event> events(Reply r, String toolUseId) {
    List<Event> out = new ArrayList<>();
    out.add(new Event("messageStart", Call.object().put("role", "assistant"), Script.Role.FRAME));
    if (r.kind == Reply.Kind.TOOL) {
      ObjectNode start = Call.object();
      start.putObject("start").putObject("toolUse").put("toolUseId", toolUseId).put("name", r.toolName);
      out.add(new Event("contentBlockStart", start.put("contentBlockIndex", 0), Script.Role.FRAME));
      for (String slice : Answers.slices(r.argsJson(), 8)) {
        ObjectNode delta = Call.object().put("contentBlockIndex", 0);
        delta.putObject("delta").putObject("toolUse").put("input", slice);
        out.add(new Event("contentBlockDelta", delta, Script.Role.PIECE));
      }
    } else {
      for (String piece : Answers.boundedPieces(r.text, MAX_PIECE)) {
        ObjectNode delta = Call.object().put("contentBlockIndex", 0);
        delta.putObject("delta").put("text", piece);
        out.add(new Event("contentBlockDelta", delta, Script.Role.PIECE));
      }
    }
    out.add(new Event("contentBlockStop", Call.object().put("contentBlockIndex", 0), Script.Role.FRAME));
    out.add(new Event("messageStop", Call.object().put("stopReason", stopReason(r)), Script.Role.FRAME));
    return out;
  }

  /** The exception frame a stream ends with when the model fails mid-answer. */
  static byte[] streamError() throws IOException {
    ObjectNode e = Call.object().put("message", "The mock model failed mid-stream on purpose.")
        .put("originalStatusCode", 500).put("originalMessage", "mock model error");
    return EventStreamWriter.exception("modelStreamErrorException", json(e));
  }

  /** Bedrock pads every stream payload with a field {@code p} of varying length; here a fixed function of the index. */
  static String pad(int k) {
    return PAD.substring(0, 4 + (k * 7) % 30);
  }

  static byte[] json(JsonNode node) throws IOException {
    return Call.JSON.writeValueAsBytes(node);
  }

  /** Decodes %XX escapes (as UTF-8) and leaves everything else, including '+', alone. */
  static String percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int i = 0;
    while (i < s.length()) {
      int hex = s.charAt(i) == '%' && i + 2 < s.length() ? hex(s.substring(i + 1, i + 3)) : -1;
      if (hex >= 0) {
        out.write(hex);
        i += 3;
      } else {
        int cp = s.codePointAt(i);
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp);
      }
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  private static int hex(String two) {
    try {
      return Integer.parseInt(two, 16);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  void fail(Call c, Failure failure, String message) throws IOException {
    int status;
    String type;
    String text;
    switch (failure) {
      case NO_ENDPOINT:
        status = 404;
        type = "UnknownOperationException";
        text = "Unknown operation: " + c.method + " " + c.path;
        break;
      case BAD_REQUEST:
        status = 400;
        type = "ValidationException";
        text = "Malformed input request: the body is not JSON.";
        break;
      case NO_MODEL:
        status = 404;
        type = "ResourceNotFoundException";
        text = "The model " + c.model + " does not exist on the mock server.";
        break;
      case RATE_LIMIT:
        status = 429;
        type = "ThrottlingException";
        text = "Too many requests for " + c.model + "; the mock server throttles it on purpose.";
        break;
      case OVERLOADED:
        status = 503;
        type = "ServiceUnavailableException";
        text = "The mock model is overloaded; try again later.";
        break;
      default:
        status = 500;
        type = "InternalServerException";
        text = "The mock server failed on purpose.";
    }
    c.header("x-amzn-ErrorType", type + ":http://internal.amazon.com/coral/com.amazon.bedrock/");
    c.sendJson(status, JSON_TYPE, Call.object().put("message", message != null ? message : text));
  }
}
