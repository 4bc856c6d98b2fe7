package io.tracelight.core.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A request body's contract, without its values: the shape hash (members and value types, members
 * sorted, an array as the set of its elements' shapes, so more messages or other words give the same
 * hash) and the tools hash (the SHA-256 of the {@code tools} array as sent, top level or under
 * {@code toolConfig} for Bedrock). A changed tool schema or request contract shows as a new hash,
 * the way a changed system prompt does. Stateless; any thread.
 */
public final class RequestShape {
  private static final int MAX_DEPTH = 32;

  public final String shapeHash;
  /** Null when the request offered no tools. */
  public final String toolsHash;

  private RequestShape(String shapeHash, String toolsHash) {
    this.shapeHash = shapeHash;
    this.toolsHash = toolsHash;
  }

  /** The shape of a JSON object body, or null when it is not one (or not whole). */
  public static RequestShape of(byte[] body, int length) {
    try (JsonParser p = Json.parser(body, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      String[] tools = new String[1];
      String shape = object(p, body, 0, tools, true);
      if (p.nextToken() != null) {
        return null;
      }
      byte[] bytes = shape.getBytes(StandardCharsets.UTF_8);
      return new RequestShape(Sha256.hex(bytes, 0, bytes.length), tools[0]);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** {@code toolsHere}: a {@code tools} array among this object's members is the request's tools. */
  private static String object(JsonParser p, byte[] body, int depth, String[] tools, boolean toolsHere)
      throws IOException {
    TreeMap<String, String> members = new TreeMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      boolean toolList = toolsHere && t == JsonToken.START_ARRAY && name.equals("tools") && tools[0] == null;
      int start = toolList ? (int) p.currentTokenLocation().getByteOffset() : -1;
      String shape = value(p, body, depth + 1, tools, toolsHere && name.equals("toolConfig"));
      if (toolList) {
        int end = (int) p.currentLocation().getByteOffset();
        tools[0] = Sha256.hex(body, start, end - start);
      }
      members.put(name, shape);
    }
    StringBuilder b = new StringBuilder("{");
    for (java.util.Map.Entry<String, String> m : members.entrySet()) {
      b.append(m.getKey()).append(':').append(m.getValue()).append(',');
    }
    return b.append('}').toString();
  }

  private static String value(JsonParser p, byte[] body, int depth, String[] tools, boolean toolConfig)
      throws IOException {
    JsonToken t = p.currentToken();
    if (depth > MAX_DEPTH && (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY)) {
      p.skipChildren();
      return "deep";
    }
    switch (t) {
      case START_OBJECT:
        return object(p, body, depth, tools, toolConfig);
      case START_ARRAY:
        TreeSet<String> elements = new TreeSet<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          elements.add(value(p, body, depth + 1, tools, false));
        }
        List<String> sorted = new ArrayList<>(elements);
        return "[" + String.join("|", sorted) + "]";
      case VALUE_STRING:
        return "s";
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return "n";
      case VALUE_TRUE:
      case VALUE_FALSE:
        return "b";
      default:
        return "null";
    }
  }
}
