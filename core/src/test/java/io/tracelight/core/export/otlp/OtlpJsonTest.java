package io.tracelight.core.export.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code http/json} says what {@code http/protobuf} says: the official classes read the protobuf,
 * and every field they see must be in the JSON under its JSON name, with OTLP's JSON rules (ids
 * in hex, 64-bit integers as strings, enums as numbers), and nothing else but default values.
 */
class OtlpJsonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, Object> RESOURCE = new LinkedHashMap<>();

  static {
    RESOURCE.put("service.name", "checkout");
    RESOURCE.put("process.pid", 4242L);
  }

  @Test
  void spansInJsonSayWhatTheProtobufSays() throws Exception {
    AiCall plain = call("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
    AiCall streamed = call("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
    streamed.parentSpanId = "1f2e1f1b3b47f882";
    streamed.sampled = false;
    streamed.set(Keys.TIME_TO_FIRST_CHUNK, 0.125);
    streamed.set(Keys.STREAM, Boolean.TRUE);
    streamed.set(Keys.FINISH_REASONS, Arrays.asList("stop", "length"));
    streamed.fail("rate_limit_exceeded");
    ProtoWriter proto = new OtlpTraceEncoder(RESOURCE, "1.2.3").encode(List.of(plain, streamed));
    byte[] json = OtlpJson.transcode(proto.array(), proto.size(), OtlpJson.TRACES);

    ExportTraceServiceRequest official = ExportTraceServiceRequest.parseFrom(proto.toByteArray());
    JsonNode tree = JSON.readTree(json);
    assertSameMessage(official, tree, "request");
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736",
        tree.at("/resourceSpans/0/scopeSpans/0/spans/0/traceId").textValue(), "ids in hex");
    assertEquals("1764190551123456789",
        tree.at("/resourceSpans/0/scopeSpans/0/spans/0/startTimeUnixNano").textValue(), "64-bit as a string");
    assertEquals(3, tree.at("/resourceSpans/0/scopeSpans/0/spans/0/kind").intValue(), "enums as numbers");
  }

  @Test
  void metricsInJsonSayWhatTheProtobufSays() throws Exception {
    OtlpMetrics metrics = new OtlpMetrics(RESOURCE, "1.2.3", false, 1_764_190_000_000_000_000L);
    AiCall ok = call("4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7");
    ok.set(Keys.OUTPUT_TOKENS, 40L);
    ok.set(Keys.TIME_TO_FIRST_CHUNK, 0.2);
    AiCall failed = call("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331");
    failed.fail("timeout");
    metrics.record(ok);
    metrics.record(failed);
    byte[] proto = metrics.encode(1_764_190_060_000_000_000L);
    byte[] json = OtlpJson.transcode(proto, proto.length, OtlpJson.METRICS);

    JsonNode tree = JSON.readTree(json);
    assertSameMessage(ExportMetricsServiceRequest.parseFrom(proto), tree, "request");
    JsonNode first = tree.at("/resourceMetrics/0/scopeMetrics/0/metrics/0");
    assertEquals("gen_ai.client.operation.duration", first.path("name").textValue());
    assertTrue(first.at("/histogram/dataPoints/0/bucketCounts/0").isTextual(), "bucket counts are 64-bit: strings");
    assertTrue(first.at("/histogram/dataPoints/0/explicitBounds/0").isNumber());
  }

  /** Every field the official classes read is in the JSON with the same value; the JSON has nothing else but defaults. */
  private static void assertSameMessage(Message proto, JsonNode json, String path) {
    assertTrue(json.isObject(), path);
    Map<FieldDescriptor, Object> fields = proto.getAllFields();
    for (Map.Entry<FieldDescriptor, Object> e : fields.entrySet()) {
      FieldDescriptor f = e.getKey();
      JsonNode node = json.get(f.getJsonName());
      assertNotNull(node, path + "." + f.getJsonName() + " is in the JSON");
      if (f.isRepeated()) {
        List<?> items = (List<?>) e.getValue();
        assertTrue(node.isArray(), path + "." + f.getJsonName());
        assertEquals(items.size(), node.size(), path + "." + f.getJsonName());
        for (int i = 0; i < items.size(); i++) {
          assertSameValue(f, items.get(i), node.get(i), path + "." + f.getJsonName() + "[" + i + "]");
        }
      } else {
        assertSameValue(f, e.getValue(), node, path + "." + f.getJsonName());
      }
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> extra = it.next();
      FieldDescriptor f = proto.getDescriptorForType().getFields().stream()
          .filter(d -> d.getJsonName().equals(extra.getKey())).findFirst().orElse(null);
      assertNotNull(f, path + ": " + extra.getKey() + " is an OTLP field");
      if (!fields.containsKey(f)) {
        assertTrue(extra.getValue().isValueNode(), path + "." + extra.getKey() + " is a default, not a message");
        String v = extra.getValue().asText();
        assertTrue(v.equals("0") || v.equals("false") || v.isEmpty(), path + "." + extra.getKey() + " is a default: " + v);
      }
    }
  }

  private static void assertSameValue(FieldDescriptor f, Object value, JsonNode node, String path) {
    switch (f.getJavaType()) {
      case MESSAGE:
        assertSameMessage((Message) value, node, path);
        break;
      case STRING:
        assertEquals(value, node.textValue(), path);
        break;
      case BYTE_STRING:
        assertEquals(OtlpTraceEncoderTest.hex(((ByteString) value).toByteArray()), node.textValue(), path + " in hex");
        break;
      case LONG:
        assertTrue(node.isTextual(), path + " is a string");
        assertEquals(value.toString(), node.textValue(), path);
        break;
      case INT:
        assertEquals(((Integer) value).longValue() & 0xffffffffL, node.longValue(), path);
        break;
      case DOUBLE:
        assertEquals((Double) value, node.doubleValue(), 0.0, path);
        break;
      case BOOLEAN:
        assertEquals(value, node.booleanValue(), path);
        break;
      case ENUM:
        assertEquals(((EnumValueDescriptor) value).getNumber(), node.intValue(), path + " as a number");
        break;
      default:
        throw new AssertionError(path + ": " + f.getJavaType());
    }
  }

  private static AiCall call(String traceId, String spanId) {
    AiCall c = OtlpTraceEncoderTest.call(traceId, spanId);
    c.set(Keys.TEMPERATURE, 0.5);
    return c;
  }
}
