package io.tracelight.core.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.AttributeKey;
import io.tracelight.core.protocol.Json;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A record of {@code calls.jsonl} read back into an {@link AiCall}: the envelope's time, duration and
 * status, and every attribute the schema declares, typed as declared (others are skipped), so the
 * drift stage's own code can read a past run's calls. One thread per reader.
 */
final class RecordReader {
  private final Map<String, AttributeKey<?>> keys = new HashMap<>();

  RecordReader() {
    io.tracelight.core.model.Keys.PROVIDER.getClass(); // the schema's keys are registered as their class loads
    for (AttributeKey<?> k : AttributeKey.all()) {
      keys.put(k.name, k);
    }
  }

  /** The call the line records, or null when the line is not a record (a torn last line, say). */
  AiCall read(byte[] line, int length) {
    AiCall call = new AiCall();
    try (JsonParser p = Json.parser(line, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "timestamp":
            Instant at = Instant.parse(p.getText());
            call.startEpochNanos = at.getEpochSecond() * 1_000_000_000L + at.getNano();
            break;
          case "duration_ms":
            call.durationNanos = (long) (p.getDoubleValue() * 1_000_000);
            break;
          case "status":
            call.error = "error".equals(p.getText());
            break;
          default:
            AttributeKey<?> key = keys.get(name);
            if (key == null || t == JsonToken.VALUE_NULL) {
              p.skipChildren();
            } else {
              set(call, key, p, t);
            }
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    return call.startEpochNanos != 0 ? call : null;
  }

  @SuppressWarnings("unchecked")
  private static void set(AiCall call, AttributeKey<?> key, JsonParser p, JsonToken t) throws IOException {
    switch (key.type) {
      case STRING:
        call.set((AttributeKey<String>) key, p.getText());
        break;
      case INT:
        if (t == JsonToken.VALUE_NUMBER_INT) {
          call.set((AttributeKey<Long>) key, p.getLongValue());
        }
        break;
      case DOUBLE:
        if (t.isNumeric()) {
          call.set((AttributeKey<Double>) key, p.getDoubleValue());
        }
        break;
      case BOOLEAN:
        if (t.isBoolean()) {
          call.set((AttributeKey<Boolean>) key, t == JsonToken.VALUE_TRUE);
        }
        break;
      case STRINGS:
        if (t == JsonToken.START_ARRAY) {
          List<String> values = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            values.add(p.getText());
          }
          call.set((AttributeKey<List<String>>) key, values);
        }
        break;
      default:
        p.skipChildren();
    }
  }
}
