package io.tracelight.core.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.Content;
import java.io.IOException;

/**
 * A message's content as the chat APIs spell it: a string, or an array of parts of which the text
 * ones ({@code {"type":"text","text":...}}, OpenAI's {@code input_text}, Gemini's untyped
 * {@code {"text":...}}, or a bare string) are concatenated. Images, audio, tool calls and results
 * are skipped. Stateless.
 */
public final class TextParts {
  private TextParts() {}

  /** Appends the text of the value at the parser to {@code out}; false when it held none. */
  public static boolean read(JsonParser p, StringBuilder out) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      out.append(p.getText());
      return true;
    }
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return false;
    }
    boolean any = false;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        out.append(p.getText());
        any = true;
        continue;
      }
      if (p.currentToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      String type = null;
      String text = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("type")) {
          type = Json.string(p);
        } else if (field.equals("text")) {
          text = Json.string(p);
        } else {
          p.skipChildren();
        }
      }
      if (text != null && (type == null || "text".equals(type) || "input_text".equals(type)
          || "output_text".equals(type))) {
        out.append(text);
        any = true;
      }
    }
    return any;
  }

  /**
   * An array of {@code {"role":..., <contentField>:...}} messages: each one's text to the input of
   * {@code into}, with its role. Returns when the array ends.
   */
  public static void messages(JsonParser p, String contentField, Content into) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    StringBuilder text = new StringBuilder();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      String role = null;
      text.setLength(0);
      boolean any = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("role")) {
          role = Json.string(p);
        } else if (field.equals(contentField)) {
          any = read(p, text);
        } else {
          p.skipChildren();
        }
      }
      if (any) {
        into.input(role, text.toString());
      }
    }
  }
}
