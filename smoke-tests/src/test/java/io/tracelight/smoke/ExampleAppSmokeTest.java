package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracelight.mock.MockLlmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The README's demo app, run as a user would, on every JDK at hand. */
class ExampleAppSmokeTest extends MockServerTest {
  private static final String EXAMPLE_SYSTEM_PROMPT =
      "You are a concise assistant for the Tracelight demo. Answer in one sentence.";
  @ParameterizedTest
  @MethodSource("jdks")
  void demoIsRecordedAndUnchanged(Path javaHome, @TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of("OPENAI_BASE_URL", server.baseUrl(), "OPENAI_API_KEY", "sk-demo-secret");
    ForkedJvm.Result plain;
    try (MockLlmServer fresh = MockLlmServer.start(0)) { // same response ids as the traced run's server
      plain = ForkedJvm.runJar(javaHome, false, dir.resolve("plain"), List.of(),
          Map.of("OPENAI_BASE_URL", fresh.baseUrl(), "OPENAI_API_KEY", "sk-demo-secret"), ForkedJvm.EXAMPLE_JAR);
    }
    ForkedJvm.Result traced = ForkedJvm.runJar(javaHome, true, dir.resolve("traced"), List.of(), env, ForkedJvm.EXAMPLE_JAR);
    assertEquals(0, plain.exitCode, plain.stderr);
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(plain.stdout, traced.stdout, "the app prints the same with and without the agent");
    assertTrue(traced.stdout.contains("[okhttp stream] Hello from the mock server!"), traced.stdout);

    List<JsonNode> records = traced.records();
    assertEquals(6, records.size(), traced.recordsText());
    assertEquals(2, SmokeAssertions.count(records, "status", "error"));
    for (String instrumentation : new String[] {"jdk-httpclient", "okhttp"}) {
      assertEquals(3, SmokeAssertions.count(records, "ai.instrumentation", instrumentation));
    }
    SmokeAssertions.assertMatchesServer(records, server);
    for (JsonNode r : records) {
      assertEquals(SmokeAssertions.sha256(EXAMPLE_SYSTEM_PROMPT), r.path("ai.prompt.system_hash").asText());
      if ("error".equals(r.path("status").asText())) {
        // the JDK call reads the error body, so its type is known; the OkHttp call closes it unread
        String expected = r.path("ai.instrumentation").asText().equals("jdk-httpclient") ? "invalid_request_error" : "404";
        assertEquals(expected, r.path("error.type").asText(), r.toString());
        assertEquals(404, r.path("http.response.status_code").asInt());
        assertEquals("tracelight-demo-no-such-model", r.path("gen_ai.request.model").asText());
      }
      assertEquals(0.2, r.path("gen_ai.request.temperature").asDouble());
      assertEquals(200, r.path("gen_ai.request.max_tokens").asInt());
    }
    assertFalse(traced.recordsText().contains("sk-demo-secret"), "the API key is never recorded");
    assertFalse(traced.recordsText().contains("What does a Java agent do"), "prompt text is not recorded");

    assertTrue(traced.stderr.contains("[tracelight] summary: 6 AI calls, 0 dropped"), traced.stderr);
    assertTrue(traced.stderr.matches("(?s).*gpt-4o-mini\\s+chat\\s+4\\s+0\\.0%.*"), traced.stderr);
    JsonNode summary = ForkedJvm.JSON.readTree(Files.readString(traced.outputDir.resolve("summary.json")));
    long calls = 0;
    for (JsonNode m : summary.path("models")) {
      calls += m.path("calls").asLong();
    }
    assertEquals(6, calls);
    assertFalse(traced.stderr.contains("WARNING"), "no JVM warnings caused by the agent: " + traced.stderr);
    // the agent's only lines are the summary: no fallback (e.g. the JDK client's trusted path) was taken
    assertEquals(List.of(), traced.stderr.lines()
        .filter(l -> l.startsWith("[tracelight]") && !l.startsWith("[tracelight] summary:")
            && !l.startsWith("[tracelight] spend:")).toList());
    assertFalse(traced.stderr.contains("warning"), "no JVM warnings caused by the agent: " + traced.stderr);
  }

