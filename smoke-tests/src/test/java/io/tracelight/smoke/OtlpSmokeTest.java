package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracelight.mock.MockLlmServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The demo app with `tracelight.exporters=jsonl,otlp`: a collector decoding with the official OTLP classes. */
class OtlpSmokeTest extends MockServerTest {
  private static final Set<String> ENVELOPE =
      Set.of("timestamp", "trace_id", "span_id", "parent_span_id", "name", "duration_ms", "status", "schema_version");
  private OtlpReceiver collector;

  private String startCollector() throws Exception {
    collector = new OtlpReceiver();
    return collector.endpoint();
  }

  @AfterEach
  void stopCollector() {
    if (collector != null) {
      collector.close();
    }
  }

  private Map<String, String> env(String otlpEndpoint) {
    Map<String, String> env = new HashMap<>();
    env.put("OPENAI_BASE_URL", server.baseUrl());
    env.put("OPENAI_API_KEY", "sk-demo-secret");
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint);
    env.put("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip");
    env.put("OTEL_SERVICE_NAME", "ai-demo");
    env.put("OTEL_EXPORTER_OTLP_TIMEOUT", "2000");
    return env;
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void everyRecordIsAlsoASpanWithTheSameIdsAndAttributes(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = ForkedJvm.runJar(javaHome, true, dir, List.of("-Dtracelight.exporters=jsonl,otlp"),
        env(startCollector()), ForkedJvm.EXAMPLE_JAR);
    assertEquals(0, traced.exitCode, traced.stderr);
    List<JsonNode> records = traced.records();
    assertEquals(6, records.size(), traced.recordsText());

    Map<String, Span> spans = new HashMap<>();
    for (ExportTraceServiceRequest request : collector.traces) {
      for (ResourceSpans rs : request.getResourceSpansList()) {
        Map<String, AnyValue> resource = OtlpReceiver.attributes(rs.getResource().getAttributesList());
        assertEquals("ai-demo", resource.get("service.name").getStringValue());
        assertEquals("tracelight", resource.get("telemetry.sdk.name").getStringValue());
        assertEquals(agentVersion(), resource.get("telemetry.sdk.version").getStringValue());
        assertEquals("io.tracelight", rs.getScopeSpans(0).getScope().getName());
        assertEquals(agentVersion(), rs.getScopeSpans(0).getScope().getVersion());
        for (Span s : rs.getScopeSpans(0).getSpansList()) {
          assertEquals(null, spans.put(OtlpReceiver.hex(s.getTraceId().toByteArray()), s), "one span per call");
        }
      }
    }
    assertEquals(6, spans.size(), "a span per record: " + collector.traces);

    for (JsonNode record : records) {
      Span span = spans.get(record.path("trace_id").asText());
      assertNotNull(span, "the record's trace id is the span's: " + record);
      assertEquals(record.path("span_id").asText(), OtlpReceiver.hex(span.getSpanId().toByteArray()));
      assertEquals(record.path("name").asText(), span.getName());
      assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, span.getKind());
      Instant start = Instant.parse(record.path("timestamp").asText());
      assertEquals(start.getEpochSecond() * 1_000_000_000L + start.getNano(), span.getStartTimeUnixNano() / 1000 * 1000,
          "the record's timestamp is the span's start, to the microsecond");
      assertEquals(record.path("duration_ms").asDouble(), (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1e6,
          1e-6);
      boolean failed = record.path("status").asText().equals("error");
      assertEquals(failed ? Status.StatusCode.STATUS_CODE_ERROR : Status.StatusCode.STATUS_CODE_UNSET,
          span.getStatus().getCode());

      Map<String, AnyValue> attributes = OtlpReceiver.attributes(span.getAttributesList());
      int fields = 0;
      for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (ENVELOPE.contains(field.getKey())) {
          continue;
        }
        fields++;
        AnyValue value = attributes.get(field.getKey());
        assertNotNull(value, field.getKey() + " is on the span");
        assertSameValue(field.getValue(), value, field.getKey());
      }
      JsonNode firstChunk = record.path("gen_ai.response.time_to_first_chunk");
      if (firstChunk.isNumber()) { // Langfuse's key for time to first token: when the first chunk came
        Instant expected = start.plusNanos((long) (firstChunk.asDouble() * 1e9));
        Instant sent = Instant.parse(attributes.get("langfuse.observation.completion_start_time").getStringValue());
        assertTrue(Math.abs(java.time.Duration.between(expected, sent).toNanos()) <= 1000, sent + " vs " + expected);
        fields++;
      }
      assertEquals(fields, attributes.size(), "no attribute beyond the record's (and Langfuse's for streams)");
    }
    assertTrue(records.stream().anyMatch(r -> r.path("gen_ai.response.time_to_first_chunk").isNumber()),
        "the demo streams, so Langfuse's key was checked");
    assertTrue(traced.stderr.lines().noneMatch(l -> l.startsWith("[tracelight] OTLP")), traced.stderr);

    // the GenAI client metrics, once at exit: every call's duration, the tokens the server sent
    assertEquals(1, collector.metrics.size(), "metrics sent once, at exit");
    long durations = 0;
    Map<String, Long> tokens = new HashMap<>();
    for (io.opentelemetry.proto.metrics.v1.Metric m : collector.metrics.peek().getResourceMetrics(0).getScopeMetrics(0).getMetricsList()) {
      for (io.opentelemetry.proto.metrics.v1.HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
        if (m.getName().equals("gen_ai.client.operation.duration")) {
          durations += p.getCount();
        } else if (m.getName().equals("gen_ai.client.token.usage")) {
          String type = OtlpReceiver.attributes(p.getAttributesList()).get("gen_ai.token.type").getStringValue();
          tokens.merge(type, (long) p.getSum(), Long::sum);
        }
      }
    }
    assertEquals(records.size(), durations);
    long failed = records.stream().filter(r -> r.path("status").asText().equals("error")).count();
    assertTrue(failed > 0, "the demo makes a call that fails");
    assertEquals(Map.of("ok", records.size() - failed, "error", failed),
        callsByStatus(collector.metrics.peek().getResourceMetrics(0).getScopeMetrics(0).getMetricsList()));
    long input = 0;
    long output = 0;
    for (JsonNode r : records) {
      input += r.path("gen_ai.usage.input_tokens").asLong();
      output += r.path("gen_ai.usage.output_tokens").asLong();
    }
    assertTrue(input > 0 && output > 0, "the demo's calls carry usage");
    assertEquals(Map.of("input", input, "output", output), tokens);

