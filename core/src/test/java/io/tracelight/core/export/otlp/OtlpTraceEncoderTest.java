package io.tracelight.core.export.otlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.tracelight.core.export.IsoTimestamp;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OtlpTraceEncoderTest {
  private static final Map<String, Object> RESOURCE = new LinkedHashMap<>();

  static {
    RESOURCE.put("service.name", "checkout");
    RESOURCE.put("process.pid", 4242L);
  }

  private final OtlpTraceEncoder encoder = new OtlpTraceEncoder(RESOURCE, "1.2.3");

  @Test
  void aCallIsAClientSpanWithTheRecordsAttributesUnderTheSameKeys() throws Exception {
    AiCall call = call("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
    call.set(Keys.FINISH_REASONS, Arrays.asList("stop", "length"));
    call.set(Keys.TIME_TO_FIRST_CHUNK, 0.125);
    call.set(Keys.STREAM, Boolean.FALSE);

    ExportTraceServiceRequest request = decode(Arrays.asList(call));

    ResourceSpans rs = request.getResourceSpans(0);
    assertEquals(Arrays.asList("service.name", "process.pid"), keys(rs.getResource().getAttributesList()));
    assertEquals("checkout", rs.getResource().getAttributes(0).getValue().getStringValue());
    assertEquals(4242L, rs.getResource().getAttributes(1).getValue().getIntValue());
    ScopeSpans ss = rs.getScopeSpans(0);
    assertEquals("io.tracelight", ss.getScope().getName());
    assertEquals("1.2.3", ss.getScope().getVersion());
    Span span = ss.getSpans(0);
    assertArrayEquals(OtlpTraceEncoder.hexBytes("4bf92f3577b34da6a3ce929d0e0e4736"), span.getTraceId().toByteArray());
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", hex(span.getTraceId().toByteArray()));
    assertEquals("00f067aa0ba902b7", hex(span.getSpanId().toByteArray()));
    assertTrue(span.getParentSpanId().isEmpty());
    assertEquals("chat gpt-4o-mini", span.getName());
    assertEquals(Span.SpanKind.SPAN_KIND_CLIENT, span.getKind());
    assertEquals(1_764_190_551_123_456_789L, span.getStartTimeUnixNano());
    assertEquals(1_764_190_551_123_456_789L + 842_000_000L, span.getEndTimeUnixNano());
    assertEquals(1, span.getFlags() & 0xff, "sampled");
    assertEquals(Status.StatusCode.STATUS_CODE_UNSET, span.getStatus().getCode());

    Map<String, AnyValue> attributes = map(span.getAttributesList());
    assertEquals("openai", attributes.get("gen_ai.provider.name").getStringValue());
    assertEquals("gpt-4o-mini", attributes.get("gen_ai.request.model").getStringValue());
    assertEquals(812L, attributes.get("gen_ai.usage.input_tokens").getIntValue());
    assertEquals(0.125, attributes.get("gen_ai.response.time_to_first_chunk").getDoubleValue(), 0.0);
    assertTrue(attributes.get("gen_ai.request.stream").hasBoolValue(), "false is sent, not left out");
    assertFalse(attributes.get("gen_ai.request.stream").getBoolValue());
    assertEquals(Arrays.asList("stop", "length"), strings(attributes.get("gen_ai.response.finish_reasons")));
    assertEquals("caf\u00e9 \u2615 \ud83d\ude80 ?", attributes.get("gen_ai.response.id").getStringValue(),
        "UTF-8 of every plane; a lone surrogate becomes '?'");
    assertEquals(IsoTimestamp.format(1_764_190_551_123_456_789L + 125_000_000L),
        attributes.get("langfuse.observation.completion_start_time").getStringValue(),
        "a stream's first chunk as an instant, for Langfuse");
    assertEquals(attributeCount(call) + 1, span.getAttributesCount(), "every attribute of the record, and Langfuse's");
  }

  @Test
  void aCallThatJoinedATraceNamesItsParent() throws Exception {
    AiCall call = call("4bf92f3577b34da6a3ce929d0e0e4736", "1f2e1f1b3b47f882");
    call.parentSpanId = "00f067aa0ba902b7";
    call.sampled = false;
    Span span = decode(Arrays.asList(call)).getResourceSpans(0).getScopeSpans(0).getSpans(0);
    assertEquals("00f067aa0ba902b7", hex(span.getParentSpanId().toByteArray()));
    assertEquals(0, span.getFlags() & 0xff, "the parent's trace was not sampled");
  }

  @Test
  void aFailedCallHasAnErrorStatusAndErrorType() throws Exception {
    AiCall call = call("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
    call.fail("rate_limit_exceeded");

    Span span = decode(Arrays.asList(call)).getResourceSpans(0).getScopeSpans(0).getSpans(0);

    assertEquals(Status.StatusCode.STATUS_CODE_ERROR, span.getStatus().getCode());
    assertEquals("rate_limit_exceeded", span.getStatus().getMessage());
    assertEquals("rate_limit_exceeded", map(span.getAttributesList()).get("error.type").getStringValue());
  }

  @Test
  void largeBatchesAndLongValuesKeepEveryLength() throws Exception {
    SplittableRandom random = new SplittableRandom(9);
    List<AiCall> calls = new ArrayList<>();
    for (int i = 0; i < 700; i++) {
      AiCall c = call(String.format("%016x%016x", random.nextLong(), random.nextLong()),
          String.format("%016x", random.nextLong()));
      char[] text = new char[random.nextInt(40_000)];
      Arrays.fill(text, (char) ('a' + i % 26));
      c.set(Keys.RESPONSE_ID, new String(text));
      calls.add(c);
    }

    List<Span> spans = decode(calls).getResourceSpans(0).getScopeSpans(0).getSpansList();

    assertEquals(700, spans.size());
    for (int i = 0; i < calls.size(); i++) {
      assertEquals(calls.get(i).traceId, hex(spans.get(i).getTraceId().toByteArray()));
      assertEquals(calls.get(i).get(Keys.RESPONSE_ID), map(spans.get(i).getAttributesList()).get("gen_ai.response.id").getStringValue());
    }
  }

  @Test
  void theEncoderCanBeReusedForTheNextBatch() throws Exception {
    decode(Arrays.asList(call("11111111111111111111111111111111", "2222222222222222")));
    ExportTraceServiceRequest second = decode(Arrays.asList(call("33333333333333333333333333333333", "4444444444444444")));
    assertEquals(1, second.getResourceSpans(0).getScopeSpans(0).getSpansCount());
    assertEquals("33333333333333333333333333333333",
        hex(second.getResourceSpans(0).getScopeSpans(0).getSpans(0).getTraceId().toByteArray()));
  }

  private ExportTraceServiceRequest decode(List<AiCall> calls) throws Exception {
    ProtoWriter out = encoder.encode(calls);
    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(out.toByteArray());
    assertEquals(1, request.getResourceSpansCount());
    assertNoUnknownFields(request, "request");
    return request;
  }

  /** Every message, nested ones too, holds only fields its schema declares. */
  private static void assertNoUnknownFields(com.google.protobuf.Message m, String path) {
    assertTrue(m.getUnknownFields().asMap().isEmpty(), "unknown fields in " + path + ": " + m.getUnknownFields());
    for (Map.Entry<com.google.protobuf.Descriptors.FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
      if (f.getKey().getJavaType() != com.google.protobuf.Descriptors.FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (f.getKey().isRepeated()) {
        for (Object item : (List<?>) f.getValue()) {
          assertNoUnknownFields((com.google.protobuf.Message) item, path + "." + f.getKey().getName());
        }
      } else {
        assertNoUnknownFields((com.google.protobuf.Message) f.getValue(), path + "." + f.getKey().getName());
      }
    }
  }

  static AiCall call(String traceId, String spanId) {
    AiCall c = new AiCall();
    c.traceId = traceId;
    c.spanId = spanId;
    c.startEpochNanos = 1_764_190_551_123_456_789L;
    c.durationNanos = 842_000_000L;
    c.set(Keys.PROVIDER, "openai");
    c.set(Keys.OPERATION, "chat");
    c.set(Keys.REQUEST_MODEL, "gpt-4o-mini");
    c.set(Keys.INPUT_TOKENS, 812L);
    c.set(Keys.RESPONSE_ID, "caf\u00e9 \u2615 \ud83d\ude80 \ud800");
    return c;
  }

  private static int attributeCount(AiCall call) throws Exception {
    int[] n = {0};
    call.forEach((key, value) -> n[0]++);
    return n[0];
  }

  private static List<String> keys(List<KeyValue> kvs) {
    List<String> out = new ArrayList<>();
    for (KeyValue kv : kvs) {
      out.add(kv.getKey());
    }
    return out;
  }

  private static Map<String, AnyValue> map(List<KeyValue> kvs) {
    Map<String, AnyValue> out = new LinkedHashMap<>();
    for (KeyValue kv : kvs) {
      assertEquals(null, out.put(kv.getKey(), kv.getValue()), "keys are unique: " + kv.getKey());
    }
    return out;
  }

  private static List<String> strings(AnyValue v) {
    List<String> out = new ArrayList<>();
    for (AnyValue item : v.getArrayValue().getValuesList()) {
      out.add(item.getStringValue());
    }
    return out;
  }

  static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      b.append(String.format("%02x", x & 0xff));
    }
    return b.toString();
  }
}
