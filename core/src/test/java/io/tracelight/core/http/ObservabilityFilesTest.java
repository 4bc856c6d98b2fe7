package io.tracelight.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracelight.core.alert.Alert;
import io.tracelight.core.alert.AlertSubject;
import io.tracelight.core.metrics.LiveMetrics;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The ready-made operations files in {@code examples/observability}: the Grafana dashboard is JSON
 * and asks only for metrics the agent serves; the alerting rules name only such metrics, each has a
 * {@code promtool test rules} case, and promtool (Debian's {@code prometheus}, when installed)
 * accepts and passes them.
 */
class ObservabilityFilesTest {
  private static final Path DIR = Paths.get("..", "examples", "observability");
  private static final Pattern METRIC = Pattern.compile("\\b((?:gen_ai|ai)_[a-z0-9_]+)\\b");

  /** Every sample name the endpoint serves, from a registry that saw each kind of call and an alert. */
  private static Set<String> served() {
    LiveMetrics live = new LiveMetrics(10, 0);
    AiCall chat = new AiCall();
    chat.durationNanos = 500_000_000L;
    chat.set(Keys.PROVIDER, "openai");
    chat.set(Keys.REQUEST_MODEL, "m");
    chat.set(Keys.OPERATION, "chat");
    chat.set(Keys.INPUT_TOKENS, 10L);
    chat.set(Keys.OUTPUT_TOKENS, 20L);
    chat.set(Keys.TIME_TO_FIRST_CHUNK, 0.1);
    chat.set(Keys.COST_USD, 0.001);
    chat.set(Keys.REFUSAL, Boolean.TRUE);
    live.record(chat, 0);
    AiCall prediction = new AiCall();
    prediction.durationNanos = 1000;
    prediction.set(Keys.PREDICT_OPERATION, "predict");
    prediction.set(Keys.MODEL_RUNTIME, "onnxruntime");
    prediction.set(Keys.MODEL_NAME, "scorer");
    live.record(prediction, 0);
    final Alert alert = new Alert(1L, Alert.State.FIRING, Alert.Severity.WARNING, "drift", "latency", "psi", 1, 0.2, 0,
        0, 0, "up", new AlertSubject("openai", "m", null, null, null), 1, 1, "e", "", "moved");
    String text = PrometheusFormat.render(live, new FixedHealth(0, 0, 0, Collections.singletonList(alert)), false, 0);
    Set<String> names = new TreeSet<>();
    for (String line : text.split("\n")) {
      if (!line.startsWith("#") && !line.isEmpty()) {
        names.add(line.split("[{ ]", 2)[0]);
      }
    }
    return names;
  }

  /** The metric names a PromQL expression asks for: label names (in braces and by/without lists) taken out. */
  static List<String> metricsIn(String promql) {
    String bare = promql.replaceAll("\\{[^}]*\\}", "").replaceAll("(by|without)\\s*\\([^)]*\\)", "");
    List<String> out = new ArrayList<>();
    Matcher m = METRIC.matcher(bare);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void theDashboardAsksOnlyForMetricsTheAgentServes() throws Exception {
    Set<String> served = served();
    JsonNode dashboard = new ObjectMapper().readTree(DIR.resolve("grafana/tracelight-dashboard.json").toFile());
    assertEquals("tracelight-ai-calls", dashboard.path("uid").asText());
    int exprs = 0;
    Set<String> used = new TreeSet<>();
    for (JsonNode panel : dashboard.path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        List<String> names = metricsIn(target.path("expr").asText());
        assertTrue(!names.isEmpty(), "a metric in " + target);
        for (String name : names) {
          assertTrue(served.contains(name), name + " (panel '" + panel.path("title").asText() + "') is not served; served: "
              + served);
          used.add(name);
        }
        exprs++;
      }
    }
    assertTrue(exprs >= 10, "panels with queries: " + exprs);
    for (String wanted : new String[] {"gen_ai_client_operation_duration_seconds_bucket",
        "gen_ai_client_operation_time_to_first_chunk_seconds_bucket", "ai_client_tokens_total", "ai_client_cost_usd_total",
        "ai_client_answers_flagged_total", "ai_alerts_firing"}) {
      assertTrue(used.contains(wanted), "a panel for " + wanted + ": " + used);
    }
  }

  @Test
  void theRulesNameServedMetricsAndEachHasAUnitTest() throws Exception {
    Set<String> served = served();
    String rules = Files.readString(DIR.resolve("prometheus/tracelight-rules.yml"), StandardCharsets.UTF_8);
    String tests = Files.readString(DIR.resolve("prometheus/tracelight-rules.test.yml"), StandardCharsets.UTF_8);
    Matcher expr = Pattern.compile("expr: (?:\\|\\n)?((?:.|\\n)*?)\\n\\s+(?:for|labels):").matcher(rules);
    int n = 0;
    while (expr.find()) {
      for (String name : metricsIn(expr.group(1))) {
        assertTrue(served.contains(name), name + " in a rule is not served: " + expr.group(1));
      }
      n++;
    }
    Matcher alert = Pattern.compile("- alert: (\\w+)").matcher(rules);
    int alerts = 0;
    while (alert.find()) {
      assertTrue(tests.contains("alertname: " + alert.group(1)), "a promtool test for " + alert.group(1));
      alerts++;
    }
    assertEquals(alerts, n, "every rule's expression read");
    assertEquals(alerts, rules.split("runbook_url:", -1).length - 1, "a runbook annotation on every rule");
    assertTrue(alerts >= 6, "rules: " + alerts);
  }

  @Test
  void promtoolAcceptsTheRulesAndPassesTheirTests() throws Exception {
    Path promtool = Paths.get("/usr/bin/promtool");
    if (!Files.isExecutable(promtool)) {
      System.out.println("SKIPPED promtool check rules / test rules: no /usr/bin/promtool (Debian package prometheus)");
      return;
    }
    Path dir = DIR.resolve("prometheus");
    assertEquals("", run(dir, promtool.toString(), "check", "rules", "tracelight-rules.yml").replaceAll(
        "Checking tracelight-rules.yml\\s+SUCCESS: \\d+ rules found\\s*", ""));
    String tested = run(dir, promtool.toString(), "test", "rules", "tracelight-rules.test.yml");
    assertTrue(tested.contains("SUCCESS"), tested);
  }

  private static String run(Path dir, String... command) throws Exception {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
    assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
    return out;
  }
}
