package io.tracelight.core.export.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.tracelight.core.InternalErrors;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpMetricsTest {
  private static final long START = 1_764_190_000_000_000_000L;
  private static final Map<String, Object> RESOURCE = new LinkedHashMap<>();

  static {
    RESOURCE.put("service.name", "checkout");
  }

  @Test
  void theConventionsHistogramsWithTheirBoundsAndAttributes() throws Exception {
    OtlpMetrics metrics = new OtlpMetrics(RESOURCE, "1.2.3", false, START);
    metrics.record(call("gpt-4o-mini", 0.015, 0.005, 12L, 3L, null));
    metrics.record(call("gpt-4o-mini", 0.5, 0.2, 300L, 70_000L, null));
    metrics.record(call("gpt-4o-mini", 100, null, null, null, "rate_limit_exceeded"));

    ExportMetricsServiceRequest r = ExportMetricsServiceRequest.parseFrom(metrics.encode(START + 60_000_000_000L));

    assertEquals("checkout", r.getResourceMetrics(0).getResource().getAttributes(0).getValue().getStringValue());
    ScopeMetrics scope = r.getResourceMetrics(0).getScopeMetrics(0);
    assertEquals("io.tracelight", scope.getScope().getName());
    Map<String, Metric> byName = new HashMap<>();
    for (Metric m : scope.getMetricsList()) {
      byName.put(m.getName(), m);
    }
    Metric duration = byName.get("gen_ai.client.operation.duration");
    assertEquals("s", duration.getUnit());
    assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, duration.getHistogram().getAggregationTemporality());
    assertEquals(2, duration.getHistogram().getDataPointsCount(), "ok calls and failed calls are two series");
    HistogramDataPoint ok = point(duration, "error.type", null);
    assertArrayEquals(OtlpMetrics.SECONDS_BOUNDS, ok.getExplicitBoundsList().stream().mapToDouble(Double::doubleValue).toArray());
    assertEquals(2, ok.getCount());
    assertEquals(0.515, ok.getSum(), 1e-9);
    assertEquals(0.015, ok.getMin(), 0.0);
    assertEquals(0.5, ok.getMax(), 0.0);
    long[] buckets = ok.getBucketCountsList().stream().mapToLong(Long::longValue).toArray();
    assertEquals(15, buckets.length);
    assertEquals(1, buckets[1], "0.015 s is in (0.01, 0.02]");
    assertEquals(1, buckets[6], "0.5 s is in (0.32, 0.64]");
    assertEquals(START, ok.getStartTimeUnixNano());
    assertEquals(START + 60_000_000_000L, ok.getTimeUnixNano());
    Map<String, KeyValue> attributes = attributes(ok);
    assertEquals("chat", attributes.get("gen_ai.operation.name").getValue().getStringValue());
    assertEquals("openai", attributes.get("gen_ai.provider.name").getValue().getStringValue());
    assertEquals("gpt-4o-mini", attributes.get("gen_ai.request.model").getValue().getStringValue());
    assertEquals("api.openai.com", attributes.get("server.address").getValue().getStringValue());
    assertEquals(443L, attributes.get("server.port").getValue().getIntValue());
    HistogramDataPoint failed = point(duration, "error.type", "rate_limit_exceeded");
    assertEquals(1, failed.getCount());
    assertEquals(1, failed.getBucketCounts(14), "100 s is above the last bound");

    Metric firstChunk = byName.get("gen_ai.client.operation.time_to_first_chunk");
    assertEquals(1, firstChunk.getHistogram().getDataPointsCount(), "only calls that streamed");
    assertEquals(2, firstChunk.getHistogram().getDataPoints(0).getCount());

    Metric tokens = byName.get("gen_ai.client.token.usage");
    assertEquals("{token}", tokens.getUnit());
    HistogramDataPoint input = point(tokens, "gen_ai.token.type", "input");
    HistogramDataPoint output = point(tokens, "gen_ai.token.type", "output");
    assertEquals(312.0, input.getSum(), 0.0);
    assertEquals(70_003.0, output.getSum(), 0.0);
    assertEquals(1, output.getBucketCounts(1), "3 tokens are in (1, 4]");
    assertEquals(1, output.getBucketCounts(9), "70,000 tokens are in (65536, 262144]");
  }

  @Test
  void deltaTemporalitySendsEachIntervalOnce() throws Exception {
    OtlpMetrics metrics = new OtlpMetrics(RESOURCE, "1.2.3", true, START);
    metrics.record(call("m", 0.1, null, null, null, null));
    ExportMetricsServiceRequest first = ExportMetricsServiceRequest.parseFrom(metrics.encode(START + 10));
    metrics.record(call("m", 0.2, null, null, null, null));
    metrics.record(call("m", 0.3, null, null, null, null));
    ExportMetricsServiceRequest second = ExportMetricsServiceRequest.parseFrom(metrics.encode(START + 20));

    HistogramDataPoint p1 = first.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0).getHistogram().getDataPoints(0);
    Metric m2 = second.getResourceMetrics(0).getScopeMetrics(0).getMetrics(0);
    assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_DELTA, m2.getHistogram().getAggregationTemporality());
    HistogramDataPoint p2 = m2.getHistogram().getDataPoints(0);
    assertEquals(1, p1.getCount());
    assertEquals(2, p2.getCount(), "only what came since the last export");
    assertEquals(START + 10, p2.getStartTimeUnixNano());
    assertNull(metrics.encode(START + 30), "an empty interval sends nothing");
  }

  @Test
  void callsAreCountedByOutcomeBesideTheAgentsOwnCounters() throws Exception {
    OtlpMetrics metrics = new OtlpMetrics(RESOURCE, "1.2.3", false, START);
    metrics.record(call("m", 0.1, null, null, null, null));
    metrics.record(call("m", 0.2, null, null, null, null));
    metrics.record(call("m", 0.3, null, null, null, "timeout"));
    long errors = InternalErrors.count();
    Map<String, Metric> byName = byName(ExportMetricsServiceRequest.parseFrom(metrics.encode(START + 10)));

    Metric calls = byName.get("ai.client.calls");
    assertTrue(calls.getSum().getIsMonotonic());
    assertEquals(AggregationTemporality.AGGREGATION_TEMPORALITY_CUMULATIVE, calls.getSum().getAggregationTemporality());
    Map<String, Long> byStatus = new HashMap<>();
    for (NumberDataPoint p : calls.getSum().getDataPointsList()) {
      Map<String, String> a = new HashMap<>();
      p.getAttributesList().forEach(kv -> a.put(kv.getKey(), kv.getValue().getStringValue()));
      assertEquals("m", a.get("gen_ai.request.model"));
      assertEquals(a.get("ai.status").equals("error") ? "timeout" : null, a.get("error.type"));
      byStatus.merge(a.get("ai.status"), p.getAsInt(), Long::sum);
    }
    assertEquals(Map.of("ok", 2L, "error", 1L), byStatus);
    assertEquals(errors, byName.get("ai.agent.internal_errors").getSum().getDataPoints(0).getAsInt());
    assertEquals(0, byName.get("ai.agent.dropped_calls").getSum().getDataPoints(0).getAsInt(), "no pipeline, no drops");
  }

  @Test
  void predictionsHaveADurationOfTheirOwnWithFinerBucketsAndNoGenAiAttributes() throws Exception {
    OtlpMetrics metrics = new OtlpMetrics(RESOURCE, "1.2.3", false, START);
    metrics.record(call("gpt", 0.5, null, null, null, null));
    for (long micros : new long[] {80, 300, 300, 2_000}) {
      AiCall p = new AiCall();
      p.durationNanos = micros * 1000;
      p.set(Keys.PREDICT_OPERATION, "predict");
      p.set(Keys.MODEL_RUNTIME, "onnxruntime");
      p.set(Keys.MODEL_NAME, "fraud");
      p.set(Keys.MODEL_VERSION, "3");
      metrics.record(p);
    }
    Map<String, Metric> byName = byName(ExportMetricsServiceRequest.parseFrom(metrics.encode(START + 10)));
    HistogramDataPoint genAi = byName.get("gen_ai.client.operation.duration").getHistogram().getDataPoints(0);
    assertEquals(1, byName.get("gen_ai.client.operation.duration").getHistogram().getDataPointsCount(),
        "the prediction is not a GenAI operation");
    assertEquals(1, genAi.getCount());
    Metric prediction = byName.get("ai.prediction.duration");
    assertEquals("s", prediction.getUnit());
    HistogramDataPoint point = prediction.getHistogram().getDataPoints(0);
    assertEquals(4, point.getCount());
    assertEquals(0.00268, point.getSum(), 1e-9);
    Map<String, String> a = new HashMap<>();
    point.getAttributesList().forEach(kv -> a.put(kv.getKey(), kv.getValue().getStringValue()));
    assertEquals(Map.of("ai.operation.name", "predict", "ai.model.runtime", "onnxruntime", "ai.model.name", "fraud",
        "ai.model.version", "3"), a);
    List<Double> bounds = point.getExplicitBoundsList();
    assertEquals(0.00005, bounds.get(0), 1e-12, "micro-second buckets for models that answer in microseconds");
    assertEquals(1L, point.getBucketCounts(1), "80 µs in (50, 100] µs");
    assertEquals(2L, point.getBucketCounts(3), "300 µs twice in (250, 500] µs");
    assertEquals(1L, point.getBucketCounts(5), "2 ms in (1, 2.5] ms");
  }

  @Test
  void anInternalErrorAloneIsSentAndDeltaCountsItOnce() throws Exception {
    OtlpMetrics metrics = new OtlpMetrics(RESOURCE, "1.2.3", true, START);
    metrics.record(call("m", 0.1, null, null, null, null));
    metrics.encode(START + 10);
    InternalErrors.report("a test", new IllegalStateException("counted"));
    Map<String, Metric> second = byName(ExportMetricsServiceRequest.parseFrom(metrics.encode(START + 20)));
    assertEquals(null, second.get("ai.client.calls"), "no call in this interval");
    assertEquals(1, second.get("ai.agent.internal_errors").getSum().getDataPoints(0).getAsInt());
    assertNull(metrics.encode(START + 30), "nothing new, nothing sent");
  }

  private static Map<String, Metric> byName(ExportMetricsServiceRequest r) {
    Map<String, Metric> out = new HashMap<>();
    for (Metric m : r.getResourceMetrics(0).getScopeMetrics(0).getMetricsList()) {
      assertNull(out.put(m.getName(), m), "one metric per name");
    }
    return out;
  }

  @Test
  void attributeSetsAreBounded() {
    OtlpMetrics metrics = new OtlpMetrics(RESOURCE, "1.2.3", false, START);
    for (int i = 0; i < OtlpMetrics.MAX_SERIES + 25; i++) {
      metrics.record(call("model-" + i, 0.1, null, null, null, null));
    }
    assertEquals(25, metrics.overflow());
  }

  private static HistogramDataPoint point(Metric m, String key, String value) {
    List<HistogramDataPoint> found = new ArrayList<>();
    for (HistogramDataPoint p : m.getHistogram().getDataPointsList()) {
      KeyValue kv = attributes(p).get(key);
      if (value == null ? kv == null : kv != null && kv.getValue().getStringValue().equals(value)) {
        found.add(p);
      }
    }
    assertEquals(1, found.size(), m.getName() + " " + key + "=" + value);
    return found.get(0);
  }

  private static Map<String, KeyValue> attributes(HistogramDataPoint p) {
    Map<String, KeyValue> out = new HashMap<>();
    for (KeyValue kv : p.getAttributesList()) {
      assertTrue(out.put(kv.getKey(), kv) == null, "unique keys");
    }
    return out;
  }

  private static AiCall call(String model, double seconds, Double firstChunk, Long input, Long output, String error) {
    AiCall c = new AiCall();
    c.durationNanos = (long) (seconds * 1e9);
    c.set(Keys.OPERATION, "chat");
    c.set(Keys.PROVIDER, "openai");
    c.set(Keys.REQUEST_MODEL, model);
    c.set(Keys.SERVER_ADDRESS, "api.openai.com");
    c.set(Keys.SERVER_PORT, 443L);
    if (firstChunk != null) {
      c.set(Keys.TIME_TO_FIRST_CHUNK, firstChunk);
    }
    c.set(Keys.INPUT_TOKENS, input);
    c.set(Keys.OUTPUT_TOKENS, output);
    if (error != null) {
      c.fail(error);
    }
    return c;
  }
}
