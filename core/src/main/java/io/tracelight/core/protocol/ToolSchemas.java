package io.tracelight.core.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.OutputFacts;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The tools a request declares, as each provider spells them, read for the names and the
 * top-level {@code required} arguments of their JSON schemas: OpenAI chat
 * ({@code {"type":"function","function":{"name","parameters"}}}), the Responses API
 * ({@code {"type":"function","name","parameters"}}), Anthropic ({@code name}, {@code input_schema}),
 * Gemini ({@code functionDeclarations[]} with {@code parameters} or {@code parametersJsonSchema}),
 * Bedrock Converse ({@code toolSpec} with {@code inputSchema.json}), Ollama (OpenAI's shape).
 * Stateless.
 */
public final class ToolSchemas {
  private ToolSchemas() {}

  /** Reads a tools array into {@code facts}; returns how many elements it had (0 when not an array). */
  public static long read(JsonParser p, OutputFacts facts) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return 0;
    }
    long count = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      count++;
      tool(p, facts);
    }
    return count;
  }

  /** One tool object (or a nested {@code function}/{@code toolSpec}); anything else is skipped. */
  private static void tool(JsonParser p, OutputFacts facts) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    String name = null;
    List<String> required = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "name":
          name = Json.string(p);
          break;
        case "function":
        case "toolSpec":
          tool(p, facts);
          break;
        case "functionDeclarations":
        case "function_declarations":
          read(p, facts);
          break;
        case "parameters":
        case "input_schema":
        case "parametersJsonSchema":
        case "parameters_json_schema":
          required = required(p);
          break;
        case "inputSchema": // Bedrock: {"json": schema}
          required = wrapped(p, "json");
          break;
        default:
          p.skipChildren();
      }
    }
    if (name != null) {
      facts.toolRequires(name, required == null ? Collections.emptyList() : required);
    }
  }

  /**
   * An answer format object: OpenAI chat's {@code response_format}
   * ({@code {"type":"json_schema","json_schema":{"schema":...}}} or {@code json_object}), the
   * Responses API's {@code text.format} and Anthropic's {@code output_config.format} /
   * {@code output_format} ({@code {"type":"json_schema","schema":...}}): a JSON answer asked for,
   * with the schema's top-level required members.
   */
  public static void answerFormat(JsonParser p, OutputFacts facts) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    String type = null;
    List<String> required = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("type")) {
        type = Json.string(p);
      } else if (field.equals("schema")) {
        required = required(p);
      } else if (field.equals("json_schema")) {
        List<String> inner = wrapped(p, "schema");
        required = inner != null ? inner : required;
      } else {
        p.skipChildren();
      }
    }
    if ("json_object".equals(type) || "json_schema".equals(type)) {
      facts.jsonRequested = true;
      facts.answerRequired = required;
    }
  }

  private static List<String> wrapped(JsonParser p, String member) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    List<String> required = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals(member)) {
        required = required(p);
      } else {
        p.skipChildren();
      }
    }
    return required;
  }

  /**
   * A JSON schema's top-level {@code required} names (empty when it names none), the parser at
   * the schema; null when the value is not an object.
   */
  public static List<String> required(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    List<String> required = Collections.emptyList();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("required") && p.currentToken() == JsonToken.START_ARRAY) {
        required = new ArrayList<>(4);
        while (p.nextToken() != JsonToken.END_ARRAY) {
          String name = Json.string(p);
          if (name != null) {
            required.add(name);
          }
        }
      } else {
        p.skipChildren();
      }
    }
    return required;
  }

  /** The top-level keys of a JSON object at the parser (its values skipped); null when not an object. */
  public static List<String> keys(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    List<String> keys = new ArrayList<>(4);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      keys.add(p.currentName());
      p.nextToken();
      p.skipChildren();
    }
    return keys;
  }
}
