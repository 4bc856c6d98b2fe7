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
    List<String> window = List.of("-Dtracelight.prediction.window-calls=1000");
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
  }
}
