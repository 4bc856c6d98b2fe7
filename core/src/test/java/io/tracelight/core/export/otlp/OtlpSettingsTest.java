package io.tracelight.core.export.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpSettingsTest {
  private final Map<String, String> env = new HashMap<>();
  private final Map<String, String> props = new HashMap<>();

  @Test
  void defaultsAreTheSdksDefaults() {
    OtlpSettings s = OtlpSettings.read(env, props);
    assertEquals("http://localhost:4318/v1/traces", s.traces.endpoint.toString());
    assertFalse(s.traces.gzip);
    assertEquals(10_000, s.traces.timeoutMillis);
    assertEquals("unknown_service:java", s.resource.get("service.name"));
    assertEquals("tracelight", s.resource.get("telemetry.sdk.name"));
    assertEquals("java", s.resource.get("telemetry.sdk.language"));
    assertEquals(ProcessHandle.current().pid(), s.resource.get("process.pid"));
  }

  @Test
  void theGeneralEndpointGetsTheSignalPathAndTheTracesEndpointIsTakenAsIs() {
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318/");
    assertEquals("http://collector:4318/v1/traces", OtlpSettings.read(env, props).traces.endpoint.toString());
    env.put("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://ingest.example.com/otlp/traces");
    assertEquals("https://ingest.example.com/otlp/traces", OtlpSettings.read(env, props).traces.endpoint.toString());
  }

  @Test
  void aSystemPropertyWinsOverItsEnvironmentTwin() {
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://from-env:4318");
    props.put("otel.exporter.otlp.endpoint", "http://from-property:4318");
    env.put("OTEL_SERVICE_NAME", "env-name");
    props.put("otel.service.name", "property-name");
    env.put("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip");
    env.put("OTEL_EXPORTER_OTLP_TIMEOUT", "2500");
    OtlpSettings s = OtlpSettings.read(env, props);
    assertEquals("http://from-property:4318/v1/traces", s.traces.endpoint.toString());
    assertEquals("property-name", s.resource.get("service.name"));
    assertTrue(s.traces.gzip);
    assertEquals(2500, s.traces.timeoutMillis);
  }

  @Test
  void eachSignalHasItsOwnHeadersCompressionAndTimeoutOverTheGeneralOnes() {
    env.put("OTEL_EXPORTER_OTLP_HEADERS", "x-tenant=acme,x-scope=all");
    env.put("OTEL_EXPORTER_OTLP_METRICS_HEADERS", "x-scope=metrics");
    env.put("OTEL_EXPORTER_OTLP_COMPRESSION", "gzip");
    env.put("OTEL_EXPORTER_OTLP_METRICS_COMPRESSION", "none");
    env.put("OTEL_EXPORTER_OTLP_TRACES_TIMEOUT", "1500");
    props.put("otel.exporter.otlp.metrics.timeout", "700");
    OtlpSettings s = OtlpSettings.read(env, props);
    assertEquals(Map.of("x-tenant", "acme", "x-scope", "all"), s.traces.headers);
    assertEquals(Map.of("x-tenant", "acme", "x-scope", "metrics"), s.metrics.headers);
    assertTrue(s.traces.gzip);
    assertFalse(s.metrics.gzip);
    assertEquals(1500, s.traces.timeoutMillis);
    assertEquals(700, s.metrics.timeoutMillis);
  }

  @Test
  void theProtocolIsChosenPerSignal() {
    assertFalse(OtlpSettings.read(env, props).traces.json, "http/protobuf by default");
    env.put("OTEL_EXPORTER_OTLP_PROTOCOL", "http/json");
    env.put("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "http/protobuf");
    OtlpSettings s = OtlpSettings.read(env, props);
    assertTrue(s.traces.json);
    assertFalse(s.metrics.json);
    props.put("otel.exporter.otlp.traces.protocol", "grpc");
    assertFalse(OtlpSettings.read(env, props).traces.json, "gRPC is not offered: protobuf over HTTP, said once");
  }

  @Test
  void headersArePercentDecodedAndAPlusStaysAPlus() {
    env.put("OTEL_EXPORTER_OTLP_HEADERS", "Authorization=Basic dXNlcjpw+YXNz,x-tenant=a%2Cb%20c%C3%A9,x-scope=all");
    env.put("OTEL_EXPORTER_OTLP_TRACES_HEADERS", "x-scope=traces");
    Map<String, String> h = OtlpSettings.read(env, props).traces.headers;
    assertEquals("Basic dXNlcjpw+YXNz", h.get("Authorization"));
    assertEquals("a,b c\u00e9", h.get("x-tenant"), "%2C, %20 and a two-byte UTF-8 escape decoded");
    assertEquals("traces", h.get("x-scope"), "the traces-specific header wins");
  }

  @Test
  void aHeaderWithALineBreakIsRefusedWithoutShowingIt() {
    env.put("OTEL_EXPORTER_OTLP_HEADERS", "api-key=sk-live-0123%0AX-Injected: 1,x-ok=fine");
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Map<String, String> h;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      h = OtlpSettings.read(env, props).traces.headers;
    } finally {
      System.setErr(saved);
    }
    assertEquals(Map.of("x-ok", "fine"), h);
    assertFalse(err.toString(StandardCharsets.UTF_8).contains("sk-live"), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void theEndpointIsPrintedWithoutItsCredentialsOrQuery() {
    env.put("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://user:s3cret@ingest.example.com:4318/v1/traces?key=abc");
    assertEquals("https://ingest.example.com:4318/v1/traces", OtlpSettings.read(env, props).endpointForLogs);
  }

  @Test
  void resourceAttributesAddToTheDefaultsAndMayNameTheService() {
    env.put("OTEL_RESOURCE_ATTRIBUTES", "service.name=billing,deployment.environment.name=prod,team=ai%20platform");
    Map<String, Object> r = OtlpSettings.read(env, props).resource;
    assertEquals("billing", r.get("service.name"));
    assertEquals("prod", r.get("deployment.environment.name"));
    assertEquals("ai platform", r.get("team"));
  }

  @Test
  void badSettingsAreSaidInOneLineWithoutTheSecretAndDefaultsUsed() {
    String secret = "sk-live-0123456789";
    env.put("OTEL_EXPORTER_OTLP_HEADERS", "api-key=" + secret + "%zz,broken" + secret);
    env.put("OTEL_EXPORTER_OTLP_ENDPOINT", "ftp://nowhere");
    env.put("OTEL_EXPORTER_OTLP_TIMEOUT", "soon");
    PrintStream saved = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    OtlpSettings s;
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      s = OtlpSettings.read(env, props);
    } finally {
      System.setErr(saved);
    }
    String said = err.toString(StandardCharsets.UTF_8);
    assertFalse(said.contains(secret), said);
    assertEquals(4, said.lines().count(), said);
    assertTrue(s.traces.headers.isEmpty());
    assertEquals("http://localhost:4318/v1/traces", s.traces.endpoint.toString());
    assertEquals(10_000, s.traces.timeoutMillis);
  }

  @Test
  void oneResourceAttributeIsReadWithTheExportersParsingAndNoWarning() {
    String before = System.getProperty("otel.resource.attributes");
    System.setProperty("otel.resource.attributes", "service.name=shop,broken,service.version=2.4%2Dcanary");
    try {
      assertEquals("2.4-canary", OtlpSettings.resourceAttribute("service.version"), "percent-decoded as the exporter does");
      assertEquals(null, OtlpSettings.resourceAttribute("deployment.environment"));
    } finally {
      if (before == null) {
        System.clearProperty("otel.resource.attributes");
      } else {
        System.setProperty("otel.resource.attributes", before);
      }
    }
  }
}
