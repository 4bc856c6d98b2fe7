package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Extension mode: the real OpenTelemetry Java agent with tracelight-otel-extension.jar, exporting
 * over OTLP to a receiver that decodes with the official classes. The application is a JDK HTTP
 * server whose handler makes one AI call with the JDK client and one with the OpenAI SDK.
 */
class OtelExtensionSmokeTest extends MockServerTest {
  private static final String SERVER_SPAN = "GET /ask";
  private static final Set<String> ENVELOPE =
      Set.of("timestamp", "trace_id", "span_id", "parent_span_id", "name", "duration_ms", "status", "schema_version");
  private OtlpReceiver receiver;

  @BeforeEach
  void startReceiver() throws Exception {
    receiver = new OtlpReceiver();
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  private ForkedJvm.Result run(Path javaHome, Path dir, List<String> extraArgs) throws Exception {
    return run(javaHome, dir, extraArgs, TracedServiceApp.class, server.baseUrl());
  }

  private ForkedJvm.Result run(Path javaHome, Path dir, List<String> extraArgs, Class<?> app, String... args)
      throws Exception {
    List<String> jvmArgs = new ArrayList<>();
    jvmArgs.add("-javaagent:" + ForkedJvm.OTEL_JAVAAGENT_JAR.toAbsolutePath());
    jvmArgs.add("-Dotel.javaagent.extensions=" + ForkedJvm.OTEL_EXTENSION_JAR.toAbsolutePath());
    jvmArgs.addAll(extraArgs);
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
    env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
    env.put("OTEL_SERVICE_NAME", "traced-service");
    env.put("OTEL_LOGS_EXPORTER", "none");
    env.put("OTEL_BSP_SCHEDULE_DELAY", "100");
    return ForkedJvm.runMain(javaHome, false, dir, jvmArgs, env, app.getName(), args);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void everyAiCallIsOneSpanUnderTheServerSpanWithTheRecordsIdsAndMetrics(Path javaHome, @TempDir Path dir)
      throws Exception {
    ForkedJvm.Result plain = ForkedJvm.runMain(javaHome, false, dir.resolve("plain"), List.of(), Map.of(),
        TracedServiceApp.class.getName(), server.baseUrl());
    Path out = dir.resolve("traced");
    ForkedJvm.Result traced = run(javaHome, out, List.of("-Dtracelight.exporters=otel,jsonl",
        "-Dtracelight.output.dir=" + out));
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(plain.stdout, traced.stdout, "the app prints the same with both agents as with none");
    assertTrue(traced.stdout.startsWith("jdk 200, sdk: Hello"), traced.stdout);

    List<OtlpReceiver.Received> spans = receiver.spans();
    List<OtlpReceiver.Received> servers =
        spans.stream().filter(r -> r.span.getName().equals(SERVER_SPAN)).collect(Collectors.toList());
    assertEquals(1, servers.size(), "the agent's server span: " + names(spans));
    Span serverSpan = servers.get(0).span;
    assertEquals(Span.SpanKind.SPAN_KIND_SERVER, serverSpan.getKind());
    List<OtlpReceiver.Received> ai =
        spans.stream().filter(r -> r.scope.equals("io.tracelight")).collect(Collectors.toList());
    assertEquals(2, ai.size(), "one AI span per call: " + names(spans));
    assertTrue(spans.stream().noneMatch(r -> r.scope.startsWith("io.opentelemetry.openai")),
        "the agent's own OpenAI instrumentation stays off, so the SDK call is recorded once: " + names(spans));

    List<JsonNode> records = traced.records();
    assertEquals(2, records.size(), traced.recordsText());
    SmokeAssertions.assertMatchesServer(records, server);
    String serverThread = attribute(serverSpan, "thread.name").getStringValue();
    for (JsonNode record : records) {
      OtlpReceiver.Received match = ai.stream()
          .filter(r -> OtlpReceiver.hex(r.span.getSpanId().toByteArray()).equals(record.path("span_id").asText()))
          .findFirst().orElse(null);
      assertNotNull(match, "the record names its span: " + record);
      Span span = match.span;
      assertEquals("traced-service", match.resource.get("service.name").getStringValue(), "the agent's resource");
      assertEquals(OtlpSmokeTest.agentVersion(), match.scopeVersion, "the scope is Tracelight's, with its version");
      assertEquals(serverSpan.getTraceId(), span.getTraceId(), "the AI span is in the server span's trace");
      assertEquals(serverSpan.getSpanId(), span.getParentSpanId(), "and its child");
      assertEquals(record.path("trace_id").asText(), OtlpReceiver.hex(span.getTraceId().toByteArray()));
      assertEquals(record.path("parent_span_id").asText(), OtlpReceiver.hex(serverSpan.getSpanId().toByteArray()));
      assertEquals(record.path("name").asText(), span.getName());
      assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, span.getKind());
      assertEquals(serverThread, attribute(span, "thread.name").getStringValue(),
          "the thread that made the call, not Tracelight's pipeline thread");
      Map<String, AnyValue> attributes = OtlpReceiver.attributes(span.getAttributesList());
      for (Iterator<Map.Entry<String, JsonNode>> it = record.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        if (!ENVELOPE.contains(field.getKey())) {
          AnyValue value = attributes.get(field.getKey());
          assertNotNull(value, field.getKey() + " is on the span");
          OtlpSmokeTest.assertSameValue(field.getValue(), value, field.getKey());
        }
      }
    }
    assertEquals(Set.of("jdk-httpclient", "okhttp"),
        records.stream().map(r -> r.path("ai.instrumentation").asText()).collect(Collectors.toSet()));

    // the GenAI client metrics, through the agent's meter
    long durations = 0;
    Map<String, Long> tokens = new HashMap<>();
    for (Metric m : receiver.metrics("io.tracelight")) {
      for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
        if (m.getName().equals("gen_ai.client.operation.duration")) {
          assertEquals("s", m.getUnit());
          durations += p.getCount();
        } else if (m.getName().equals("gen_ai.client.token.usage")) {
          String type = OtlpReceiver.attributes(p.getAttributesList()).get("gen_ai.token.type").getStringValue();
          tokens.merge(type, (long) p.getSum(), Long::sum);
        }
      }
    }
    assertEquals(2, durations, "a duration per call: " + receiver.metrics("io.tracelight"));
    assertEquals(Map.of("ok", 2L), OtlpSmokeTest.callsByStatus(receiver.metrics("io.tracelight")));
    long input = records.stream().mapToLong(r -> r.path("gen_ai.usage.input_tokens").asLong()).sum();
    long output = records.stream().mapToLong(r -> r.path("gen_ai.usage.output_tokens").asLong()).sum();
    assertTrue(input > 0 && output > 0);
    assertEquals(Map.of("input", input, "output", output), tokens);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void preferringTheAgentsGenAiSpansLeavesThoseCallsToIt(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = run(javaHome, dir, List.of("-Dtracelight.otel.ai-spans=opentelemetry"));
    assertEquals(0, traced.exitCode, traced.stderr);
    List<OtlpReceiver.Received> spans = receiver.spans();
    List<String> ours = spans.stream().filter(r -> r.scope.equals("io.tracelight"))
        .map(r -> r.span.getName()).collect(Collectors.toList());
    List<String> agents = spans.stream().filter(r -> r.scope.startsWith("io.opentelemetry.openai"))
        .map(r -> r.span.getName()).collect(Collectors.toList());
    assertEquals(List.of("chat gpt-4o-mini"), ours, "Tracelight records the JDK client's call: " + names(spans));
    assertEquals(List.of("chat gpt-4o"), agents, "the agent records the SDK's call, once: " + names(spans));
    assertTrue(traced.stderr.contains("[tracelight] summary: 1 AI calls, 0 dropped, 0 not written, "
        + "1 left to the OpenTelemetry agent's own GenAI spans"), traced.stderr);
  }

  /** The agent's style of switch turns one Tracelight module off: the JDK client's call is not recorded, OkHttp's is. */
  @org.junit.jupiter.api.Test
  void theAgentsStyleOfSwitchTurnsATracelightModuleOff(@TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = run(ForkedJvm.javaHomes().get(0), dir,
        List.of("-Dotel.instrumentation.tracelight-jdk-httpclient.enabled=false"));
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(List.of("chat gpt-4o"), receiver.spans().stream().filter(r -> r.scope.equals("io.tracelight"))
        .map(r -> r.span.getName()).collect(Collectors.toList()), "only OkHttp's call: " + names(receiver.spans()));
  }

  /**
   * Reactor Netty writes the request on its event loop, where the application's span is not
   * current: the AI span joins the trace as a child of the agent's own HTTP client span for that
   * request, which the agent named in the request's traceparent.
   */
  @org.junit.jupiter.api.Test
  void aCallWrittenOnNettysEventLoopStaysInTheServerSpansTrace(@TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = run(ForkedJvm.javaHomes().get(0), dir, List.of(), TracedServiceApp.class,
        server.baseUrl(), "reactor");
    assertEquals(0, traced.exitCode, traced.stderr);
    assertTrue(traced.stdout.contains(", reactor 200"), traced.stdout);
    List<OtlpReceiver.Received> spans = receiver.spans();
    Span serverSpan = spans.stream().filter(r -> r.span.getName().equals(SERVER_SPAN)).findFirst()
        .orElseThrow(() -> new AssertionError(names(spans))).span;
    Span reactorAi = spans.stream().filter(r -> r.scope.equals("io.tracelight")
        && r.span.getName().equals("chat gpt-4o-reactor")).findFirst()
        .orElseThrow(() -> new AssertionError(names(spans))).span;
    Span agentsHttp = spans.stream().filter(r -> r.scope.startsWith("io.opentelemetry.reactor-netty")
        && r.span.getSpanId().equals(reactorAi.getParentSpanId())).findFirst()
        .orElseThrow(() -> new AssertionError("the AI span's parent is the agent's Reactor Netty span: "
            + names(spans))).span;
    assertEquals(serverSpan.getTraceId(), reactorAi.getTraceId(), "in the server span's trace");
    assertEquals(serverSpan.getSpanId(), agentsHttp.getParentSpanId(), "under the server span, one level down");
    assertEquals(3, spans.stream().filter(r -> r.scope.equals("io.tracelight")
        && r.span.getTraceId().equals(serverSpan.getTraceId())).count(), "all three AI calls: " + names(spans));
  }

  /** The agent's Bedrock GenAI instrumentation is off by default too: each Bedrock call is one GenAI span, Tracelight's. */
  @org.junit.jupiter.api.Test
  void bedrockCallsAreRecordedOnceToo(@TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = run(ForkedJvm.javaHomes().get(0), dir, List.of(), AwsSdkDriver.class, "sync-default",
        "http://127.0.0.1:" + server.port());
    assertEquals(0, traced.exitCode, traced.stderr);
    List<OtlpReceiver.Received> genAi = receiver.spans().stream()
        .filter(r -> OtlpReceiver.attributes(r.span.getAttributesList()).containsKey("gen_ai.operation.name"))
        .collect(Collectors.toList());
    assertEquals(List.of("io.tracelight", "io.tracelight"),
        genAi.stream().map(r -> r.scope).collect(Collectors.toList()), "converse and invoke, once each: " + names(receiver.spans()));
  }

  /** Preferring the agent's GenAI spans, its Bedrock instrumentation records both calls and Tracelight neither. */
  @org.junit.jupiter.api.Test
  void preferringTheAgentsGenAiSpansLeavesBedrockCallsToItToo(@TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = run(ForkedJvm.javaHomes().get(0), dir, List.of("-Dtracelight.otel.ai-spans=opentelemetry"),
        AwsSdkDriver.class, "sync-default", "http://127.0.0.1:" + server.port());
    assertEquals(0, traced.exitCode, traced.stderr);
    List<String> genAiScopes = receiver.spans().stream()
        .filter(r -> OtlpReceiver.attributes(r.span.getAttributesList()).containsKey("gen_ai.operation.name"))
        .map(r -> r.scope).collect(Collectors.toList());
    assertEquals(2, genAiScopes.size(), "converse and invoke, once each: " + names(receiver.spans()));
    assertTrue(genAiScopes.stream().noneMatch(s -> s.equals("io.tracelight")), "both are the agent's: " + genAiScopes);
    assertTrue(traced.stderr.contains("2 left to the OpenTelemetry agent's own GenAI spans"), traced.stderr);
  }

  private static AnyValue attribute(Span span, String key) {
    AnyValue v = OtlpReceiver.attributes(span.getAttributesList()).get(key);
    assertNotNull(v, key + " on " + span.getName());
    return v;
  }

  private static List<String> names(List<OtlpReceiver.Received> spans) {
    return spans.stream().map(r -> r.scope + ":" + r.span.getName()).collect(Collectors.toList());
  }
}
