package io.tracelight.core.protocol.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Walks a JSON value and shows every member to a visitor under its dotted path (array elements
 * share their array's path: {@code results.outputText}). Bedrock's model families each name the
 * same things differently, and one table of paths reads them all.
 */
final class JsonWalk {
  /** Sees each member; returns true when it read (consumed) a container value itself. */
  interface Visitor {
    boolean visit(String path, JsonParser p) throws IOException;
  }

  private JsonWalk() {}

  /** Walks the value the parser is at. */
  static void walk(JsonParser p, Visitor visitor) throws IOException {
    walk(p, new StringBuilder(64), visitor);
  }

  private static void walk(JsonParser p, StringBuilder path, Visitor visitor) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.START_OBJECT) {
      int length = path.length();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        path.setLength(length);
        if (length > 0) {
          path.append('.');
        }
        path.append(name);
        boolean consumed = visitor.visit(path.toString(), p);
        if (!consumed && (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY)) {
          walk(p, path, visitor);
        }
      }
      path.setLength(length);
    } else if (t == JsonToken.START_ARRAY) {
      while (p.nextToken() != JsonToken.END_ARRAY) {
        if (p.currentToken() == JsonToken.START_OBJECT || p.currentToken() == JsonToken.START_ARRAY) {
          walk(p, path, visitor);
        }
      }
    }
  }
}
