package io.tracelight.core.export.otlp;

import io.tracelight.core.export.SpanExtras;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.AttributeKey;
import io.tracelight.core.model.Keys;
import java.util.List;
import java.util.Map;

/**
 * AI calls as one OTLP {@code ExportTraceServiceRequest}: one resource, the {@code io.tracelight}
 * scope, a CLIENT span per call with the record's attributes under the same keys. Field numbers are
 * those of {@code opentelemetry/proto/trace/v1/trace.proto} and {@code common/v1/common.proto};
 * {@code OtlpTraceEncoderTest} reads the output back with the official generated classes.
 * One thread at a time (it reuses one buffer).
 */
final class OtlpTraceEncoder {
  // ExportTraceServiceRequest, ResourceSpans, ScopeSpans (resource and scope: OtlpCommon)
  private static final int REQUEST_RESOURCE_SPANS = 1;
  private static final int RESOURCE_SPANS_SCOPE_SPANS = 2;
  private static final int SCOPE_SPANS_SPANS = 2;
  // Span
  private static final int SPAN_TRACE_ID = 1;
  private static final int SPAN_SPAN_ID = 2;
  private static final int SPAN_PARENT_SPAN_ID = 4;
  private static final int SPAN_NAME = 5;
  private static final int SPAN_KIND = 6;
  private static final int SPAN_START = 7;
  private static final int SPAN_END = 8;
  private static final int SPAN_ATTRIBUTES = 9;
  private static final int SPAN_STATUS = 15;
  private static final int SPAN_FLAGS = 16;
  private static final int SPAN_KIND_CLIENT = 3;
  private static final int TRACE_FLAG_SAMPLED = 0x01;
  // Status
  private static final int STATUS_MESSAGE = 2;
  private static final int STATUS_CODE = 3;
  private static final int STATUS_CODE_ERROR = 2;

  private final Map<String, Object> resource;
  private final String version;
  private final ProtoWriter out = new ProtoWriter(16 * 1024);

  /** @param resource resource attributes, String or Long values, in the order they should appear */
  OtlpTraceEncoder(Map<String, Object> resource, String version) {
    this.resource = resource;
    this.version = version;
  }

  /** The request for {@code calls}; the returned writer's bytes are valid until the next call. */
  ProtoWriter encode(List<AiCall> calls) {
    out.reset();
    int resourceSpans = out.begin(REQUEST_RESOURCE_SPANS);
    OtlpCommon.resource(out, resource);
    int scopeSpans = out.begin(RESOURCE_SPANS_SCOPE_SPANS);
    OtlpCommon.scope(out, version);
    for (AiCall call : calls) {
      span(call);
    }
    out.end(scopeSpans);
    out.end(resourceSpans);
    return out;
  }

  private void span(AiCall call) {
    int span = out.begin(SCOPE_SPANS_SPANS);
    out.bytesField(SPAN_TRACE_ID, hexBytes(call.traceId));
    out.bytesField(SPAN_SPAN_ID, hexBytes(call.spanId));
    if (call.parentSpanId != null) {
      out.bytesField(SPAN_PARENT_SPAN_ID, hexBytes(call.parentSpanId));
    }
    String name = call.name();
    out.stringField(SPAN_NAME, name == null ? "unknown" : name);
    out.varintField(SPAN_KIND, SPAN_KIND_CLIENT);
    out.fixed64Field(SPAN_START, call.startEpochNanos);
    out.fixed64Field(SPAN_END, call.startEpochNanos + call.durationNanos);
    try {
      call.forEach(new AiCall.Visitor() { // no lambda: see docs/architecture.md, rules
        @Override
        public void visit(AttributeKey<?> key, Object value) {
          OtlpCommon.attribute(out, SPAN_ATTRIBUTES, key.name, value);
        }
      });
    } catch (java.io.IOException cannotHappen) {
      throw new IllegalStateException(cannotHappen);
    }
    String completionStart = SpanExtras.completionStart(call);
    if (completionStart != null) {
      OtlpCommon.attribute(out, SPAN_ATTRIBUTES, SpanExtras.LANGFUSE_COMPLETION_START, completionStart);
    }
    if (call.error) {
      int status = out.begin(SPAN_STATUS);
      String type = call.get(Keys.ERROR_TYPE);
      if (type != null) {
        out.stringField(STATUS_MESSAGE, type);
      }
      out.varintField(STATUS_CODE, STATUS_CODE_ERROR);
      out.end(status);
    }
    out.fixed32Field(SPAN_FLAGS, call.sampled ? TRACE_FLAG_SAMPLED : 0);
    out.end(span);
  }

  /** Lowercase hex (as the record carries ids) to bytes. */
  static byte[] hexBytes(String hex) {
    byte[] bytes = new byte[hex.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (Character.digit(hex.charAt(2 * i), 16) << 4 | Character.digit(hex.charAt(2 * i + 1), 16));
    }
    return bytes;
  }
}
