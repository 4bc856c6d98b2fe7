package io.tracelight.core.protocol.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import java.io.IOException;

/**
 * Embedding responses: {@code embedding.values} or {@code embeddings[].values} (AI Studio),
 * {@code predictions[].embeddings.values} with per-input {@code statistics.token_count} (Vertex
 * {@code :predict}); the vector length of the first, and usage where the server sent any.
 */
final class GeminiEmbeddings {
  private GeminiEmbeddings() {}

  static void decode(byte[] body, int length, AiCall call) throws IOException {
    Counts counts = new Counts();
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "embedding":
            counts.vector(p);
            break;
          case "embeddings":
          case "predictions":
            if (p.currentToken() == JsonToken.START_ARRAY) {
              while (p.nextToken() == JsonToken.START_OBJECT) {
                counts.vector(p);
              }
            } else {
              p.skipChildren();
            }
            break;
          case "usageMetadata":
            GeminiResponses.usage(p, call);
            break;
          default:
            p.skipChildren();
        }
      }
      Json.expectEnd(p);
    }
    if (counts.dimensions >= 0) {
      call.set(Keys.EMBEDDING_DIMENSIONS, counts.dimensions);
    }
    if (counts.tokens >= 0 && !call.has(Keys.INPUT_TOKENS)) {
      call.set(Keys.INPUT_TOKENS, counts.tokens);
    }
  }

  /** Walks one embedding object (or a Vertex prediction holding one) for its values and token count. */
  private static final class Counts {
    long dimensions = -1;
    long tokens = -1;

    void vector(JsonParser p) throws IOException {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        return;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("values")) {
          long n = Json.countArray(p);
          if (dimensions < 0) {
            dimensions = n;
          }
        } else if (field.equals("embeddings") || field.equals("statistics")) {
          vector(p);
        } else if (field.equals("token_count")) {
          Long t = Json.integer(p);
          if (t != null) {
            tokens = Math.max(tokens, 0) + t;
          }
        } else {
          p.skipChildren();
        }
      }
    }
  }
}
