package io.tracelight.core.export.otlp;

import io.tracelight.core.alert.Alert;
import java.util.List;
import java.util.Map;

/**
 * Alert events as one OTLP {@code ExportLogsServiceRequest}: a log record per event, named
 * {@value #EVENT_NAME}, its sentence as the body, its fields as {@code ai.alert.*} attributes and
 * its subject under the records' names ({@code gen_ai.provider.name}, {@code gen_ai.request.model},
 * {@code ai.model.version}, {@code ai.deployment}, {@code ai.prompt.system_hash}; for an in-JVM model
 * the runtime and the model's name), severity info, warn or error. Field numbers are those of
 * {@code opentelemetry/proto/logs/v1/logs.proto}. One thread at a time (it reuses one buffer).
 */
final class OtlpLogEncoder {
  static final String EVENT_NAME = "tracelight.alert";
  // ExportLogsServiceRequest, ResourceLogs, ScopeLogs (resource and scope: OtlpCommon)
  private static final int REQUEST_RESOURCE_LOGS = 1;
  private static final int RESOURCE_LOGS_SCOPE_LOGS = 2;
  private static final int SCOPE_LOGS_LOG_RECORDS = 2;
  // LogRecord
  private static final int LOG_TIME = 1;
  private static final int LOG_SEVERITY_NUMBER = 2;
  private static final int LOG_SEVERITY_TEXT = 3;
  private static final int LOG_BODY = 5;
  private static final int LOG_ATTRIBUTES = 6;
  private static final int LOG_OBSERVED_TIME = 11;
  private static final int LOG_EVENT_NAME = 12;
  private static final int ANY_STRING = 1;
  // SeverityNumber
  private static final int SEVERITY_INFO = 9;
  private static final int SEVERITY_WARN = 13;
  private static final int SEVERITY_ERROR = 17;

  private final Map<String, Object> resource;
  private final String version;
  private final ProtoWriter out = new ProtoWriter(4 * 1024);

  OtlpLogEncoder(Map<String, Object> resource, String version) {
    this.resource = resource;
    this.version = version;
  }

  /** The request for {@code alerts}; the returned writer's bytes are valid until the next call. */
  ProtoWriter encode(List<Alert> alerts, long observedEpochNanos) {
    out.reset();
    int resourceLogs = out.begin(REQUEST_RESOURCE_LOGS);
    OtlpCommon.resource(out, resource);
    int scopeLogs = out.begin(RESOURCE_LOGS_SCOPE_LOGS);
    OtlpCommon.scope(out, version);
    for (Alert alert : alerts) {
      record(alert, observedEpochNanos);
    }
    out.end(scopeLogs);
    out.end(resourceLogs);
    return out;
  }

  private void record(Alert a, long observedEpochNanos) {
    int record = out.begin(SCOPE_LOGS_LOG_RECORDS);
    out.fixed64Field(LOG_TIME, a.epochNanos);
    out.varintField(LOG_SEVERITY_NUMBER, a.severity == Alert.Severity.CRITICAL ? SEVERITY_ERROR
        : a.severity == Alert.Severity.WARNING ? SEVERITY_WARN : SEVERITY_INFO);
    out.stringField(LOG_SEVERITY_TEXT, Alert.name(a.severity));
    int body = out.begin(LOG_BODY);
    out.stringField(ANY_STRING, a.message);
    out.end(body);
    attribute("ai.alert.state", Alert.name(a.state));
    attribute("ai.alert.severity", Alert.name(a.severity));
    attribute("ai.alert.rule", a.rule);
    attribute("ai.alert.signal", a.signal);
    attribute("ai.alert.statistic", a.statistic);
    number("ai.alert.value", a.value);
    number("ai.alert.threshold", a.threshold);
    number("ai.alert.p_value", a.pValue);
    number("ai.alert.baseline", a.baseline);
    number("ai.alert.current", a.current);
    attribute("ai.alert.trend", a.trend);
    attribute("gen_ai.provider.name", a.subject.provider);
    attribute("gen_ai.request.model", a.subject.model);
    attribute("ai.model.version", a.subject.version);
    attribute("ai.deployment", a.subject.deployment);
    attribute("ai.prompt.system_hash", a.subject.systemHash);
    if (a.referenceCalls > 0) {
      OtlpCommon.attribute(out, LOG_ATTRIBUTES, "ai.alert.reference_calls", a.referenceCalls);
    }
    if (a.windowCalls > 0) {
      OtlpCommon.attribute(out, LOG_ATTRIBUTES, "ai.alert.window_calls", a.windowCalls);
    }
    attribute("ai.alert.episode", a.episode);
    attribute("ai.alert.runbook", a.runbook == null || a.runbook.isEmpty() ? null : a.runbook);
    attribute("ai.alert.response", a.response);
    out.fixed64Field(LOG_OBSERVED_TIME, observedEpochNanos);
    out.stringField(LOG_EVENT_NAME, EVENT_NAME);
    out.end(record);
  }

  private void attribute(String key, String value) {
    if (value != null) {
      OtlpCommon.attribute(out, LOG_ATTRIBUTES, key, value);
    }
  }

  private void number(String key, double value) {
    if (!Double.isNaN(value) && !Double.isInfinite(value)) { // as alerts.jsonl: no value rather than a non-number
      OtlpCommon.attribute(out, LOG_ATTRIBUTES, key, value);
    }
  }
}
