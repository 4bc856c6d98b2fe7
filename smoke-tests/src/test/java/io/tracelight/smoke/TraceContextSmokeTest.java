package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracelight.mock.MockLlmServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Standalone, an app that makes its own spans with the OpenTelemetry API and SDK: the AI calls it
 * makes inside a span are that span's children in the records, and with propagation on, the model
 * server is told the AI span, so the trace runs app span, AI span, server span.
 */
class TraceContextSmokeTest extends MockServerTest {
  private static final Pattern SPAN = Pattern.compile("span ([0-9a-f]{32}) ([0-9a-f]{16})");

  private static String[] appSpan(ForkedJvm.Result run) {
    assertEquals(0, run.exitCode, run.stderr);
    Matcher m = SPAN.matcher(run.stdout);
    assertTrue(m.find(), run.stdout);
    return new String[] {m.group(1), m.group(2)};
  }

  private static Map<String, JsonNode> byModel(ForkedJvm.Result run) throws Exception {
    List<JsonNode> records = run.records();
    assertEquals(3, records.size(), run.recordsText());
    return records.stream().collect(Collectors.toMap(r -> r.path("gen_ai.request.model").asText(), Function.identity()));
  }

  @Test
  void aiCallsMadeInsideTheAppsOwnSpanAreItsChildren(@TempDir Path dir) throws Exception {
    ForkedJvm.Result run = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir, List.of(), Map.of(),
        ApiSpanApp.class.getName(), server.baseUrl());
    String[] app = appSpan(run);
    Map<String, JsonNode> records = byModel(run);
    for (String model : new String[] {"in-span-jdk", "in-span-sdk"}) {
      JsonNode r = records.get(model);
      assertEquals(app[0], r.path("trace_id").asText(), "in the app's trace: " + r);
      assertEquals(app[1], r.path("parent_span_id").asText(), "a child of the app's span: " + r);
    }
    JsonNode outside = records.get("outside-jdk");
    assertNotEquals(app[0], outside.path("trace_id").asText(), "after the span ended, a trace of its own");
    assertTrue(!outside.has("parent_span_id"), outside.toString());
    for (MockLlmServer.Sent sent : server.sent()) {
      assertNull(sent.traceparent, "nothing is added to the requests unless asked");
    }
  }

  /** The OTLP spans, decoded with the official classes, carry the same trace, span and parent as the server saw. */
  @Test
  void withPropagationTheServerIsToldTheAiSpanInTheAppsTrace(@TempDir Path dir) throws Exception {
    ForkedJvm.Result run;
    List<OtlpReceiver.Received> spans;
    try (OtlpReceiver collector = new OtlpReceiver()) {
      run = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir,
          List.of("-Dtracelight.propagation=tracecontext", "-Dtracelight.exporters=jsonl,otlp",
              "-Dotel.exporter.otlp.endpoint=" + collector.endpoint()),
          Map.of(), ApiSpanApp.class.getName(), server.baseUrl());
      spans = collector.spans();
    }
    String[] app = appSpan(run);
    Map<String, JsonNode> records = byModel(run);
    Map<String, MockLlmServer.Sent> sent =
        server.sent().stream().collect(Collectors.toMap(s -> s.model, Function.identity()));
    assertEquals(3, sent.size(), sent.toString());
    for (Map.Entry<String, JsonNode> e : records.entrySet()) {
      JsonNode r = e.getValue();
      assertEquals("00-" + r.path("trace_id").asText() + "-" + r.path("span_id").asText() + "-01",
          sent.get(e.getKey()).traceparent, "the server's parent is the record's span: " + r);
    }
    assertEquals(app[0], records.get("in-span-sdk").path("trace_id").asText());
    assertEquals(app[1], records.get("in-span-sdk").path("parent_span_id").asText());
    assertEquals(app[0], records.get("in-span-jdk").path("trace_id").asText());
    assertNotEquals(app[0], records.get("outside-jdk").path("trace_id").asText());

    assertEquals(3, spans.size(), "one OTLP span per call");
    for (OtlpReceiver.Received received : spans) {
      io.opentelemetry.proto.trace.v1.Span span = received.span;
      String traceId = OtlpReceiver.hex(span.getTraceId().toByteArray());
      String spanId = OtlpReceiver.hex(span.getSpanId().toByteArray());
      String parent = OtlpReceiver.hex(span.getParentSpanId().toByteArray());
      String model = OtlpReceiver.attributes(span.getAttributesList()).get("gen_ai.request.model").getStringValue();
      assertEquals("00-" + traceId + "-" + spanId + "-01", sent.get(model).traceparent,
          "the span the server was told is the one exported: " + model);
      assertEquals(model.startsWith("in-span") ? app[1] : "", parent, model + "'s parent");
    }
  }
}
