package io.tracelight.core.export.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class OtlpExporterTest {
  private HttpServer collector;
  private final ConcurrentLinkedQueue<ExportTraceServiceRequest> received = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> headers = new ConcurrentLinkedQueue<>();
  private final AtomicInteger requests = new AtomicInteger();
  /** Bodies sent as {@code http/json}, traces and metrics. */
  private final ConcurrentLinkedQueue<String> json = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest> metrics =
      new ConcurrentLinkedQueue<>();

  private final ConcurrentLinkedQueue<io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest> logs =
      new ConcurrentLinkedQueue<>();

  /** A collector answering {@code statuses} in turn (then 200), decoding what it accepts. */
  private String collector(int... statuses) throws IOException {
    collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext("/v1/traces", (HttpExchange ex) -> {
      int n = requests.getAndIncrement();
      int status = n < statuses.length ? statuses[n] : 200;
      byte[] body;
      try (InputStream in = ex.getRequestBody()) {
        body = in.readAllBytes();
      }
      headers.add(ex.getRequestHeaders().getFirst("Content-Type") + "|" + ex.getRequestHeaders().getFirst("Content-Encoding")
          + "|" + ex.getRequestHeaders().getFirst("X-Team-Token"));
      if (status == 200) {
        if ("gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
          body = new GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
        }
        if ("application/json".equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
          json.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        } else {
          received.add(ExportTraceServiceRequest.parseFrom(body));
        }
      }
      if (status == 503) {
        ex.getResponseHeaders().add("Retry-After", "0");
      }
      ex.sendResponseHeaders(status, -1);
      ex.close();
    });
    collector.createContext("/v1/metrics", (HttpExchange ex) -> {
      try (InputStream in = ex.getRequestBody()) {
        byte[] body = in.readAllBytes();
        if ("gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
          body = new GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
        }
        if ("application/json".equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
          json.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        } else {
          metrics.add(io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest.parseFrom(body));
        }
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    collector.createContext("/v1/logs", (HttpExchange ex) -> {
      try (InputStream in = ex.getRequestBody()) {
        byte[] body = in.readAllBytes();
        if ("application/json".equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
          json.add(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        } else {
          logs.add(io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.parseFrom(body));
        }
      }
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    collector.start();
    return "http://127.0.0.1:" + collector.getAddress().getPort();
  }

  @AfterEach
  void stop() {
    if (collector != null) {
      collector.stop(0);
    }
  }

  private static OtlpSettings settings(String endpoint, String... more) {
    Map<String, String> env = new HashMap<>();
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint);
    env.put("OTEL_EXPORTER_OTLP_TIMEOUT", "3000");
    for (int i = 0; i < more.length; i += 2) {
      env.put(more[i], more[i + 1]);
    }
    return OtlpSettings.read(env, Collections.emptyMap());
  }

  @Test
  void everyCallArrivesOnceAsASpanGzippedWithTheConfiguredHeaders() throws Exception {
    OtlpExporter exporter = OtlpExporter.start(settings(collector(), "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip",
        "OTEL_EXPORTER_OTLP_HEADERS", "X-Team-Token=t0k3n"), 3000);
    List<String> traceIds = new ArrayList<>();
    for (int i = 0; i < 1500; i++) {
      AiCall call = call(i);
      traceIds.add(call.traceId);
      exporter.export(call);
      if (i % 400 == 0) {
        Thread.sleep(20); // a few batches, not one
      }
    }
    exporter.close();

    List<String> got = new ArrayList<>();
    for (ExportTraceServiceRequest r : received) {
      for (Span s : r.getResourceSpans(0).getScopeSpans(0).getSpansList()) {
        got.add(OtlpTraceEncoderTest.hex(s.getTraceId().toByteArray()));
      }
    }
    Collections.sort(got);
    Collections.sort(traceIds);
    assertEquals(traceIds, got, "each call once");
    assertEquals(1500, exporter.sent());
    assertEquals(0, exporter.dropped());
    assertTrue(received.size() >= 3, "sent in batches of at most " + OtlpExporter.MAX_BATCH + ": " + received.size());
    assertEquals("application/x-protobuf|gzip|t0k3n", headers.peek());
    assertEquals(1, metrics.size(), "the metrics once, at close (the interval is a minute)");
    io.opentelemetry.proto.metrics.v1.Metric duration = metrics.peek().getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
    assertEquals("gen_ai.client.operation.duration", duration.getName());
    assertEquals(1500, duration.getHistogram().getDataPoints(0).getCount(), "every call, in one series");
  }

  /** A request per call would cost the collector and the machine a request per call: calls are gathered for the schedule delay. */
  @Test
  void callsWithinTheScheduleDelayShareOneRequestAndCloseSendsThemAtOnce() throws Exception {
    OtlpExporter exporter =
        OtlpExporter.start(settings(collector(), "OTEL_BSP_SCHEDULE_DELAY", "600000"), 3000);
    for (int i = 0; i < 10; i++) {
      exporter.export(call(i));
      Thread.sleep(10); // without the delay, the sender would take each call on its own
    }
    assertEquals(0, requests.get(), "nothing sent before the delay or a full batch");
    exporter.close(); // wakes the gathering sender: it does not wait out the ten minutes
    assertEquals(1, requests.get(), "one request for the ten calls");
    assertEquals(10, received.peek().getResourceSpans(0).getScopeSpans(0).getSpansCount());
    assertEquals(10, exporter.sent());
    assertEquals(0, exporter.dropped());
  }

  @Test
  void httpJsonSendsTheSameSpansAndMetricsAsJson() throws Exception {
    OtlpExporter exporter = OtlpExporter.start(settings(collector(), "OTEL_EXPORTER_OTLP_PROTOCOL", "http/json",
        "OTEL_EXPORTER_OTLP_COMPRESSION", "gzip"), 3000);
    List<String> traceIds = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      AiCall call = call(i);
      traceIds.add(call.traceId);
      exporter.export(call);
    }
    exporter.close();

    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> got = new ArrayList<>();
    List<String> metricNames = new ArrayList<>();
    for (String body : json) {
      com.fasterxml.jackson.databind.JsonNode tree = mapper.readTree(body);
      for (com.fasterxml.jackson.databind.JsonNode span : tree.at("/resourceSpans/0/scopeSpans/0/spans")) {
        got.add(span.path("traceId").textValue());
      }
      for (com.fasterxml.jackson.databind.JsonNode metric : tree.at("/resourceMetrics/0/scopeMetrics/0/metrics")) {
        metricNames.add(metric.path("name").textValue());
      }
    }
    Collections.sort(got);
    Collections.sort(traceIds);
    assertEquals(traceIds, got, "each call once, its trace id in hex");
    assertEquals("application/json|gzip|null", headers.peek());
    assertTrue(metricNames.contains("gen_ai.client.operation.duration"), metricNames.toString());
    assertTrue(received.isEmpty() && metrics.isEmpty(), "nothing sent as protobuf");
    assertEquals(20, exporter.sent());
  }

  @Test
  void unavailableIsRetriedAndABadRequestIsDroppedAndCounted() throws Exception {
    OtlpExporter exporter = OtlpExporter.start(settings(collector(503, 503, 400)), 3000);
    exporter.export(call(1)); // 503, 503 (Retry-After: 0), then 400: not retried
    awaitRequests(3);
    exporter.export(call(2)); // 200
    exporter.close();

    assertEquals(4, requests.get());
    assertEquals(1, exporter.sent());
    assertEquals(1, exporter.dropped());
    assertEquals(call(2).traceId,
        OtlpTraceEncoderTest.hex(received.peek().getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId().toByteArray()));
  }

  @Test
  void aCollectorThatIsDownLosesSpansCountedAndNothingElse() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    OtlpExporter exporter = OtlpExporter.start(settings("http://127.0.0.1:" + closedPort), 3000);
    for (int i = 0; i < OtlpExporter.QUEUE_CAPACITY + 500; i++) {
      exporter.export(call(i)); // never waits: the queue takes or counts
    }
    exporter.close();
    assertEquals(0, exporter.sent());
    assertEquals(OtlpExporter.QUEUE_CAPACITY + 500, exporter.dropped(), "every span accounted for");
  }

  @Test
  @Timeout(30) // a hang guard, not a measurement
  void aCollectorThatNeverAnswersIsCutAtCloseAndItsBatchCountedOnce() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
      Thread holder = new Thread(() -> {
        List<java.net.Socket> held = new ArrayList<>();
        try {
          while (true) {
            held.add(silent.accept()); // accepted, never read, never answered
          }
        } catch (IOException closed) {
          // the test is over
        }
      });
      holder.setDaemon(true);
      holder.start();
      OtlpExporter exporter = OtlpExporter.start(
          settings("http://127.0.0.1:" + silent.getLocalPort(), "OTEL_EXPORTER_OTLP_TIMEOUT", "600000"), 300);
      for (int i = 0; i < 10; i++) {
        exporter.export(call(i));
      }
      Thread.sleep(300); // the sender is now waiting for an answer that never comes
      exporter.close();
      assertEquals(0, exporter.sent());
      assertEquals(10, exporter.dropped(), "the batch under way counted once, by close");
    }
  }

  @Test
  void aCallExportedAfterCloseIsCountedDropped() throws Exception {
    OtlpExporter exporter = OtlpExporter.start(settings(collector()), 1000);
    exporter.close();
    exporter.export(call(1)); // a pipeline that outlived its wait at exit
    assertEquals(0, exporter.sent());
    assertEquals(1, exporter.dropped());
  }

  /** Stress: a pipeline thread exporting while close runs at a random moment; every call counted once. */
  @Test
  @Timeout(120) // a hang guard, not a measurement
  void everyCallIsCountedOnceWhateverTheMomentOfClose() throws Exception {
    java.util.SplittableRandom random = new java.util.SplittableRandom(9);
    collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext("/", (HttpExchange ex) -> {
      try (InputStream in = ex.getRequestBody()) {
        in.readAllBytes();
      }
      int r = java.util.concurrent.ThreadLocalRandom.current().nextInt(10);
      try {
        Thread.sleep(r); // a collector that takes its time
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.sendResponseHeaders(r == 0 ? 503 : 200, -1);
      ex.close();
    });
    collector.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
    collector.start();
    String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
    for (int round = 0; round < 40; round++) {
      OtlpExporter exporter = OtlpExporter.start(settings(endpoint), random.nextInt(150));
      int n = 1 + random.nextInt(4000);
      Thread pipeline = new Thread(() -> {
        for (int i = 0; i < n; i++) {
          exporter.export(call(i));
        }
      });
      pipeline.start();
      Thread.sleep(random.nextInt(30));
      exporter.close(); // possibly while the pipeline still exports, as after a timed-out drain at exit
      pipeline.join();
      assertEquals(n, exporter.sent() + exporter.dropped(), "round " + round + ": sent " + exporter.sent()
          + ", dropped " + exporter.dropped());
    }
  }

  private static io.tracelight.core.alert.Alert alert(io.tracelight.core.alert.Alert.State state, long epochNanos) {
    return new io.tracelight.core.alert.Alert(epochNanos, state, io.tracelight.core.alert.Alert.Severity.WARNING,
        "drift", "output_tokens", "psi", 0.83, 0.2, 3e-9, 120, 360, "up",
        new io.tracelight.core.alert.AlertSubject("openai", "gpt-4o-mini", null, "canary", "ab12"), 500, 500,
        "e-1", "https://runbooks.example/drift", "output_tokens of openai gpt-4o-mini moved up");
  }

  /** Alerts as log records and as metrics (events and the episodes open), feedback as an acceptance counter. */
  @Test
  void alertsGoOutAsLogRecordsAndMetricsAndFeedbackAsACounter() throws Exception {
    OtlpExporter exporter = OtlpExporter.start(settings(collector(), "OTEL_BSP_SCHEDULE_DELAY", "600000"), 3000);
    exporter.export(call(0)); // a span batch gathering for ten minutes
    Thread.sleep(50);
    exporter.alert(alert(io.tracelight.core.alert.Alert.State.FIRING, 1_764_190_551_000_000_000L));
    for (int i = 0; i < 500 && logs.isEmpty(); i++) {
      Thread.sleep(10);
    }
    assertEquals(1, logs.size(), "the firing alert, sent at once: it does not wait for the span batch's delay");
    assertEquals(1, received.size(), "the batch under way went first");
    exporter.alert(alert(io.tracelight.core.alert.Alert.State.RESOLVED, 1_764_190_561_000_000_000L));
    AiCall call = call(1);
    io.tracelight.core.metrics.ModelStats stats = new io.tracelight.core.metrics.Metrics().record(call);
    io.tracelight.core.feedback.FeedbackStage stage = new io.tracelight.core.feedback.FeedbackStage(null, null);
    call.callIdHigh = 0x1234L;
    call.callIdLow = 0x5678L;
    stage.remember(call, stats, null);
    String id = String.format("%016x%016x", 0x1234L, 0x5678L);
    double[] scores = {1, 0.9, 0};
    for (double score : scores) {
      io.tracelight.core.feedback.FeedbackEvent e = new io.tracelight.core.feedback.FeedbackEvent(
          io.tracelight.core.feedback.FeedbackEvent.Kind.FEEDBACK, 1L, id, score, null, null, Double.NaN);
      stage.accept(e, 0);
      exporter.feedback(e);
    }
    exporter.close();

    List<io.opentelemetry.proto.logs.v1.LogRecord> records = new ArrayList<>();
    for (io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest r : logs) {
      records.addAll(r.getResourceLogs(0).getScopeLogs(0).getLogRecordsList());
    }
    assertEquals(2, records.size(), "firing and resolved, each once");
    io.opentelemetry.proto.logs.v1.LogRecord firing = records.get(0);
    assertEquals("tracelight.alert", firing.getEventName());
    assertEquals(io.opentelemetry.proto.logs.v1.SeverityNumber.SEVERITY_NUMBER_WARN, firing.getSeverityNumber());
    assertEquals("warning", firing.getSeverityText());
    assertEquals(1_764_190_551_000_000_000L, firing.getTimeUnixNano());
    assertEquals("output_tokens of openai gpt-4o-mini moved up", firing.getBody().getStringValue());
    Map<String, io.opentelemetry.proto.common.v1.AnyValue> a = new HashMap<>();
    for (io.opentelemetry.proto.common.v1.KeyValue kv : firing.getAttributesList()) {
      a.put(kv.getKey(), kv.getValue());
    }
    assertEquals("firing", a.get("ai.alert.state").getStringValue());
    assertEquals("drift", a.get("ai.alert.rule").getStringValue());
    assertEquals("output_tokens", a.get("ai.alert.signal").getStringValue());
    assertEquals(0.83, a.get("ai.alert.value").getDoubleValue());
    assertEquals(3e-9, a.get("ai.alert.p_value").getDoubleValue());
    assertEquals(360, a.get("ai.alert.current").getDoubleValue());
    assertEquals("gpt-4o-mini", a.get("gen_ai.request.model").getStringValue());
    assertEquals("canary", a.get("ai.deployment").getStringValue());
    assertEquals("ab12", a.get("ai.prompt.system_hash").getStringValue());
    assertEquals(500, a.get("ai.alert.window_calls").getIntValue());
    assertEquals("https://runbooks.example/drift", a.get("ai.alert.runbook").getStringValue());
    assertEquals("resolved", records.get(1).getAttributesList().stream()
        .filter(kv -> kv.getKey().equals("ai.alert.state")).findFirst().get().getValue().getStringValue());

    Map<String, Long> points = new HashMap<>();
    for (io.opentelemetry.proto.metrics.v1.Metric m : metrics.peek().getResourceMetrics(0).getScopeMetrics(0).getMetricsList()) {
      if (!m.hasSum()) {
        continue;
      }
      for (io.opentelemetry.proto.metrics.v1.NumberDataPoint p : m.getSum().getDataPointsList()) {
        StringBuilder key = new StringBuilder(m.getName());
        for (io.opentelemetry.proto.common.v1.KeyValue kv : p.getAttributesList()) {
          if (kv.getKey().equals("ai.alert.state") || kv.getKey().equals("ai.feedback.accepted")) {
            key.append(' ').append(kv.getKey()).append('=').append(kv.getValue().hasBoolValue()
                ? String.valueOf(kv.getValue().getBoolValue()) : kv.getValue().getStringValue());
          }
          if (kv.getKey().equals("gen_ai.request.model")) {
            key.append(" model=").append(kv.getValue().getStringValue());
          }
        }
        points.put(key.toString(), p.getAsInt());
      }
    }
    assertEquals(1L, points.get("ai.alerts model=gpt-4o-mini ai.alert.state=firing"), points.toString());
    assertEquals(1L, points.get("ai.alerts model=gpt-4o-mini ai.alert.state=resolved"), points.toString());
    assertEquals(0L, points.get("ai.alerts.firing model=gpt-4o-mini"), "open episodes after the resolution: " + points);
    assertEquals(2L, points.get("ai.client.feedback model=gpt-4o-mini ai.feedback.accepted=true"), points.toString());
    assertEquals(1L, points.get("ai.client.feedback model=gpt-4o-mini ai.feedback.accepted=false"), points.toString());
  }

  @Test
  void withoutLogsAlertsAreMetricsOnly() throws Exception {
    OtlpExporter exporter = OtlpExporter.start(settings(collector(), "OTEL_LOGS_EXPORTER", "none"), 3000);
    exporter.alert(alert(io.tracelight.core.alert.Alert.State.FIRING, 1_764_190_551_000_000_000L));
    exporter.close();
    assertTrue(logs.isEmpty(), "no log request");
    boolean counted = false;
    for (io.opentelemetry.proto.metrics.v1.Metric m : metrics.peek().getResourceMetrics(0).getScopeMetrics(0).getMetricsList()) {
      counted |= m.getName().equals("ai.alerts.firing") && m.getSum().getDataPoints(0).getAsInt() == 1;
    }
    assertTrue(counted, "the episode in ai.alerts.firing");
  }

  @Test
  void alertsGoOutAsJsonLogRecordsOverHttpJson() throws Exception {
    OtlpExporter exporter = OtlpExporter.start(settings(collector(), "OTEL_EXPORTER_OTLP_PROTOCOL", "http/json"), 3000);
    exporter.alert(alert(io.tracelight.core.alert.Alert.State.FIRING, 1_764_190_551_000_000_000L));
    exporter.close();
    com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode record = null;
    for (String body : json) {
      com.fasterxml.jackson.databind.JsonNode r = mapper.readTree(body).at("/resourceLogs/0/scopeLogs/0/logRecords/0");
      if (!r.isMissingNode()) {
        record = r;
      }
    }
    assertTrue(record != null, "a log record in " + json);
    assertEquals("tracelight.alert", record.path("eventName").textValue());
    assertEquals("1764190551000000000", record.path("timeUnixNano").textValue());
    assertEquals(13, record.path("severityNumber").intValue());
    assertEquals("output_tokens of openai gpt-4o-mini moved up", record.at("/body/stringValue").textValue());
  }

  private void awaitRequests(int n) throws InterruptedException {
    for (int i = 0; i < 500 && requests.get() < n; i++) {
      Thread.sleep(20);
    }
  }

  private static AiCall call(int i) {
    AiCall c = new AiCall();
    c.traceId = String.format("%032x", i + 1);
    c.spanId = String.format("%016x", i + 1);
    c.startEpochNanos = 1_764_190_551_000_000_000L + i;
    c.durationNanos = 1_000_000;
    c.set(Keys.PROVIDER, "openai");
    c.set(Keys.OPERATION, "chat");
    c.set(Keys.REQUEST_MODEL, "gpt-4o-mini");
    return c;
  }
}
