package io.tracelight.core.export.otlp;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tracelight.core.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * OTLP/HTTP's JSON encoding ({@code http/json}), transcoded from the protobuf the encoders wrote, so
 * that both encodings come from one writer and say the same. The OTLP rules: field names in
 * lowerCamelCase, trace and span ids as hex (not base64), 64-bit integers as decimal strings, enums
 * as numbers. Only the fields Tracelight writes are mapped; any other is a bug and fails loudly.
 * Stateless; any thread.
 */
final class OtlpJson {
  private enum Kind { MESSAGE, STRING, HEX, INT64, NUMBER, BOOL, DOUBLE, PACKED_INT64, PACKED_DOUBLE }

  private static final class Field {
    final String name;
    final Kind kind;
    final boolean repeated;
    final Message type;

    Field(String name, Kind kind, boolean repeated, Message type) {
      this.name = name;
      this.kind = kind;
      this.repeated = repeated;
      this.type = type;
    }
  }

  /** A message type: its fields by number. */
  static final class Message {
    private final Field[] fields = new Field[17];

    private Message field(int number, String name, Kind kind) {
      fields[number] = new Field(name, kind, false, null);
      return this;
    }

    private Message repeated(int number, String name, Message type) {
      fields[number] = new Field(name, Kind.MESSAGE, true, type);
      return this;
    }

    private Message message(int number, String name, Message type) {
      fields[number] = new Field(name, Kind.MESSAGE, false, type);
      return this;
    }
  }

  /** {@code ExportTraceServiceRequest}, {@code ExportMetricsServiceRequest} and {@code ExportLogsServiceRequest}, as far as Tracelight writes them. */
  static final Message TRACES = new Message();
  static final Message METRICS = new Message();
  static final Message LOGS = new Message();

  static {
    Message anyValue = new Message();
    Message arrayValue = new Message().repeated(1, "values", anyValue);
    anyValue.field(1, "stringValue", Kind.STRING).field(2, "boolValue", Kind.BOOL).field(3, "intValue", Kind.INT64)
        .field(4, "doubleValue", Kind.DOUBLE).message(5, "arrayValue", arrayValue);
    Message keyValue = new Message().field(1, "key", Kind.STRING).message(2, "value", anyValue);
    Message resource = new Message().repeated(1, "attributes", keyValue);
    Message scope = new Message().field(1, "name", Kind.STRING).field(2, "version", Kind.STRING);
    Message status = new Message().field(2, "message", Kind.STRING).field(3, "code", Kind.NUMBER);
    Message span = new Message().field(1, "traceId", Kind.HEX).field(2, "spanId", Kind.HEX)
        .field(4, "parentSpanId", Kind.HEX).field(5, "name", Kind.STRING).field(6, "kind", Kind.NUMBER)
        .field(7, "startTimeUnixNano", Kind.INT64).field(8, "endTimeUnixNano", Kind.INT64)
        .repeated(9, "attributes", keyValue).message(15, "status", status).field(16, "flags", Kind.NUMBER);
    Message scopeSpans = new Message().message(1, "scope", scope).repeated(2, "spans", span);
    Message resourceSpans = new Message().message(1, "resource", resource).repeated(2, "scopeSpans", scopeSpans);
    TRACES.repeated(1, "resourceSpans", resourceSpans);

    Message histogramPoint = new Message().field(2, "startTimeUnixNano", Kind.INT64)
        .field(3, "timeUnixNano", Kind.INT64).field(4, "count", Kind.INT64).field(5, "sum", Kind.DOUBLE)
        .field(6, "bucketCounts", Kind.PACKED_INT64).field(7, "explicitBounds", Kind.PACKED_DOUBLE)
        .repeated(9, "attributes", keyValue).field(11, "min", Kind.DOUBLE).field(12, "max", Kind.DOUBLE);
    Message numberPoint = new Message().field(2, "startTimeUnixNano", Kind.INT64)
        .field(3, "timeUnixNano", Kind.INT64).field(4, "asDouble", Kind.DOUBLE).field(6, "asInt", Kind.INT64)
        .repeated(7, "attributes", keyValue);
    Message histogram = new Message().repeated(1, "dataPoints", histogramPoint)
        .field(2, "aggregationTemporality", Kind.NUMBER);
    Message sum = new Message().repeated(1, "dataPoints", numberPoint).field(2, "aggregationTemporality", Kind.NUMBER)
        .field(3, "isMonotonic", Kind.BOOL);
    Message metric = new Message().field(1, "name", Kind.STRING).field(2, "description", Kind.STRING)
        .field(3, "unit", Kind.STRING).message(7, "sum", sum).message(9, "histogram", histogram);
    Message scopeMetrics = new Message().message(1, "scope", scope).repeated(2, "metrics", metric);
    Message resourceMetrics = new Message().message(1, "resource", resource).repeated(2, "scopeMetrics", scopeMetrics);
    METRICS.repeated(1, "resourceMetrics", resourceMetrics);

    Message logRecord = new Message().field(1, "timeUnixNano", Kind.INT64).field(2, "severityNumber", Kind.NUMBER)
        .field(3, "severityText", Kind.STRING).message(5, "body", anyValue).repeated(6, "attributes", keyValue)
        .field(11, "observedTimeUnixNano", Kind.INT64).field(12, "eventName", Kind.STRING);
    Message scopeLogs = new Message().message(1, "scope", scope).repeated(2, "logRecords", logRecord);
    Message resourceLogs = new Message().message(1, "resource", resource).repeated(2, "scopeLogs", scopeLogs);
    LOGS.repeated(1, "resourceLogs", resourceLogs);
  }

