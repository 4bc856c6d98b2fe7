package io.tracelight.core.quality;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.OutputFacts;
import io.tracelight.core.protocol.Json;
import java.io.IOException;
import java.util.List;

/**
 * Whether an answer is what the request asked for: one JSON value when a JSON mode or schema was
 * requested, an object with the schema's top-level required members; tool call arguments a JSON
 * object with the tool's required parameters. Problems are described by kind and by the schema's
 * member names only, never by the answer's text. Stateless.
 */
public final class FormatChecks {
  private FormatChecks() {}

  /**
   * The problem with a JSON answer, or null when it has none: {@code not_json},
   * {@code not_object} (a schema asked for an object), {@code missing:<member>}.
   */
  public static String answerProblem(CharSequence answer, List<String> required) {
    List<String> keys;
    try {
      keys = topLevelKeys(answer.toString(), required != null);
    } catch (IOException | RuntimeException e) {
      return "not_json";
    }
    if (required == null) {
      return null;
    }
    if (keys == null) {
      return "not_object";
    }
    return missing(keys, required);
  }

  /**
   * The problem with a tool call's arguments, or null: {@code not_json}, {@code not_object},
   * {@code missing:<parameter>}. A call of a tool the request did not declare is checked for
   * being an object only. Empty text counts as an empty object (a tool without parameters).
   */
  public static String toolProblem(OutputFacts.ToolCall call, List<String> required) {
    List<String> keys = call.keys;
    if (keys == null && call.text != null) {
      String text = call.text.toString();
      if (text.trim().isEmpty()) {
        keys = java.util.Collections.emptyList();
      } else {
        try {
          keys = topLevelKeys(text, true);
        } catch (IOException | RuntimeException e) {
          return "not_json";
        }
        if (keys == null) {
          return "not_object";
        }
      }
    }
    if (keys == null || required == null) {
      return null; // nothing read, or nothing to compare with
    }
    return missing(keys, required);
  }

  private static String missing(List<String> keys, List<String> required) {
    for (String name : required) {
      if (!keys.contains(name)) {
        return "missing:" + name;
      }
    }
    return null;
  }

  /**
   * Parses {@code text} as exactly one JSON value (surrounding whitespace allowed); returns the
   * top-level keys when it is an object and {@code wantKeys}, else null. Throws when it is not JSON.
   */
  private static List<String> topLevelKeys(String text, boolean wantKeys) throws IOException {
    try (JsonParser p = Json.FACTORY.createParser(text)) {
      JsonToken first = p.nextToken();
      if (first == null) {
        throw new IOException("empty");
      }
      List<String> keys = null;
      if (first == JsonToken.START_OBJECT && wantKeys) {
        keys = new java.util.ArrayList<>(4);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          keys.add(p.currentName());
          p.nextToken();
          skipValue(p);
        }
      } else {
        skipValue(p);
      }
      if (p.nextToken() != null) {
        throw new IOException("more than one value");
      }
      return keys;
    }
  }

  /** Skips the value at the parser, reading every token so malformed content inside it throws. */
  private static void skipValue(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
      int depth = 1;
      while (depth > 0) {
        JsonToken next = p.nextToken();
        if (next == null) {
          throw new IOException("cut");
        }
        if (next == JsonToken.START_OBJECT || next == JsonToken.START_ARRAY) {
          depth++;
        } else if (next == JsonToken.END_OBJECT || next == JsonToken.END_ARRAY) {
          depth--;
        }
      }
    }
  }
}
