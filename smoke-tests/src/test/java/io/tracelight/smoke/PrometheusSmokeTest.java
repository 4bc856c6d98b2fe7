package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's {@code /metrics}: a forked application with the official OpenAI SDK, its calls counted
 * on the endpoint as its records count them, the text checked by {@code promtool check metrics},
 * and a real Prometheus server (Debian's {@code prometheus}, which {@code .ci/run} installs) scraping
 * it, queried over its HTTP API. Without the binaries those two checks skip with a message.
 */
class PrometheusSmokeTest extends MockServerTest {
  private static final int PLAIN = 7;
  private static final int STREAMED = 5;
  private static final Pattern SERVING = Pattern.compile("serving /metrics on (http://127\\.0\\.0\\.1:\\d+/metrics)");
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void prometheusScrapesTheCallsTheApplicationMade(@TempDir Path dir) throws Exception {
    Path stop = dir.resolve("stop");
    Path out = dir.resolve("app");
    CompletableFuture<ForkedJvm.Result> app = CompletableFuture.supplyAsync(() -> {
      try {
        return ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, out,
            List.of("-Dtracelight.http.port=0", "-Dtracelight.deployment=smoke-blue"), Map.of(),
            MetricsDriver.class.getName(), server.baseUrl(), Integer.toString(PLAIN), Integer.toString(STREAMED),
            stop.toString());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    Process prometheus = null;
    Throwable failure = null;
    try {
      String endpoint = awaitEndpoint(out, app);
      String text = awaitCalls(endpoint, PLAIN + STREAMED + 2);

      // the text format: every call, by outcome, with the semantic conventions' histograms
      String ok = "gen_ai_provider_name=\"openai_compatible\",gen_ai_request_model=\"gpt-4o-mini\","
          + "gen_ai_operation_name=\"chat\",ai_status=\"ok\",ai_model_version=\"\",ai_deployment=\"smoke-blue\"";
      assertEquals(PLAIN + STREAMED, value(text, "ai_client_calls_total{" + ok + "}"), text);
      assertEquals(PLAIN + STREAMED, value(text, "gen_ai_client_operation_duration_seconds_count{" + ok + "}"), text);
      assertEquals(STREAMED, value(text, "gen_ai_client_operation_time_to_first_chunk_seconds_count{" + ok + "}"), text);
      assertTrue(text.contains("ai_status=\"error\""), "the failed calls: " + text);
      assertTrue(text.contains("gen_ai_client_operation_duration_seconds_bucket{" + ok + ",le=\"+Inf\"} "
          + (PLAIN + STREAMED)), text);
      assertTrue(text.contains("ai_client_operation_duration_window_seconds{" + ok + ",quantile=\"0.99\"}"), text);
      assertTrue(text.startsWith("# HELP "), text);

      // OpenMetrics when asked, as Prometheus asks
      HttpResponse<String> om = http.send(HttpRequest.newBuilder(URI.create(endpoint))
          .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5").build(),
          HttpResponse.BodyHandlers.ofString());
      assertTrue(om.headers().firstValue("Content-Type").orElse("").startsWith("application/openmetrics-text; version=1.0.0"));
      assertTrue(om.body().endsWith("# EOF\n"), om.body());
      assertTrue(om.body().contains("# TYPE ai_client_calls counter\n"), om.body());
      assertTrue(om.body().contains("# UNIT gen_ai_client_operation_duration_seconds seconds\n"), om.body());

      promtoolCheck(dir, text);
      String page = livePage(endpoint.replace("/metrics", "/"), PLAIN + STREAMED + 2);

      // a real Prometheus scrapes it; its numbers are the records'
      Path binary = Path.of("/usr/bin/prometheus");
      if (!Files.isExecutable(binary)) {
        System.out.println("SKIPPED the Prometheus scrape: no /usr/bin/prometheus (Debian package prometheus)");
      } else {
        int port = freePort();
        Path config = dir.resolve("prometheus.yml");
        URI target = URI.create(endpoint);
        Files.writeString(config, "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: app\n"
            + "    static_configs:\n      - targets: ['" + target.getHost() + ":" + target.getPort() + "']\n");
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
            "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
            .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        String api = "http://127.0.0.1:" + port + "/api/v1/query?query=";
        double calls = awaitQuery(api, "sum(ai_client_calls_total)",
            PLAIN + STREAMED + 2, dir);
        assertEquals(PLAIN + STREAMED + 2, calls);
        assertEquals(2, query(api, "sum(ai_client_calls_total{ai_status=\"error\"})"));
        assertEquals(STREAMED, query(api,
            "sum(gen_ai_client_operation_time_to_first_chunk_seconds_count{ai_deployment=\"smoke-blue\"})"));
        assertEquals(1, query(api, "up{job=\"app\"}"));
        stopApp(stop, app);
        List<JsonNode> records = app.get().records();
        long outputTokens = 0;
        for (JsonNode r : records) {
          outputTokens += r.path("gen_ai.usage.output_tokens").asLong();
        }
        assertEquals(PLAIN + STREAMED + 2, records.size());
        assertEquals(outputTokens, query(api, "sum(ai_client_tokens_total{gen_ai_token_type=\"output\"})"),
            "the tokens the server sent, as the records have them");
        SmokeAssertions.assertMatchesServer(records, server);
      }
      stopApp(stop, app);
      if (page != null) { // the page's percentiles are the records' (HdrHistogram: two significant digits)
        List<Double> millis = new java.util.ArrayList<>();
        for (JsonNode r : app.get().records()) {
          if (r.path("gen_ai.request.model").asText().equals("gpt-4o-mini")) {
            millis.add(r.path("duration_ms").asDouble());
          }
        }
        java.util.Collections.sort(millis);
        int row = row(page, "openai_compatible gpt-4o-mini [smoke-blue]");
        double median = millis.get((int) Math.ceil(0.5 * millis.size()) - 1);
        assertEquals(median, Double.parseDouble(cell(page, "p50-" + row)), median * 0.02 + 0.1, page);
        double p95 = millis.get((int) Math.ceil(0.95 * millis.size()) - 1);
        assertEquals(p95, Double.parseDouble(cell(page, "p95-" + row)), p95 * 0.02 + 0.1, page);
      }
    } catch (Throwable t) {
      failure = t;
      throw t;
    } finally {
      if (prometheus != null) {
        prometheus.destroy();
        prometheus.waitFor(10, TimeUnit.SECONDS);
      }
      try {
        stopApp(stop, app); // the agent's server must not keep the application's JVM alive
      } catch (Exception e) {
        if (failure == null) {
          throw new AssertionError("the application did not end after its main returned", e);
        }
        failure.addSuppressed(e);
      }
    }
    assertEquals(0, app.get().exitCode, app.get().stderr);
  }

  @Test
  void aPortInUseIsSaidOnceAndTheApplicationRunsOn(@TempDir Path dir) throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      Path stop = dir.resolve("stop");
      Files.writeString(stop, "");
      ForkedJvm.Result run = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir.resolve("app"),
          List.of("-Dtracelight.http.port=" + taken.getLocalPort()), Map.of(), MetricsDriver.class.getName(),
          server.baseUrl(), "2", "0", stop.toString());
      assertEquals(0, run.exitCode, run.stderr);
      assertTrue(run.stdout.contains("calls done, failed 2"), run.stdout);
      assertEquals(1, run.stderr.split("cannot be used", -1).length - 1, run.stderr);
      assertTrue(run.stderr.contains("tracelight.http.port " + taken.getLocalPort()), run.stderr);
      assertEquals(4, run.records().size(), "the agent carries on: every call recorded");
    }
  }

  /**
   * The live page in headless Chromium: its counts equal the endpoint's; a screenshot is kept as
   * {@code smoke-tests/target/live-page-screenshot.png}. Null without Chromium.
   */
  private static String livePage(String url, int calls) throws Exception {
    Path browser = Chromium.find();
    if (browser == null) {
      System.out.println("SKIPPED the live page in Chromium: no chromium (Debian package chromium)");
      return null;
    }
    String dom = Chromium.dumpDom(browser, url);
    assertEquals(Integer.toString(calls), cell(dom, "calls-total"), dom);
    int row = row(dom, "openai_compatible gpt-4o-mini [smoke-blue]");
    assertEquals(Integer.toString(PLAIN + STREAMED), cell(dom, "calls-" + row));
    assertEquals("0.0%", cell(dom, "errors-" + row));
    int failing = row(dom, "openai_compatible mock-error-500 [smoke-blue]");
    assertEquals("100.0%", cell(dom, "errors-" + failing));
    assertTrue(dom.contains("<svg id=\"latency-chart\""), dom);
    assertTrue(dom.contains("<table id=\"latest\">"), dom);
    for (String external : new String[] {"src=", "href=", "<script", "http://", "https://"}) {
      assertTrue(!dom.contains(external), "self-contained: no " + external);
    }
    Chromium.screenshot(browser, url, Path.of("target", "live-page-screenshot.png"), 1000, 900);
    Chromium.screenshot(browser, url, Path.of("target", "live-page-phone.png"), 390, 844);
    assertTrue(Files.size(Path.of("target", "live-page-screenshot.png")) > 10_000, "a screenshot with something in it");
    return dom;
  }

  private static int row(String dom, String model) {
    Matcher m = Pattern.compile("id=\"model-(\\d+)\">" + Pattern.quote(model) + "<").matcher(dom);
    assertTrue(m.find(), "a row for " + model + " in " + dom);
    return Integer.parseInt(m.group(1));
  }

  private static String cell(String dom, String id) {
    Matcher m = Pattern.compile("id=\"" + Pattern.quote(id) + "\">([^<]*)<").matcher(dom);
    assertTrue(m.find(), "an element " + id + " in " + dom);
    return m.group(1);
  }

  private void promtoolCheck(Path dir, String text) throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    if (!Files.isExecutable(promtool)) {
      System.out.println("SKIPPED promtool check metrics: no /usr/bin/promtool (Debian package prometheus)");
      return;
    }
    Path body = dir.resolve("metrics.txt");
    Files.writeString(body, text);
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectInput(body.toFile())
        .redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "promtool check metrics: " + said);
    assertEquals("", said.trim(), "no lint warnings");
  }

  private static String awaitEndpoint(Path out, CompletableFuture<ForkedJvm.Result> app) throws Exception {
    Path err = out.resolveSibling(out.getFileName() + ".err");
    for (int i = 0; i < 600; i++) {
      if (Files.exists(err)) {
        Matcher m = SERVING.matcher(Files.readString(err));
        if (m.find()) {
          return m.group(1);
        }
      }
      if (app.isDone()) {
        throw new AssertionError("the app ended before serving /metrics: " + app.get().stderr);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no 'serving /metrics' line in " + err);
  }

  /** The text format once it counts {@code calls} calls (the pipeline records them after the app got its answers). */
  private String awaitCalls(String endpoint, int calls) throws Exception {
    String text = "";
    for (int i = 0; i < 300; i++) {
      text = http.send(HttpRequest.newBuilder(URI.create(endpoint)).build(), HttpResponse.BodyHandlers.ofString()).body();
      long seen = 0;
      Matcher m = Pattern.compile("(?m)^ai_client_calls_total\\{[^}]*\\} (\\d+)$").matcher(text);
      while (m.find()) {
        seen += Long.parseLong(m.group(1));
      }
      if (seen == calls) {
        return text;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not " + calls + " calls on /metrics: " + text);
  }

  private static long value(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Long.parseLong(line.substring(series.length() + 1));
      }
    }
    throw new AssertionError("no " + series);
  }

  private double awaitQuery(String api, String promql, double want, Path dir) throws Exception {
    double got = Double.NaN;
    for (int i = 0; i < 600; i++) {
      try {
        got = query(api, promql);
        if (got == want) {
          return got;
        }
      } catch (java.io.IOException notYet) {
        // Prometheus is starting
      }
      Thread.sleep(100);
    }
    throw new AssertionError(promql + " = " + got + ", not " + want + "; prometheus.log: "
        + Files.readString(dir.resolve("prometheus.log")));
  }

  /** The single value of an instant query; NaN when it has none. */
  private double query(String api, String promql) throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + URLEncoder.encode(promql,
        StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode result = ForkedJvm.JSON.readTree(r.body()).path("data").path("result");
    return result.size() == 0 ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asText());
  }

  private static void stopApp(Path stop, CompletableFuture<ForkedJvm.Result> app) throws Exception {
    if (!Files.exists(stop)) {
      Files.writeString(stop, "");
    }
    app.get(60, TimeUnit.SECONDS);
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }
}