  private OtlpJson() {}

  /** The JSON for the {@code length} first bytes of {@code proto}, a message of type {@code root}. */
  static byte[] transcode(byte[] proto, int length, Message root) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(length * 2 + 64);
    try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      message(g, new Cursor(proto, 0), length, root);
    }
    return out.toByteArray();
  }

  /** Reads the wire format forward. */
  private static final class Cursor {
    final byte[] bytes;
    int pos;

    Cursor(byte[] bytes, int pos) {
      this.bytes = bytes;
      this.pos = pos;
    }

    long varint() {
      long value = 0;
      for (int shift = 0; shift < 64; shift += 7) {
        byte b = bytes[pos++];
        value |= (long) (b & 0x7f) << shift;
        if (b >= 0) {
          return value;
        }
      }
      throw new IllegalStateException("varint longer than 10 bytes");
    }

    long fixed64() {
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value |= (bytes[pos++] & 0xffL) << (8 * i);
      }
      return value;
    }

    int fixed32() {
      int value = 0;
      for (int i = 0; i < 4; i++) {
        value |= (bytes[pos++] & 0xff) << (8 * i);
      }
      return value;
    }
  }

  private static void message(JsonGenerator g, Cursor in, int end, Message type) throws IOException {
    g.writeStartObject();
    int openArray = -1; // the repeated field whose array is open: the encoders write a repeated field's elements together
    while (in.pos < end) {
      long tag = in.varint();
      int number = (int) (tag >>> 3);
      int wireType = (int) (tag & 7);
      Field f = number < type.fields.length ? type.fields[number] : null;
      if (f == null) {
        throw new IllegalStateException("OTLP field " + number + " has no JSON mapping");
      }
      if (number != openArray && openArray >= 0) {
        g.writeEndArray();
        openArray = -1;
      }
      if (f.repeated) {
        if (openArray < 0) {
          g.writeArrayFieldStart(f.name);
          openArray = number;
        }
      } else {
        g.writeFieldName(f.name);
      }
      value(g, in, wireType, f);
    }
    if (openArray >= 0) {
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static void value(JsonGenerator g, Cursor in, int wireType, Field f) throws IOException {
    switch (f.kind) {
      case MESSAGE: {
        int length = (int) in.varint();
        message(g, in, in.pos + length, f.type);
        break;
      }
      case STRING: {
        int length = (int) in.varint();
        g.writeString(new String(in.bytes, in.pos, length, StandardCharsets.UTF_8));
        in.pos += length;
        break;
      }
      case HEX: {
        int length = (int) in.varint();
        char[] hex = new char[length * 2];
        for (int i = 0; i < length; i++) {
          int b = in.bytes[in.pos + i] & 0xff;
          hex[2 * i] = Character.forDigit(b >> 4, 16);
          hex[2 * i + 1] = Character.forDigit(b & 0xf, 16);
        }
        g.writeString(hex, 0, hex.length);
        in.pos += length;
        break;
      }
      case INT64:
        g.writeString(Long.toString(wireType == 0 ? in.varint() : in.fixed64()));
        break;
      case NUMBER:
        g.writeNumber(wireType == 5 ? in.fixed32() & 0xffffffffL : in.varint());
        break;
      case BOOL:
        g.writeBoolean(in.varint() != 0);
        break;
      case DOUBLE:
        g.writeNumber(Double.longBitsToDouble(in.fixed64()));
        break;
      case PACKED_INT64: {
        int end = in.pos + (int) in.varint();
        g.writeStartArray();
        while (in.pos < end) {
          g.writeString(Long.toString(in.fixed64()));
        }
        g.writeEndArray();
        break;
      }
      case PACKED_DOUBLE: {
        int end = in.pos + (int) in.varint();
        g.writeStartArray();
        while (in.pos < end) {
          g.writeNumber(Double.longBitsToDouble(in.fixed64()));
        }
        g.writeEndArray();
        break;
      }
      default:
        throw new IllegalStateException(f.kind.name());
    }
  }
}
