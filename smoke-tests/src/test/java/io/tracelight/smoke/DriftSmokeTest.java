package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drift in a forked application with the built agent and the official OpenAI SDK: a mock model
 * that, after {@value #SHIFT_AT} calls, refuses 3 calls in 10, answers three times longer and
 * three times slower. With a reference of {@value #REFERENCE} calls and a window of
 * {@value #WINDOW} checked every {@value #WINDOW}/5 calls, the refusal rate, output length and
 * latency alerts must fire within one window after the shift (the unit tests measure the bound
 * over many seeds: a shift moves a window's median once half the window is past it, and the check
 * comes at most a fifth of a window later); a steady run of the same length fires none.
 */
class DriftSmokeTest extends MockServerTest {
  private static final int REFERENCE = 200;
  private static final int WINDOW = 200;
  private static final int SHIFT_AT = 300;
  private static final int CALLS = SHIFT_AT + WINDOW;

  private ForkedJvm.Result run(Path dir, String model, String... more) throws Exception {
    return run(dir, model, CALLS, more);
  }

  private ForkedJvm.Result run(Path dir, String model, int calls, String... more) throws Exception {
    List<String> flags = new ArrayList<>(List.of(
        "-Dtracelight.drift.reference-calls=" + REFERENCE, "-Dtracelight.drift.window-calls=" + WINDOW,
        "-Dtracelight.deployment=smoke-canary", "-Dtracelight.alerts.runbook=https://runbooks.example/ai#{rule}"));
    flags.addAll(List.of(more));
    ForkedJvm.Result run = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir, flags,
        Map.of(), DriftDriver.class.getName(), server.baseUrl(), model, Integer.toString(calls));
    assertEquals(0, run.exitCode, run.stderr);
    return run;
  }

  private static List<JsonNode> alerts(ForkedJvm.Result run) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    Path file = run.outputDir.resolve("alerts.jsonl");
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        out.add(ForkedJvm.JSON.readTree(line));
      }
    }
    return out;
  }

  @Test
  void aModelThatDriftsMidRunRaisesTheExpectedAlertsAfterTheShiftOnly(@TempDir Path dir) throws Exception {
    String model = "mock-drift-" + SHIFT_AT;
    ForkedJvm.Result run = run(dir.resolve("shifted"), model);
    int apologies = 0;
    for (int k = 1; k <= CALLS - SHIFT_AT; k++) {
      apologies += k % 10 == 1 || k % 10 == 4 || k % 10 == 7 ? 1 : 0;
    }
    assertTrue(run.stdout.contains("answers: " + CALLS + ", apologies: " + apologies), run.stdout);
    List<JsonNode> records = run.records();
    assertEquals(CALLS, records.size());
    long refusals = records.stream().filter(r -> r.path("ai.output.refusal").asBoolean()).count();
    assertEquals(apologies, refusals, "every apology the app got is a refusal on its record");
    assertEquals("smoke-canary", records.get(0).path("ai.deployment").asText());

    // the records' end times, in call order: where each alert falls
    long shiftEnd = endNanos(records.get(SHIFT_AT - 1));
    Map<String, JsonNode> firing = new TreeMap<>();
    for (JsonNode a : alerts(run)) {
      if (a.path("state").asText().equals("firing")) {
        long at = SmokeAssertions.nanos(a.path("time").asText());
        assertTrue(at > shiftEnd, "nothing fires before the shift: " + a);
        firing.putIfAbsent(a.path("signal").asText(), a);
      }
    }
    assertTrue(firing.keySet().containsAll(List.of("refusal_rate", "output_tokens", "latency")), firing.keySet().toString());

    JsonNode refusal = firing.get("refusal_rate");
    assertEquals("rate", refusal.path("rule").asText());
    assertEquals("p_chart", refusal.path("statistic").asText());
    assertEquals(0.0, refusal.path("baseline").asDouble(), "no refusals in the reference");
    assertTrue(refusal.path("current").asDouble() > refusal.path("threshold").asDouble(), refusal.toString());
    assertEquals("openai_compatible", refusal.path("provider").asText(), refusal.toString());
    assertEquals(model, refusal.path("model").asText());
    assertEquals("smoke-canary", refusal.path("deployment").asText());
    assertEquals(records.get(0).path("ai.prompt.system_hash").asText(), refusal.path("system_hash").asText());
    assertEquals("https://runbooks.example/ai#rate", refusal.path("runbook").asText());
    assertEquals(REFERENCE, refusal.path("reference_calls").asInt());

    JsonNode tokens = firing.get("output_tokens");
    long before = records.get(0).path("gen_ai.usage.output_tokens").asLong();
    assertEquals(before, tokens.path("baseline").asDouble(), 0.0, "the reference's median: the mock's constant answer");
    assertTrue(tokens.path("current").asDouble() > 2 * before, tokens.toString());
    assertEquals("up", tokens.path("trend").asText());
    assertTrue(tokens.path("value").asDouble() >= 0.2 && tokens.path("p_value").asDouble() < 1e-4, tokens.toString());

    JsonNode latency = firing.get("latency");
    assertTrue(latency.path("current").asDouble() >= 1.25 * latency.path("baseline").asDouble(), "the median moved by 25% or more: " + latency);
    assertTrue(latency.path("baseline").asDouble() >= 0.030, "the mock waits 30 ms before the shift: " + latency);

    // the summary lists them, summary.json has them and the counts
    assertTrue(run.stderr.contains("[tracelight] alerts ("), run.stderr);
    assertTrue(run.stderr.contains("firing warning rate: refusal_rate of openai_compatible " + model)
        || run.stderr.contains("firing critical rate: refusal_rate of openai_compatible " + model), run.stderr);
    JsonNode summary = run.summaryJson();
    assertEquals(firing.size(), countFiring(summary.path("alerts")));
    assertTrue(summary.path("alerts_fired").asInt() >= 3, summary.toString());
  }

  @Test
  void aSteadyRunOfTheSameLengthFiresNone(@TempDir Path dir) throws Exception {
    ForkedJvm.Result run = run(dir.resolve("steady"), "mock-drift-1000000");
    assertTrue(run.stdout.contains("answers: " + CALLS + ", apologies: 0"), run.stdout);
    assertEquals(CALLS, run.records().size());
    assertEquals(List.of(), alerts(run), "no alert on a steady model");
    assertEquals(0, run.summaryJson().path("alerts_fired").asInt());
    assertTrue(!run.stderr.contains("[tracelight] alerts"), run.stderr);
  }

  /**
   * The first run writes its references at exit; the second reads them at start and so catches a model
   * that is already different from its first call (its own first calls would otherwise be its reference).
   */
  @Test
  void aBaselineFromAnEarlierRunCatchesAModelChangedBeforeTheRunStarted(@TempDir Path dir) throws Exception {
    String model = "mock-drift-" + SHIFT_AT;
    ForkedJvm.Result first = run(dir.resolve("first"), model, SHIFT_AT);
    Path baseline = first.outputDir.resolve("drift-baseline.json");
    JsonNode saved = ForkedJvm.JSON.readTree(baseline.toFile()).path("subjects").get(0);
    assertEquals(model, saved.path("model").asText());
    assertEquals(REFERENCE, saved.path("calls").asInt());
    assertEquals(0, saved.at("/rates/refusal_rate").asInt(), "no refusal before the shift: " + saved);
    assertEquals(1, first.summaryJson().path("drift_baseline_written").asInt());

    // the mock has answered SHIFT_AT calls of this model: every answer from now on is the shifted one
    int calls = WINDOW + WINDOW / 5;
    ForkedJvm.Result second = run(dir.resolve("second"), model, calls, "-Dtracelight.drift.baseline=" + baseline);
    assertTrue(second.stdout.contains("answers: " + calls + ", apologies: "), second.stdout);
    assertEquals(1, second.summaryJson().path("drift_baseline_restored").asInt(), second.stderr);
    List<String> firing = new ArrayList<>();
    for (JsonNode a : alerts(second)) {
      if (a.path("state").asText().equals("firing")) {
        firing.add(a.path("signal").asText());
        assertEquals(REFERENCE, a.path("reference_calls").asInt(), "the saved reference: " + a);
      }
    }
    assertTrue(firing.containsAll(List.of("refusal_rate", "output_tokens", "latency")), firing.toString());
  }

  @Test
  void theFirstAlertRaisesItsModelsFidelityAndReachesAlertmanager(@TempDir Path dir) throws Exception {
    List<String> posted = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer alertmanager =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    alertmanager.createContext("/api/v2/alerts", ex -> {
      posted.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      ex.sendResponseHeaders(200, -1);
      ex.close();
    });
    alertmanager.start();
    try {
      // sampled records (level 2, no ratio: one per model and finish reason a minute) until the first alert
      ForkedJvm.Result run = run(dir.resolve("raised"), "mock-drift-" + SHIFT_AT, "-Dtracelight.fidelity.default-level=2",
          "-Dtracelight.sampling.ratio=0", "-Dtracelight.alerts.webhook.format=alertmanager",
          "-Dtracelight.alerts.webhook.url=http://127.0.0.1:" + alertmanager.getAddress().getPort() + "/api/v2/alerts");
      JsonNode first = null;
      for (JsonNode a : alerts(run)) {
        if (a.path("state").asText().equals("firing")) {
          first = a;
          break;
        }
      }
      assertTrue(first != null, "an alert");
      assertTrue(first.path("response").asText().startsWith("every call of " + "mock-drift-" + SHIFT_AT
          + " gets a record (fidelity level 1) for the next 15 min"), first.toString());
      long firedAt = SmokeAssertions.nanos(first.path("time").asText());
      List<JsonNode> records = run.records();
      int before = 0;
      int raised = 0;
      for (JsonNode r : records) {
        if (endNanos(r) < firedAt - 1_000) { // the call that completed the check already has the raised level
          before++; // the floor's, and refusals kept by the sampling's tail rule
          assertTrue(!r.path("ai.sample.reason").asText().equals("alert"), r.toString());
        } else if (r.path("ai.sample.reason").asText().equals("alert")) {
          raised++;
        }
      }
      assertTrue(before < 50, "most calls before the alert sampled out: " + before + " of " + (SHIFT_AT + 40) + " kept");
      assertTrue(raised >= 100, "every call after the alert has a record: " + raised);
      assertTrue(run.stderr.contains("alerts posted to the webhook"), run.stderr);

      assertTrue(!posted.isEmpty(), "Alertmanager got the alerts");
      JsonNode body = ForkedJvm.JSON.readTree(posted.get(0));
      assertEquals(first.path("signal").asText(), body.get(0).path("labels").path("signal").asText());
      assertEquals("smoke-canary", body.get(0).path("labels").path("deployment").asText());
      assertTrue(body.get(0).path("labels").path("alertname").asText().startsWith("Tracelight"), body.toString());
      assertEquals(first.path("message").asText(), body.get(0).path("annotations").path("summary").asText());
    } finally {
      alertmanager.stop(0);
    }
  }

  private static int countFiring(JsonNode alerts) {
    int n = 0;
    for (JsonNode a : alerts) {
      n += a.path("state").asText().equals("firing") ? 1 : 0;
    }
    return n;
  }

  private static long endNanos(JsonNode record) {
    return SmokeAssertions.nanos(record.path("timestamp").asText()) + (long) (record.path("duration_ms").asDouble() * 1e6);
  }

}
