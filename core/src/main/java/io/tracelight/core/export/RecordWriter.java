package io.tracelight.core.export;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.AttributeKey;
import java.io.IOException;
import java.util.List;

/**
 * Writes an {@link AiCall} as one flat JSON object: the envelope, then every attribute set, under
 * its declared key and type. Absent values are left out. docs/schema.md lists every key.
 */
public final class RecordWriter {
  public static final String SCHEMA_VERSION = "1";

  private RecordWriter() {}

  public static void write(AiCall c, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("timestamp", IsoTimestamp.format(c.startEpochNanos));
    g.writeStringField("trace_id", c.traceId);
    g.writeStringField("span_id", c.spanId);
    if (c.parentSpanId != null) {
      g.writeStringField("parent_span_id", c.parentSpanId);
    }
    g.writeStringField("name", c.name());
    g.writeNumberField("duration_ms", c.durationNanos / 1_000_000.0);
    g.writeStringField("status", c.error ? "error" : "ok");
    g.writeStringField("schema_version", SCHEMA_VERSION);
    c.forEach(new AiCall.Visitor() { // no lambda: the first costs start-up time
      @Override
      public void visit(AttributeKey<?> key, Object value) throws IOException {
        attribute(g, key, value);
      }
    });
    g.writeEndObject();
  }

  private static void attribute(JsonGenerator g, AttributeKey<?> key, Object value) throws IOException {
    switch (key.type) {
      case STRING:
        g.writeStringField(key.name, (String) value);
        break;
      case INT:
        g.writeNumberField(key.name, (Long) value);
        break;
      case DOUBLE:
        g.writeNumberField(key.name, (Double) value);
        break;
      case BOOLEAN:
        g.writeBooleanField(key.name, (Boolean) value);
        break;
      case STRINGS:
        g.writeArrayFieldStart(key.name);
        for (Object item : (List<?>) value) {
          g.writeString(String.valueOf(item));
        }
        g.writeEndArray();
        break;
      default:
        throw new IllegalStateException("no writer for " + key.type);
    }
  }
}
