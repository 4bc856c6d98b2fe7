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
    // The JDK's HTTP server reads its settings once, when the first server in the JVM is made: without
    // this, a sink made before the mock server turns Nagle's algorithm back on for both, and every
    // mock call waits ~40 ms for a delayed ACK.
    System.setProperty("sun.net.httpserver.nodelay", "true");
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

  /** Its dispatcher thread is not a daemon: the runner's JVM would not exit without this. */
  void close() {
    server.stop(0);
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }
}
