package io.tracelight.mock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** What the mock model says, before a provider puts it in its own form. */
final class Reply {
  enum Kind { TEXT, TOOL, REFUSAL }

  private static final ObjectMapper JSON = new ObjectMapper();

  final Kind kind;
  /** The text the client sees ({@code ""} for a tool call). */
  final String text;
  /** Input tokens, all of the prompt (what OpenTelemetry calls input). */
  final long input;
  /** Output tokens, without reasoning. */
  final long output;
  final String toolName;
  final ObjectNode toolArgs;
  /** The answer stopped at the token limit ({@code mock-length}): OpenAI says {@code length}, Anthropic {@code max_tokens}. */
  final boolean cut;

  private Reply(Kind kind, String text, long input, long output, String toolName, ObjectNode toolArgs) {
    this.cut = false;
    this.kind = kind;
    this.text = text;
    this.input = input;
    this.output = output;
    this.toolName = toolName;
    this.toolArgs = toolArgs;
  }

  /** The reply a model name asks for: a tool call, a refusal, or the answer text. */
  static Reply of(Call c, Conversation conv) {
    if (c.special == Special.TOOLS && !conv.toolResultLast) {
      return tool(conv);
    }
    if (c.special == Special.REFUSAL) {
      return new Reply(Kind.REFUSAL, Answers.REFUSAL, conv.promptTokens(), Answers.words(Answers.REFUSAL), null, null);
    }
    return text(c, conv);
  }

  private Reply(String text, long input, long output) {
    this.cut = true;
    this.kind = Kind.TEXT;
    this.text = text;
    this.input = input;
    this.output = output;
    this.toolName = null;
    this.toolArgs = null;
  }

  /** The answer text; tokens count the ordinary sentence even when mock-big sends 50 MB. */
  static Reply text(Call c, Conversation conv) {
    String normal = c.special == Special.PII ? Answers.PII : c.special == Special.SORRY ? Answers.SORRY
        : c.special == Special.BAD_JSON ? Answers.BAD_JSON : Answers.text(c.model, conv.messages);
    if (c.special == Special.DRIFT && c.drift > 0) {
      normal = c.driftRefuses() ? Answers.SORRY : normal + " " + normal + " " + normal;
    }
    if (c.special == Special.LENGTH) {
      String half = normal.substring(0, normal.length() / 2);
      return new Reply(half, conv.promptTokens(), Answers.words(half));
    }
    String text = c.special == Special.BIG ? "a".repeat(Answers.BIG_CHARS) : normal;
    return new Reply(Kind.TEXT, text, conv.promptTokens(), Answers.words(normal), null, null);
  }

  private static Reply tool(Conversation conv) {
    String name = conv.toolName != null ? conv.toolName : "get_weather";
    ObjectNode args = conv.toolName != null ? arguments(conv.toolSchema) : JSON.createObjectNode().put("city", "Lisbon");
    return new Reply(Kind.TOOL, "", conv.promptTokens(), 8 + args.toString().length() / 4, name, args);
  }

  String argsJson() {
    return toolArgs == null ? "" : toolArgs.toString();
  }

  /** Arguments that fit a JSON schema: its required properties (or all), each with a value of its type. */
  static ObjectNode arguments(JsonNode schema) {
    ObjectNode args = JSON.createObjectNode();
    if (schema == null) {
      return args;
    }
    Set<String> required = new HashSet<>();
    for (JsonNode r : schema.path("required")) {
      required.add(r.asText());
    }
    for (Map.Entry<String, JsonNode> p : schema.path("properties").properties()) {
      if (required.isEmpty() || required.contains(p.getKey())) {
        args.set(p.getKey(), sample(p.getValue()));
      }
    }
    return args;
  }

  private static JsonNode sample(JsonNode prop) {
    if (prop.path("enum").isArray() && prop.path("enum").size() > 0) {
      return prop.path("enum").get(0);
    }
    switch (prop.path("type").asText("string").toLowerCase(java.util.Locale.ROOT)) {
      case "integer":
      case "number":
        return JSON.getNodeFactory().numberNode(1);
      case "boolean":
        return JSON.getNodeFactory().booleanNode(true);
      case "array":
        return JSON.createArrayNode();
      case "object":
        return arguments(prop);
      default:
        return JSON.getNodeFactory().textNode("mock");
    }
  }
}