  /** The README's demo command: the in-process mock, five providers, each call recorded once. */
  @ParameterizedTest
  @MethodSource("jdks")
  void demoCallsFiveProvidersOnItsOwnMockServer(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result plain = ForkedJvm.runJar(javaHome, false, dir.resolve("plain"), List.of(), Map.of(),
        ForkedJvm.EXAMPLE_JAR);
    ForkedJvm.Result traced = ForkedJvm.runJar(javaHome, true, dir.resolve("traced"), List.of(), Map.of(),
        ForkedJvm.EXAMPLE_JAR);
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(plain.stdout, traced.stdout, "the app prints the same with and without the agent");
    List<JsonNode> records = traced.records();
    assertEquals(12, records.size(), traced.recordsText());
    assertEquals(2, SmokeAssertions.count(records, "status", "error"));
    for (String provider : new String[] {"anthropic", "gcp.gemini", "ollama", "aws.bedrock"}) {
      JsonNode r = records.stream().filter(x -> provider.equals(x.path("gen_ai.provider.name").asText())).findFirst()
          .orElseThrow(() -> new AssertionError(provider + " missing: " + records));
      assertEquals("ok", r.path("status").asText(), r.toString());
      assertTrue(r.path("gen_ai.usage.input_tokens").asLong() > 0, r.toString());
      assertTrue(r.path("gen_ai.usage.output_tokens").asLong() > 0, r.toString());
      assertEquals(SmokeAssertions.sha256(EXAMPLE_SYSTEM_PROMPT), r.path("ai.prompt.system_hash").asText(), r.toString());
      assertTrue(r.has("ai.output.hash"), r.toString());
    }
    assertTrue(traced.stderr.contains("[tracelight] summary: 12 AI calls, 0 dropped, 0 not written, 0 internal errors"),
        traced.stderr);

    // cost: the tokens the mock sent times the shipped table's prices (USD per 1M tokens, checked 2026-11-27)
    Map<String, double[]> perMillion = Map.of("claude-haiku-4-5", new double[] {1.00, 5.00, 0.10, 1.25},
        "gemini-2.5-flash", new double[] {0.30, 2.50, 0.30, 0.30}, "us.amazon.nova-lite-v1:0", new double[] {0.06, 0.24, 0.06, 0.06},
        "gpt-4o-mini", new double[] {0.15, 0.60, 0.075, 0.15}, "llama3.2:3b", new double[] {0, 0, 0, 0});
    double total = 0;
    for (JsonNode r : records) {
      String model = r.path("gen_ai.request.model").asText();
      double[] price = perMillion.get(model);
      if (model.equals("mock-sorry")) {
        assertEquals("unknown_model", r.path("ai.cost.status").asText(), "no price, never a silent zero: " + r);
        assertTrue(r.path("ai.output.refusal").asBoolean(), r.toString());
        assertEquals("phrase:i'm sorry, but i can't", r.path("ai.output.refusal_rule").asText(), r.toString());
        continue;
      }
      assertFalse(r.has("ai.output.refusal"), r.toString());
      if (price == null) {
        assertEquals("no_usage", r.path("ai.cost.status").asText(), "a failed call has no tokens: " + r);
        continue;
      }
      long in = r.path("gen_ai.usage.input_tokens").asLong();
      long out = r.path("gen_ai.usage.output_tokens").asLong();
      long read = r.path("gen_ai.usage.cache_read.input_tokens").asLong();
      long write = r.path("gen_ai.usage.cache_creation.input_tokens").asLong();
      double expected = ((in - read - write) * price[0] + out * price[1] + read * price[2] + write * price[3]) / 1e6;
      assertEquals(expected, r.path("ai.cost.usd").asDouble(), 1e-12, r.toString());
      total += expected;
    }
    JsonNode summary = ForkedJvm.JSON.readTree(Files.readString(traced.outputDir.resolve("summary.json")));
    assertEquals(total, summary.path("cost_usd").asDouble(), 1e-9);

    // the answer's length and the request's contract, whatever the capture level
    for (JsonNode r : records) {
      assertTrue(r.path("ai.request.shape_hash").asText().matches("[0-9a-f]{64}"), r.toString());
      if (r.path("status").asText().equals("ok")) {
        String model = r.path("gen_ai.request.model").asText();
        String printed = traced.stdout.lines().filter(l -> l.contains("to " + model + ".")).findFirst().orElse(null);
        long chars = r.path("ai.output.chars").asLong();
        assertTrue(chars > 50, r.toString());
        if (printed != null && printed.contains("Hello from the mock server!")) {
          assertEquals(printed.length() - printed.indexOf("Hello from the mock server!"), chars,
              "the answer the app printed, counted: " + printed);
        }
        assertFalse(r.has("ai.output.empty") || r.has("ai.output.truncated"), r.toString());
      }
    }
    assertTrue(traced.stderr.contains("[tracelight] spend: $"), traced.stderr);
    String declined = traced.stderr.lines().filter(l -> l.contains(" mock-sorry ")).findFirst().orElseThrow();
    assertTrue(declined.matches(".*\\s0\\.0%\\s+100\\.0%\\s.*"), "err% 0.0, refuse% 100.0: " + declined);
    for (JsonNode m : summary.path("models")) {
      assertEquals(m.path("gen_ai.request.model").asText().equals("mock-sorry") ? 1.0 : 0.0, m.path("refusal_rate").asDouble(),
          m.toString());
    }

    // the last call's new system prompt for gpt-4o-mini is announced, with the hash of the prompt the app sent
    List<String> alertLines = java.nio.file.Files.readAllLines(traced.outputDir.resolve("alerts.jsonl"));
    assertEquals(1, alertLines.size(), alertLines.toString());
    JsonNode announced = ForkedJvm.JSON.readTree(alertLines.get(0));
    assertEquals("announced", announced.path("state").asText());
    assertEquals("new_system_prompt", announced.path("rule").asText());
    assertEquals("gpt-4o-mini", announced.path("model").asText());
    assertEquals(SmokeAssertions.sha256("You are the Tracelight demo's tour guide. Answer in one sentence."),
        announced.path("system_hash").asText());
    assertEquals(announced.path("system_hash").asText(), records.get(11).path("ai.prompt.system_hash").asText());
    assertTrue(traced.stderr.contains("[tracelight] alerts ("), traced.stderr);
    assertTrue(traced.stderr.contains("announced info new_system_prompt: new system prompt for openai_compatible gpt-4o-mini ("),
        traced.stderr);

    // the report over the demo's directory, as text and as one self-contained page
    Path page = dir.resolve("report.html");
    ForkedJvm.Result report = ForkedJvm.runJarWithArgs(javaHome, false, dir.resolve("report"), List.of(), Map.of(),
        ForkedJvm.AGENT_JAR, List.of("report", traced.outputDir.toString(), "--html", page.toString()));
    assertEquals(0, report.exitCode, report.stderr);
    assertTrue(report.stdout.startsWith("Tracelight report of " + traced.outputDir + ": 12 calls, "), report.stdout);
    assertTrue(report.stdout.contains(", 1 alert events"), report.stdout);
    long gpt = records.stream().filter(r -> r.path("gen_ai.request.model").asText().equals("gpt-4o-mini")
        && r.path("gen_ai.provider.name").asText().equals("openai_compatible")
        && r.path("ai.prompt.system_hash").asText().equals(SmokeAssertions.sha256(EXAMPLE_SYSTEM_PROMPT))).count();
    String row = report.stdout.lines().filter(l -> l.startsWith("openai_compatible gpt-4o-mini sys:"
        + SmokeAssertions.sha256(EXAMPLE_SYSTEM_PROMPT).substring(0, 8))).findFirst().orElseThrow();
    assertTrue(row.matches(".*\\s" + gpt + "\\s.*"), "the model's calls with the demo's prompt: " + gpt + " in " + row);
    assertTrue(report.stdout.contains("too few calls to compare"), report.stdout);
    assertTrue(report.stdout.contains("announced info new_system_prompt"), report.stdout);
    String html = java.nio.file.Files.readString(page);
    assertTrue(html.contains("<b id=\"calls\">12</b>"), html);
    for (String external : new String[] {"src=", "href=", "url(", "<script", "<link", "http://", "https://"}) {
      assertFalse(html.contains(external), "the page needs nothing from outside: " + external);
    }

    // rendered by a real browser: the numbers on the page are the report's, and a screenshot is kept
    Path browser = Chromium.find();
    if (browser == null || !javaHome.equals(ForkedJvm.javaHomes().get(0))) {
      if (browser == null) {
        System.out.println("SKIPPED: the report page in Chromium (no chromium on this machine; .ci/run installs it)");
      }
      return;
    }
    String dom = Chromium.dumpDom(browser, page);
    assertTrue(dom.contains("<b id=\"calls\">12</b>"), dom);
    long subjects = report.stdout.lines().filter(l -> l.endsWith(": too few calls to compare (30 in each half)")).count();
    String table = dom.substring(dom.indexOf("<table id=\"subjects\">"));
    table = table.substring(0, table.indexOf("</table>"));
    assertEquals(subjects + 1, table.split("<tr", -1).length - 1, "the header and a row per subject: " + table);
    Path png = Path.of("target", "report-screenshot.png");
    Chromium.screenshot(browser, page, png);
    byte[] image = java.nio.file.Files.readAllBytes(png);
    assertTrue(image.length > 10_000 && image[1] == 'P' && image[2] == 'N' && image[3] == 'G', "a PNG of the page");
  }
}
