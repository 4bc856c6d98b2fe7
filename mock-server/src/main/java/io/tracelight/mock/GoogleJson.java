package io.tracelight.mock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON the way Google's front ends print it: {@code "key": value} members joined by a bare comma
 * on one line (SSE events), or indented by two spaces (whole bodies and the streamed array).
 */
final class GoogleJson {
  private GoogleJson() {}

  static String compact(JsonNode node) {
    StringBuilder b = new StringBuilder();
    write(node, b, -1);
    return b.toString();
  }

  static String pretty(JsonNode node) {
    StringBuilder b = new StringBuilder();
    write(node, b, 0);
    return b.toString();
  }

  /** Writes a node; depth -1 means on one line. */
  private static void write(JsonNode node, StringBuilder b, int depth) {
    if (node.isObject() || node.isArray()) {
      boolean object = node.isObject();
      b.append(object ? '{' : '[');
      if (node.size() > 0) {
        Iterator<Map.Entry<String, JsonNode>> fields = object ? node.properties().iterator() : null;
        Iterator<JsonNode> elements = object ? null : node.elements();
        boolean first = true;
        while (object ? fields.hasNext() : elements.hasNext()) {
          b.append(first ? "" : ",");
          first = false;
          newline(b, depth < 0 ? -1 : depth + 1);
          JsonNode value;
          if (object) {
            Map.Entry<String, JsonNode> f = fields.next();
            b.append(scalar(Call.JSON.getNodeFactory().textNode(f.getKey()))).append(": ");
            value = f.getValue();
          } else {
            value = elements.next();
          }
          write(value, b, depth < 0 ? -1 : depth + 1);
        }
        newline(b, depth);
      }
      b.append(object ? '}' : ']');
    } else {
      b.append(scalar(node));
    }
  }

  private static void newline(StringBuilder b, int depth) {
    if (depth >= 0) {
      b.append('\n').append("  ".repeat(depth));
    }
  }

  private static String scalar(JsonNode node) {
    try {
      return Call.JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
