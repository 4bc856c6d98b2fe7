package io.tracelight.core.export;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tracelight.core.model.AiCall;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes an {@link AiCall} as one flat JSON object: the envelope, then the {@code gen_ai.*} and
 * {@code ai.*} attributes. Absent values are left out. docs/schema.md lists every key.
 */
public final class RecordWriter {
  public static final String SCHEMA_VERSION = "1";
  private static final DateTimeFormatter ISO_MICROS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private RecordWriter() {}

  public static void write(AiCall c, JsonGenerator g) throws IOException {
    g.writeStartObject();
    long seconds = Math.floorDiv(c.startEpochNanos, 1_000_000_000L);
    long nanos = Math.floorMod(c.startEpochNanos, 1_000_000_000L);
    g.writeStringField("timestamp", ISO_MICROS.format(Instant.ofEpochSecond(seconds, nanos)));
    g.writeStringField("trace_id", c.traceId);
    g.writeStringField("span_id", c.spanId);
    g.writeStringField("name", c.name());
    g.writeNumberField("duration_ms", c.durationNanos / 1_000_000.0);
    g.writeStringField("status", c.error ? "error" : "ok");
    g.writeStringField("schema_version", SCHEMA_VERSION);

    string(g, "gen_ai.operation.name", c.operation);
    string(g, "gen_ai.provider.name", c.provider);
    string(g, "gen_ai.request.model", c.requestModel);
    string(g, "gen_ai.response.model", c.responseModel);
    string(g, "gen_ai.response.id", c.responseId);
    if (!c.finishReasons.isEmpty()) {
      g.writeArrayFieldStart("gen_ai.response.finish_reasons");
      for (String r : c.finishReasons) {
        g.writeString(r);
      }
      g.writeEndArray();
    }
    if (c.temperature != null) {
      g.writeNumberField("gen_ai.request.temperature", c.temperature);
    }
    if (c.topP != null) {
      g.writeNumberField("gen_ai.request.top_p", c.topP);
    }
    number(g, "gen_ai.request.max_tokens", c.maxTokens);
    if (c.stream != null) {
      g.writeBooleanField("gen_ai.request.stream", c.stream);
    }
    number(g, "gen_ai.usage.input_tokens", c.inputTokens);
    number(g, "gen_ai.usage.output_tokens", c.outputTokens);
    number(g, "gen_ai.usage.cache_read.input_tokens", c.cacheReadInputTokens);
    number(g, "gen_ai.usage.reasoning.output_tokens", c.reasoningOutputTokens);
    if (c.timeToFirstChunkNanos >= 0) {
      g.writeNumberField("gen_ai.response.time_to_first_chunk", c.timeToFirstChunkNanos / 1e9);
    }
    string(g, "server.address", c.serverAddress);
    if (c.serverPort > 0) {
      g.writeNumberField("server.port", c.serverPort);
    }
    if (c.httpStatus > 0) {
      g.writeNumberField("http.response.status_code", c.httpStatus);
    }
    string(g, "error.type", c.errorType);
    string(g, "ai.prompt.system_hash", c.systemHash);
    string(g, "ai.output.hash", c.outputHash);
    string(g, "ai.instrumentation", c.instrumentation);
    if (c.captureTruncated) {
      g.writeBooleanField("ai.capture.truncated", true);
    }
    g.writeEndObject();
  }

  private static void string(JsonGenerator g, String key, String value) throws IOException {
    if (value != null) {
      g.writeStringField(key, value);
    }
  }

  private static void number(JsonGenerator g, String key, Long value) throws IOException {
    if (value != null) {
      g.writeNumberField(key, value);
    }
  }
}
