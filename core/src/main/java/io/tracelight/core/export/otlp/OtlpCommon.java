package io.tracelight.core.export.otlp;

import java.util.List;
import java.util.Map;

/**
 * The messages traces and metrics share ({@code common/v1/common.proto}, {@code resource/v1/resource.proto}):
 * the resource, the instrumentation scope and attributes. Stateless.
 */
final class OtlpCommon {
  static final String SCOPE = "io.tracelight";
  // ResourceSpans.resource and ResourceMetrics.resource; ScopeSpans.scope and ScopeMetrics.scope
  static final int RESOURCE = 1;
  static final int SCOPE_FIELD = 1;
  private static final int RESOURCE_ATTRIBUTES = 1;
  private static final int SCOPE_NAME = 1;
  private static final int SCOPE_VERSION = 2;
  private static final int KEY_VALUE_KEY = 1;
  private static final int KEY_VALUE_VALUE = 2;
  private static final int ANY_STRING = 1;
  private static final int ANY_BOOL = 2;
  private static final int ANY_INT = 3;
  private static final int ANY_DOUBLE = 4;
  private static final int ANY_ARRAY = 5;
  private static final int ARRAY_VALUES = 1;

  private OtlpCommon() {}

  static void resource(ProtoWriter out, Map<String, Object> attributes) {
    int resource = out.begin(RESOURCE);
    for (Map.Entry<String, Object> e : attributes.entrySet()) {
      attribute(out, RESOURCE_ATTRIBUTES, e.getKey(), e.getValue());
    }
    out.end(resource);
  }

  static void scope(ProtoWriter out, String version) {
    int scope = out.begin(SCOPE_FIELD);
    out.stringField(SCOPE_NAME, SCOPE);
    out.stringField(SCOPE_VERSION, version);
    out.end(scope);
  }

  /** A {@code KeyValue} as field {@code field}: String, Boolean, Long/Integer, Double or a List of them. */
  static void attribute(ProtoWriter out, int field, String key, Object value) {
    int kv = out.begin(field);
    out.stringField(KEY_VALUE_KEY, key);
    int any = out.begin(KEY_VALUE_VALUE);
    anyValue(out, value);
    out.end(any);
    out.end(kv);
  }

  private static void anyValue(ProtoWriter out, Object value) {
    if (value instanceof String) {
      out.stringField(ANY_STRING, (String) value);
    } else if (value instanceof Boolean) {
      out.boolField(ANY_BOOL, (Boolean) value);
    } else if (value instanceof Long || value instanceof Integer) {
      out.varintField(ANY_INT, ((Number) value).longValue());
    } else if (value instanceof Double) {
      out.doubleField(ANY_DOUBLE, (Double) value);
    } else if (value instanceof List) {
      int array = out.begin(ANY_ARRAY);
      for (Object item : (List<?>) value) {
        int element = out.begin(ARRAY_VALUES);
        anyValue(out, item instanceof String ? item : String.valueOf(item));
        out.end(element);
      }
      out.end(array);
    } else {
      out.stringField(ANY_STRING, String.valueOf(value));
    }
  }
}
