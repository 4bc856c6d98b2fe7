package io.tracelight.core.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.tracelight.core.AgentThread;
import io.tracelight.core.InternalErrors;
import io.tracelight.core.Log;
import io.tracelight.core.metrics.LiveMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.LongAdder;

/**
 * The agent's own HTTP server, off unless {@code tracelight.http.port} is set: {@code /metrics} for
 * Prometheus and the live page at {@code /} for a person. The JDK's server ({@code jdk.httpserver}) on two agent threads, bound to
 * {@code tracelight.http.host} (loopback by default). A port in use, or a JDK without the module,
 * is said once and the agent carries on without it.
 *
 * <p>Threads: {@link #start} and {@link #stop} by the agent's start and shutdown; requests on the
 * server's two {@code tracelight-http} threads (the registry is read under its lock).
 */
public final class AgentHttpServer {
  private final HttpServer server;
  private final ExecutorService executor;
  private final LongAdder scrapes = new LongAdder();

  private AgentHttpServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts serving, or says why not and returns null. */
  public static AgentHttpServer start(String host, int port, final LiveMetrics live,
      final PrometheusFormat.Health health) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 16);
    } catch (IOException e) {
      Log.warn("tracelight.http.port " + port + " on " + host + " cannot be used (" + e.getMessage()
          + "); /metrics is not served, the agent carries on without it");
      return null;
    } catch (LinkageError e) {
      Log.warn("this JDK has no jdk.httpserver module; /metrics is not served, the agent carries on without it");
      return null;
    }
    // two threads: the JDK's server reads a request's head on them without a time limit, so one
    // client that stalls mid-request holds one (bind to loopback, or to a network you trust)
    ExecutorService executor = Executors.newFixedThreadPool(2, new ThreadFactory() {
      @Override
      public Thread newThread(Runnable r) {
        Thread t = new AgentThread("tracelight-http") {
          @Override
          public void run() {
            r.run();
          }
        };
        return t;
      }
    });
    final AgentHttpServer agentServer = new AgentHttpServer(server, executor);
    server.createContext("/metrics", new HttpHandler() { // no lambda: see docs/architecture.md, rules
      @Override
      public void handle(HttpExchange exchange) throws IOException {
        agentServer.metrics(exchange, live, health);
      }
    });
    server.createContext("/", new HttpHandler() {
      @Override
      public void handle(HttpExchange exchange) throws IOException {
        agentServer.page(exchange, live, health);
      }
    });
    server.setExecutor(executor);
    startAsDaemon(server);
    Log.warn("serving /metrics on http://" + host + ":" + server.getAddress().getPort() + "/metrics and the live page on http://"
        + host + ":" + server.getAddress().getPort() + "/");
    return agentServer;
  }

  /**
   * Starts the server from an agent thread: its dispatcher thread takes the starting thread's daemon
   * status, and a non-daemon dispatcher would keep the application's JVM alive after its main ends.
   */
  private static void startAsDaemon(final HttpServer server) {
    Thread starter = new AgentThread("tracelight-http-start") {
      @Override
      public void run() {
        server.start();
      }
    };
    starter.start();
    try {
      starter.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void metrics(HttpExchange exchange, LiveMetrics live, PrometheusFormat.Health health) throws IOException {
    try {
      if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      boolean openMetrics = PrometheusFormat.wantsOpenMetrics(exchange.getRequestHeaders().getFirst("Accept"));
      byte[] body;
      try {
        body = PrometheusFormat.render(live, health, openMetrics, System.nanoTime()).getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        InternalErrors.report("metrics endpoint", e);
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      scrapes.increment();
      exchange.getResponseHeaders().set("Content-Type", openMetrics ? PrometheusFormat.OPENMETRICS : PrometheusFormat.TEXT);
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(200, head ? -1 : body.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    } finally {
      exchange.close();
    }
  }

  private void page(HttpExchange exchange, LiveMetrics live, PrometheusFormat.Health health) throws IOException {
    try {
      if (!"/".equals(exchange.getRequestURI().getPath())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] body;
      try {
        body = LivePage.render(live, health, System.nanoTime(), System.currentTimeMillis() * 1_000_000L)
            .getBytes(StandardCharsets.UTF_8);
      } catch (RuntimeException e) {
        InternalErrors.report("live page", e);
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } finally {
      exchange.close();
    }
  }

  /** The port it listens on (the one chosen when {@code tracelight.http.port} is 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  public long scrapes() {
    return scrapes.sum();
  }

  public void stop() {
    server.stop(0);
    executor.shutdownNow();
  }
}
