package io.tracelight.core.protocol.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import java.io.IOException;

/**
 * Google's error envelope ({@code google.rpc.Status} as JSON): {@code status} (e.g.
 * {@code RESOURCE_EXHAUSTED}) is the error type; an {@code ErrorInfo} detail's {@code reason}
 * (e.g. {@code API_KEY_INVALID}) is the finer code. Some endpoints wrap it in an array.
 */
final class GeminiErrors {
  private GeminiErrors() {}

  static void body(byte[] body, int length, AiCall call) throws IOException {
    try (JsonParser p = Json.parser(body, 0, length)) {
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_ARRAY) {
        p.nextToken();
      }
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("error")) {
          error(p, call);
        } else {
          p.skipChildren();
        }
      }
    }
  }

  static void error(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    String status = null;
    String reason = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("status")) {
        status = Json.string(p);
      } else if (field.equals("details") && p.currentToken() == JsonToken.START_ARRAY) {
        while (p.nextToken() == JsonToken.START_OBJECT) {
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String detail = p.currentName();
            p.nextToken();
            if (detail.equals("reason") && reason == null) {
              reason = Json.string(p);
            } else {
              p.skipChildren();
            }
          }
        }
      } else {
        p.skipChildren();
      }
    }
    call.fail(status != null ? status : "error");
    call.setIfAbsent(Keys.ERROR_CODE, reason);
  }
}
