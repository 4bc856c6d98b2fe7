package io.tracelight.smoke;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.zip.GZIPInputStream;

/**
 * A test OTLP/HTTP receiver on a loopback port: traces, metrics and logs in protobuf (gzip or not), decoded
 * with the official generated classes. Requests are handled on the server's thread and read by the test.
 */
final class OtlpReceiver implements AutoCloseable {
  final ConcurrentLinkedQueue<ExportTraceServiceRequest> traces = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<ExportMetricsServiceRequest> metrics = new ConcurrentLinkedQueue<>();
  final ConcurrentLinkedQueue<io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest> logs =
      new ConcurrentLinkedQueue<>();
  /** Every request body as received (decompressed), to search for what must never be sent. */
  final ConcurrentLinkedQueue<byte[]> raw = new ConcurrentLinkedQueue<>();
  private final HttpServer server;

  OtlpReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/traces", ex -> {
      traces.add(ExportTraceServiceRequest.parseFrom(body(ex)));
      ok(ex);
    });
    server.createContext("/v1/metrics", ex -> {
      metrics.add(ExportMetricsServiceRequest.parseFrom(body(ex)));
      ok(ex);
    });
    server.createContext("/v1/logs", ex -> {
      logs.add(io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest.parseFrom(body(ex)));
      ok(ex);
    });
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private byte[] body(HttpExchange ex) throws IOException {
    byte[] body = decompressedBody(ex);
    raw.add(body);
    return body;
  }

  private static byte[] decompressedBody(HttpExchange ex) throws IOException {
    byte[] body;
    try (InputStream in = ex.getRequestBody()) {
      body = in.readAllBytes();
    }
    if ("gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
      body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
    }
    return body;
  }

  private static void ok(HttpExchange ex) throws IOException {
    ex.sendResponseHeaders(200, -1);
    ex.close();
  }

  /** A received span with the resource and scope it came under. */
  static final class Received {
    final Map<String, AnyValue> resource;
    final String scope;
    final String scopeVersion;
    final Span span;

    Received(Map<String, AnyValue> resource, String scope, String scopeVersion, Span span) {
      this.resource = resource;
      this.scope = scope;
      this.scopeVersion = scopeVersion;
      this.span = span;
    }
  }

  List<Received> spans() {
    List<Received> out = new ArrayList<>();
    for (ExportTraceServiceRequest request : traces) {
      for (ResourceSpans rs : request.getResourceSpansList()) {
        Map<String, AnyValue> resource = attributes(rs.getResource().getAttributesList());
        for (ScopeSpans ss : rs.getScopeSpansList()) {
          for (Span s : ss.getSpansList()) {
            out.add(new Received(resource, ss.getScope().getName(), ss.getScope().getVersion(), s));
          }
        }
      }
    }
    return out;
  }

  /** Every metric received from {@code scope}, in arrival order. */
  List<io.opentelemetry.proto.metrics.v1.Metric> metrics(String scope) {
    List<io.opentelemetry.proto.metrics.v1.Metric> out = new ArrayList<>();
    for (ExportMetricsServiceRequest request : metrics) {
      for (ResourceMetrics rm : request.getResourceMetricsList()) {
        for (ScopeMetrics sm : rm.getScopeMetricsList()) {
          if (sm.getScope().getName().equals(scope)) {
            out.addAll(sm.getMetricsList());
          }
        }
      }
    }
    return out;
  }

  /** Every log record received from {@code scope}, in arrival order. */
  List<io.opentelemetry.proto.logs.v1.LogRecord> logRecords(String scope) {
    List<io.opentelemetry.proto.logs.v1.LogRecord> out = new ArrayList<>();
    for (io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest request : logs) {
      for (io.opentelemetry.proto.logs.v1.ResourceLogs rl : request.getResourceLogsList()) {
        for (io.opentelemetry.proto.logs.v1.ScopeLogs sl : rl.getScopeLogsList()) {
          if (sl.getScope().getName().equals(scope)) {
            out.addAll(sl.getLogRecordsList());
          }
        }
      }
    }
    return out;
  }

  static Map<String, AnyValue> attributes(List<KeyValue> kvs) {
    Map<String, AnyValue> out = new HashMap<>();
    for (KeyValue kv : kvs) {
      out.put(kv.getKey(), kv.getValue());
    }
    return out;
  }

  static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      b.append(Character.forDigit((x >> 4) & 0xf, 16)).append(Character.forDigit(x & 0xf, 16));
    }
    return b.toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
