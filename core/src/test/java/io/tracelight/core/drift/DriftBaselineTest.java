package io.tracelight.core.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracelight.core.alert.Alert;
import io.tracelight.core.alert.AlertBook;
import io.tracelight.core.model.AiCall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DriftBaselineTest {
  private static final DriftSettings SETTINGS = DriftSettings.defaults();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A first run: {@code calls} steady calls, its references written as the agent does at exit. */
  private static Path steadyRun(Path dir, int calls, boolean hashes) throws IOException {
    DriftMonitor monitor = new DriftMonitor(SETTINGS, new AlertBook(0), hashes);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < calls; i++) {
      monitor.observe(DriftMonitorTest.call(random, i, 0.8, 200, 0.02, "sys"), i * 50_000_000L);
    }
    Path file = dir.resolve(DriftBaseline.FILE_NAME);
    assertEquals(1, DriftBaseline.write(monitor, file, 1_700_000_000_000_000_000L, true));
    return file;
  }

  /** A second run of {@code calls} calls, shifted or not, with or without the baseline: the signals that fired. */
  private static List<String> secondRun(DriftBaseline baseline, boolean shifted, int calls, String system, boolean hashes,
      int[] restored) {
    AlertBook book = new AlertBook(0);
    List<String> fired = new ArrayList<>();
    book.sink(a -> {
      if (a.state == Alert.State.FIRING) {
        fired.add(a.signal);
      }
    });
    DriftMonitor monitor = new DriftMonitor(SETTINGS, book, hashes);
    if (baseline != null) {
      monitor.baseline(baseline);
    }
    SplittableRandom random = new SplittableRandom(99);
    for (int i = 0; i < calls; i++) {
      monitor.observe(DriftMonitorTest.call(random, i, shifted ? 2.4 : 0.8, shifted ? 600 : 200, shifted ? 0.30 : 0.02,
          system), i * 50_000_000L);
    }
    restored[0] = monitor.restored();
    return fired;
  }

  @Test
  void aBaselineFromAnEarlierRunWatchesAModelFromItsFirstCall(@TempDir Path dir) throws Exception {
    DriftBaseline baseline = DriftBaseline.read(steadyRun(dir, 600, true));
    assertEquals(1, baseline.size());
    int[] restored = new int[1];

    // a model that starts this run already shifted: with the earlier run's reference, caught in the first window
    List<String> fired = secondRun(baseline, true, SETTINGS.windowCalls, "sys", true, restored);
    assertEquals(1, restored[0]);
    assertTrue(fired.containsAll(List.of("refusal_rate", "output_tokens", "latency")), fired.toString());

    // without it, the shifted calls are this run's reference: nothing to compare them with yet
    assertEquals(List.of(), secondRun(null, true, SETTINGS.windowCalls, "sys", true, restored));
    assertEquals(0, restored[0]);

    // a steady second run against the baseline: no alarm
    assertEquals(List.of(), secondRun(baseline, false, 2000, "sys", true, restored));

    // another system prompt is another subject: it makes its own reference
    assertEquals(List.of(), secondRun(baseline, true, SETTINGS.windowCalls, "other-sys", true, restored));
    assertEquals(0, restored[0]);
  }

  @Test
  void aRestoredReferenceIsWrittenBackUnchanged(@TempDir Path dir) throws Exception {
    Path first = steadyRun(dir, 600, true);
    DriftMonitor monitor = new DriftMonitor(SETTINGS, new AlertBook(0));
    monitor.baseline(DriftBaseline.read(first));
    monitor.observe(DriftMonitorTest.call(new SplittableRandom(3), 0, 0.8, 200, 0.02, "sys"), 0);
    Path second = dir.resolve("again.json");
    DriftBaseline.write(monitor, second, 1_700_000_000_000_000_000L, true);
    JsonNode a = JSON.readTree(first.toFile()).path("subjects").get(0);
    JsonNode b = JSON.readTree(second.toFile()).path("subjects").get(0);
    assertEquals(a, b);
    assertEquals(SETTINGS.referenceCalls, a.path("calls").asInt());
    assertEquals(ContinuousSignal.QUANTILES + 1, a.at("/numeric/latency/edges").size());
    assertEquals(SETTINGS.referenceCalls, sum(a.at("/numeric/latency/counts")), "every reference call's latency");
    assertEquals("sys", a.path("system_hash").asText());
    assertTrue(a.path("calls_per_second").asDouble() > 0, a.toString());
  }

  @Test
  void withoutHashesAnEntryStandsForTheModelsFirstSystemPrompt(@TempDir Path dir) throws Exception {
    Path file = steadyRun(dir, 600, false);
    JsonNode subject = JSON.readTree(file.toFile()).path("subjects").get(0);
    assertTrue(!subject.has("system_hash") && !subject.has("tools_hashes"), "no hash written: " + subject);
    int[] restored = new int[1];
    List<String> fired = secondRun(DriftBaseline.read(file), true, SETTINGS.windowCalls, "a-prompt-never-written", false,
        restored);
    assertEquals(1, restored[0]);
    assertTrue(fired.contains("refusal_rate"), fired.toString());
  }

  @Test
  void aFileThatIsNotABaselineIsRefusedWithTheReason(@TempDir Path dir) throws Exception {
    Path notJson = dir.resolve("a.json");
    Files.write(notJson, "{\"format\": ".getBytes(StandardCharsets.UTF_8));
    assertTrue(assertThrows(IOException.class, () -> DriftBaseline.read(notJson)).getMessage().startsWith("not JSON"));
    Path other = dir.resolve("b.json");
    Files.write(other, "{\"subjects\": []}".getBytes(StandardCharsets.UTF_8));
    assertTrue(assertThrows(IOException.class, () -> DriftBaseline.read(other)).getMessage()
        .startsWith("not a drift baseline"));

    // a damaged entry: that model makes its reference from its calls instead
    Path file = steadyRun(dir, 600, true);
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    Files.write(file, text.replaceFirst("\"edges\" : \\[ [^,]+,", "\"edges\" : [ 1e9,").getBytes(StandardCharsets.UTF_8));
    int[] restored = new int[1];
    assertEquals(List.of(), secondRun(DriftBaseline.read(file), true, SETTINGS.windowCalls, "sys", true, restored));
    assertEquals(0, restored[0], "edges out of order: not used");
  }

  /** A model this run did not call keeps its saved reference in the file written at exit. */
  @Test
  void aModelNotCalledAgainKeepsItsSavedReference(@TempDir Path dir) throws Exception {
    Path file = steadyRun(dir, 600, true);
    DriftMonitor monitor = new DriftMonitor(SETTINGS, new AlertBook(0));
    monitor.baseline(DriftBaseline.read(file));
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 600; i++) {
      AiCall c = DriftMonitorTest.call(random, i, 0.8, 200, 0.02, "sys");
      c.set(io.tracelight.core.model.Keys.REQUEST_MODEL, "another-model");
      monitor.observe(c, i * 50_000_000L);
    }
    assertEquals(2, DriftBaseline.write(monitor, file, 1_700_000_000_000_000_000L, true));
    List<String> models = new ArrayList<>();
    for (JsonNode subject : JSON.readTree(file.toFile()).path("subjects")) {
      models.add(subject.path("model").asText());
    }
    assertEquals(List.of("another-model", "gpt-test"), models);
  }

  /** Calls without a system prompt have their own entry (JSON null), apart from the model's prompts. */
  @Test
  void callsWithoutASystemPromptKeepTheirOwnEntry(@TempDir Path dir) throws Exception {
    DriftMonitor first = new DriftMonitor(SETTINGS, new AlertBook(0));
    SplittableRandom random = new SplittableRandom(13);
    for (int i = 0; i < 600; i++) {
      first.observe(DriftMonitorTest.call(random, i, 0.8, 200, 0.02, "sys"), i * 50_000_000L);
      first.observe(DriftMonitorTest.call(random, i, 0.8, 200, 0.02, null), i * 50_000_000L);
    }
    Path file = dir.resolve("b.json");
    assertEquals(2, DriftBaseline.write(first, file, 1_700_000_000_000_000_000L, true));
    assertTrue(JSON.readTree(file.toFile()).at("/subjects/1/system_hash").isNull(), "null: no system prompt");

    // the no-prompt calls come after a prompt's: still their own reference
    AlertBook book = new AlertBook(0);
    DriftMonitor second = new DriftMonitor(SETTINGS, book);
    second.baseline(DriftBaseline.read(file));
    second.observe(DriftMonitorTest.call(random, 0, 0.8, 200, 0.02, "sys"), 0);
    second.observe(DriftMonitorTest.call(random, 0, 0.8, 200, 0.02, null), 0);
    assertEquals(2, second.restored());
    // a prompt the file does not know makes its own
    DriftMonitor third = new DriftMonitor(SETTINGS, book);
    third.baseline(DriftBaseline.read(file));
    third.observe(DriftMonitorTest.call(random, 0, 0.8, 200, 0.02, "new-sys"), 0);
    assertEquals(0, third.restored());
  }

  /** Without hashes a model has one entry, its first prompt's, whatever prompts came after. */
  @Test
  void withoutHashesAModelHasOneEntry(@TempDir Path dir) throws Exception {
    DriftMonitor first = new DriftMonitor(SETTINGS, new AlertBook(0), false);
    SplittableRandom random = new SplittableRandom(17);
    for (int i = 0; i < 600; i++) {
      first.observe(DriftMonitorTest.call(random, i, 0.8, 200, 0.02, "first-sys"), i * 50_000_000L);
    }
    for (int i = 0; i < 600; i++) {
      first.observe(DriftMonitorTest.call(random, i, 3.0, 900, 0.02, "second-sys"), i * 50_000_000L);
    }
    Path file = dir.resolve("b.json");
    assertEquals(1, DriftBaseline.write(first, file, 1_700_000_000_000_000_000L, true));
    double median = JSON.readTree(file.toFile()).at("/subjects/0/numeric/latency/edges/10").asDouble();
    assertTrue(median < 1.5, "the first prompt's latencies (0.8 s), not the second's (3 s): " + median);
  }

  /** A restored subject makes references for input features the file does not have, and watches them. */
  @Test
  void aRestoredSubjectLearnsItsFeaturesLive(@TempDir Path dir) throws Exception {
    Path file = steadyRun(dir, 600, true); // no features in the file
    AlertBook book = new AlertBook(0);
    List<String> fired = new ArrayList<>();
    book.sink(a -> {
      if (a.state == Alert.State.FIRING) {
        fired.add(a.signal);
      }
    });
    DriftMonitor monitor = new DriftMonitor(SETTINGS, book);
    monitor.baseline(DriftBaseline.read(file));
    SplittableRandom random = new SplittableRandom(19);
    for (int i = 0; i < SETTINGS.referenceCalls + SETTINGS.windowCalls; i++) {
      AiCall c = DriftMonitorTest.call(random, i, 0.8, 200, 0.02, "sys");
      c.features = new io.tracelight.core.prediction.FeatureValues();
      boolean shifted = i >= SETTINGS.referenceCalls;
      c.features.add("amount", (shifted ? 300 : 100) + random.nextDouble() * 50);
      monitor.observe(c, i * 50_000_000L);
    }
    assertEquals(1, monitor.restored());
    assertTrue(fired.contains("feature:amount"), fired.toString());
  }

  private static long sum(JsonNode counts) {
    long n = 0;
    for (JsonNode c : counts) {
      n += c.asLong();
    }
    return n;
  }
}