    // ai.client.cost: USD by token type, summing to the records' ai.cost.usd
    double recordCost = 0;
    for (JsonNode r : records) {
      recordCost += r.path("ai.cost.usd").asDouble();
    }
    double metricCost = 0;
    for (io.opentelemetry.proto.metrics.v1.Metric m : collector.metrics.peek().getResourceMetrics(0).getScopeMetrics(0).getMetricsList()) {
      if (m.getName().equals("ai.client.cost")) {
        assertEquals("USD", m.getUnit());
        assertTrue(m.getSum().getIsMonotonic());
        for (io.opentelemetry.proto.metrics.v1.NumberDataPoint p : m.getSum().getDataPointsList()) {
          assertTrue(OtlpReceiver.attributes(p.getAttributesList()).containsKey("gen_ai.token.type"));
          metricCost += p.getAsDouble();
        }
      }
    }
    assertTrue(recordCost > 0, "the demo's gpt-4o-mini calls are priced");
    assertEquals(recordCost, metricCost, 1e-12);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void aCollectorThatIsDownChangesNothingForTheAppAndTheFile(Path javaHome, @TempDir Path dir) throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    ForkedJvm.Result plain;
    try (MockLlmServer fresh = MockLlmServer.start(0)) { // the same response ids as the traced run's server
      Map<String, String> env = env("http://127.0.0.1:" + closedPort);
      env.put("OPENAI_BASE_URL", fresh.baseUrl());
      plain = ForkedJvm.runJar(javaHome, false, dir.resolve("plain"), List.of(), env, ForkedJvm.EXAMPLE_JAR);
    }
    ForkedJvm.Result traced = ForkedJvm.runJar(javaHome, true, dir.resolve("traced"),
        List.of("-Dtracelight.exporters=jsonl,otlp"), env("http://127.0.0.1:" + closedPort), ForkedJvm.EXAMPLE_JAR);

    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(plain.stdout, traced.stdout, "the app prints the same with and without the agent");
    assertEquals(6, traced.records().size(), "the file has every record");
    List<String> said = traced.stderr.lines().filter(l -> l.startsWith("[tracelight] OTLP")).toList();
    assertEquals(3, said.size(), "each failure said once, then the totals: " + traced.stderr);
    assertTrue(said.get(0).contains("export of spans") && said.get(0).contains("failed (ConnectException"), said.get(0));
    assertTrue(said.get(1).contains("export of metrics") && said.get(1).contains("failed (ConnectException"), said.get(1));
    assertTrue(said.get(2).contains("0 spans sent") && said.get(2).contains("6 dropped"), said.get(2));
  }

  /** The record's JSON value and the span's attribute value are the same value of the same kind. */
  static void assertSameValue(JsonNode expected, AnyValue v, String key) {
    switch (v.getValueCase()) {
      case STRING_VALUE:
        assertTrue(expected.isTextual(), key);
        assertEquals(expected.asText(), v.getStringValue(), key);
        break;
      case INT_VALUE:
        assertTrue(expected.isIntegralNumber(), key);
        assertEquals(expected.asLong(), v.getIntValue(), key);
        break;
      case DOUBLE_VALUE:
        assertTrue(expected.isNumber(), key);
        assertEquals(expected.asDouble(), v.getDoubleValue(), 0.0, key);
        break;
      case BOOL_VALUE:
        assertTrue(expected.isBoolean(), key);
        assertEquals(expected.asBoolean(), v.getBoolValue(), key);
        break;
      case ARRAY_VALUE:
        assertTrue(expected.isArray(), key);
        assertEquals(expected.size(), v.getArrayValue().getValuesCount(), key);
        for (int i = 0; i < expected.size(); i++) {
          assertSameValue(expected.get(i), v.getArrayValue().getValues(i), key + "[" + i + "]");
        }
        break;
      default:
        throw new AssertionError(key + ": unexpected value " + v);
    }
  }

  /** {@code ai.client.calls} summed by {@code ai.status}. */
  static Map<String, Long> callsByStatus(List<io.opentelemetry.proto.metrics.v1.Metric> metrics) {
    Map<String, Long> out = new HashMap<>();
    for (io.opentelemetry.proto.metrics.v1.Metric m : metrics) {
      if (m.getName().equals("ai.client.calls")) {
        assertTrue(m.getSum().getIsMonotonic(), "a counter");
        for (io.opentelemetry.proto.metrics.v1.NumberDataPoint p : m.getSum().getDataPointsList()) {
          out.merge(OtlpReceiver.attributes(p.getAttributesList()).get("ai.status").getStringValue(), p.getAsInt(),
              Long::sum);
        }
      }
    }
    return out;
  }

  /** The version the build wrote into the agent jar's manifest. */
  static String agentVersion() throws Exception {
    try (java.util.jar.JarFile jar = new java.util.jar.JarFile(ForkedJvm.AGENT_JAR.toFile())) {
      return jar.getManifest().getMainAttributes().getValue("Implementation-Version");
    }
  }
}
