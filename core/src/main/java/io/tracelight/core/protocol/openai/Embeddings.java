package io.tracelight.core.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;

/**
 * Embeddings ({@code POST .../embeddings}): how many inputs, which dimensions and encoding were
 * asked for, and the vector length and usage that came back. Vectors are skipped, never held.
 */
final class Embeddings {
  private Embeddings() {}

  static void decodeRequest(byte[] body, int length, boolean complete, AiCall call) throws IOException {
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "model":
            call.set(Keys.REQUEST_MODEL, Json.string(p));
            break;
          case "input":
            call.set(Keys.EMBEDDING_INPUTS, inputCount(p));
            break;
          case "dimensions":
            call.set(Keys.EMBEDDING_DIMENSIONS, Json.integer(p));
            break;
          case "encoding_format":
            String format = Json.string(p);
            if (format != null) {
              call.set(Keys.ENCODING_FORMATS, new ArrayList<>(Collections.singletonList(format)));
            }
            break;
          default:
            p.skipChildren();
        }
      }
    }
  }

  /** A string, a token array ({@code [1, 2]}) or an array of either: how many inputs. */
  private static long inputCount(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return 1;
    }
    long n = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (n == 0 && (t == JsonToken.VALUE_NUMBER_INT)) {
        p.skipChildren();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          p.skipChildren();
        }
        return 1; // one input given as tokens
      }
      p.skipChildren();
      n++;
    }
    return n;
  }

  static void decodeResponse(byte[] body, int length, AiCall call) throws IOException {
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "model":
            call.set(Keys.RESPONSE_MODEL, Json.string(p));
            break;
          case "data":
            Long dimensions = firstVectorLength(p);
            if (dimensions != null) {
              call.set(Keys.EMBEDDING_DIMENSIONS, dimensions);
            }
            break;
          case "usage":
            OpenAiFields.usage(p, call);
            break;
          default:
            p.skipChildren();
        }
      }
      Json.expectEnd(p);
    }
  }

  /** The length of the first {@code embedding} (floats, or base64 of little-endian float32s). */
  private static Long firstVectorLength(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    Long length = null;
    while (p.nextToken() == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("embedding") && length == null) {
          if (p.currentToken() == JsonToken.VALUE_STRING) {
            length = (long) base64Length(p.getText()) / 4;
          } else {
            length = Json.countArray(p);
          }
        } else {
          p.skipChildren();
        }
      }
    }
    return length;
  }

  private static int base64Length(String b64) {
    int n = b64.length();
    int padding = n > 0 && b64.charAt(n - 1) == '=' ? (n > 1 && b64.charAt(n - 2) == '=' ? 2 : 1) : 0;
    return n / 4 * 3 - padding;
  }
}
