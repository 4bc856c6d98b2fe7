package io.tracelight.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback OTLP/HTTP endpoint for the OTLP mode: reads each request, answers 200, counts the
 * requests and bytes (so the report can show the export happened). Runs on the JDK server's thread.
 */
final class OtlpSink {
  final AtomicLong requests = new AtomicLong();
  final AtomicLong bytes = new AtomicLong();
  private final HttpServer server;

  OtlpSink() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", ex -> {
      try (InputStream in = ex.getRequestBody()) {
        bytes.addAndGet(in.readAllBytes().length);
      }
      requests.incrementAndGet();
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    server.setExecutor(null);
    server.start();
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }
}
