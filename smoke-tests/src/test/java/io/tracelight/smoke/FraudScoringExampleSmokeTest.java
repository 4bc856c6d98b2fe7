package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * examples/fraud-scoring as a user runs it: the input distribution shifts halfway, and the
 * summary's first and last prediction windows show the shift the application counted itself.
 */
class FraudScoringExampleSmokeTest {
  private static final Pattern BLOCK = Pattern.compile(
      "transactions (\\d+)-(\\d+) \\((before|after) the shift\\): (\\d+) flagged as fraud \\([0-9.]+%\\), mean confidence ([0-9.]+)");

  @Test
  void theSummaryShowsTheShiftTheApplicationSaw(@TempDir Path dir) throws Exception {
    List<String> window = List.of("-Dtracelight.prediction.window-calls=1000", "-Dtracelight.capture.features=true");
    Path javaHome = ForkedJvm.javaHomes().get(0);
    ForkedJvm.Result plain = ForkedJvm.runJar(javaHome, false, dir.resolve("plain"), window, Map.of(),
        ForkedJvm.FRAUD_EXAMPLE_JAR);
    ForkedJvm.Result traced = ForkedJvm.runJar(javaHome, true, dir.resolve("traced"), window, Map.of(),
        ForkedJvm.FRAUD_EXAMPLE_JAR);
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(plain.stdout, traced.stdout, "the same scores with and without the agent");
    List<long[]> flagged = new ArrayList<>();
    List<Double> confidence = new ArrayList<>();
    Matcher m = BLOCK.matcher(traced.stdout);
    while (m.find()) {
      flagged.add(new long[] {Long.parseLong(m.group(4))});
      confidence.add(Double.parseDouble(m.group(5)));
    }
    assertEquals(4, flagged.size(), traced.stdout);
    assertTrue(flagged.get(3)[0] > 3 * flagged.get(0)[0], "the example's shift at least triples the fraud flags");

    assertEquals(4000, traced.records().size());
    JsonNode model = traced.summaryJson().path("models").path(0);
    assertEquals("fraud-scorer", model.path("ai.model.name").asText(), model.toString());
    assertEquals("pmml", model.path("ai.model.runtime").asText());
    assertEquals(4000, model.path("calls").asLong());
    JsonNode windows = model.path("predictions").path("windows");
    assertEquals(4, windows.size(), model.toString());
    for (int i = 0; i < 4; i++) {
      JsonNode w = windows.path(i);
      assertEquals(i + 1, w.path("index").asLong());
      assertEquals(1000, w.path("rows").asLong());
      assertEquals(flagged.get(i)[0], w.path("classes").path("fraud").asLong(), w.toString());
      assertEquals(1000 - flagged.get(i)[0], w.path("classes").path("legit").asLong(), w.toString());
      assertEquals(confidence.get(i), w.path("confidence").path("mean").asDouble(), 0.005, w.toString());
    }
    assertTrue(traced.stderr.contains("[tracelight] predictions of fraud-scorer:2.1 (pmml), windows of 1000 calls:"),
        traced.stderr);
    assertTrue(traced.stderr.contains("  window 1: 1000 calls, 1000 rows; classes legit "), traced.stderr);
    assertTrue(traced.stderr.contains("  window 4: 1000 calls, 1000 rows; classes legit "), traced.stderr);

    // drift: the predictions and the inputs that moved alert after the shift, the input that did not stays quiet
    List<JsonNode> records = traced.records();
    long shiftStart = SmokeAssertions.nanos(records.get(1999).path("timestamp").asText());
    java.util.Set<String> fired = new java.util.TreeSet<>();
    for (JsonNode a : alerts(traced)) {
      if (a.path("state").asText().equals("firing")) {
        assertTrue(SmokeAssertions.nanos(a.path("time").asText()) > shiftStart, "nothing before the shift: " + a);
        assertEquals("fraud-scorer", a.path("model").asText());
        assertEquals("pmml", a.path("provider").asText());
        fired.add(a.path("signal").asText());
      }
    }
    assertTrue(fired.containsAll(List.of("predicted_class", "feature:amount", "feature:merchant_risk")), fired.toString());
    assertTrue(!fired.contains("feature:distance"), "distance did not move: " + fired);
  }

  @Test
  void theSameRunWithoutTheShiftRaisesNoAlert(@TempDir Path dir) throws Exception {
    ForkedJvm.Result steady = ForkedJvm.runJarWithArgs(ForkedJvm.javaHomes().get(0), true, dir.resolve("steady"),
        List.of("-Dtracelight.capture.features=true"), Map.of(), ForkedJvm.FRAUD_EXAMPLE_JAR, List.of("4000", "steady"));
    assertEquals(0, steady.exitCode, steady.stderr);
    assertTrue(steady.stdout.contains("transactions 3001-4000 (before the shift)"), steady.stdout);
    assertEquals(4000, steady.records().size());
    assertEquals(List.of(), alerts(steady), "a steady model and steady inputs: no alert");
  }

  @Test
  void aCanaryVersionOnOneCallInTwentyIsKeptApartAndFlaggedByCompare(@TempDir Path dir) throws Exception {
    Path javaHome = ForkedJvm.javaHomes().get(0);
    ForkedJvm.Result run = ForkedJvm.runJarWithArgs(javaHome, true, dir.resolve("canary"), List.of(), Map.of(),
        ForkedJvm.FRAUD_EXAMPLE_JAR, List.of("4000", "canary"));
    assertEquals(0, run.exitCode, run.stderr);
    long canary = run.records().stream().filter(r -> r.path("ai.model.version").asText().equals("2.2")).count();
    assertEquals(200, canary, "one call in twenty");
    assertEquals(List.of(), alerts(run), "each version against its own reference: no drift alert");
    ForkedJvm.Result compare = ForkedJvm.runJarWithArgs(javaHome, false, dir.resolve("compare"), List.of(), Map.of(),
        ForkedJvm.AGENT_JAR, List.of("compare", run.outputDir.toString(), "--by", "version", "--model", "fraud-scorer",
            "2.1", "2.2"));
    assertEquals(0, compare.exitCode, compare.stderr);
    assertTrue(compare.stdout.startsWith("Tracelight compare by version of fraud-scorer: 2.1 (A) against 2.2 (B)"),
        compare.stdout);
    assertTrue(compare.stdout.matches("(?s).*calls\\s+3800\\s+200\\n.*"), compare.stdout);
    assertTrue(compare.stdout.contains("predicted classes: A ") && compare.stdout.contains(" DIFFERENT"),
        compare.stdout);
  }

  private static List<JsonNode> alerts(ForkedJvm.Result run) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    Path file = run.outputDir.resolve("alerts.jsonl");
    if (java.nio.file.Files.exists(file)) {
      for (String line : java.nio.file.Files.readAllLines(file)) {
        out.add(ForkedJvm.JSON.readTree(line));
      }
    }
    return out;
  }

}
