package io.tracelight.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.prediction.OutputSummary;
import io.tracelight.core.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Per-model windows of predicted classes and confidences: counted exactly, bounded, reported. */
class PredictionWindowsTest {
  private static AiCall prediction(String model, String version, String label, double confidence) {
    AiCall c = new AiCall();
    c.durationNanos = 250_000;
    c.set(Keys.PREDICT_OPERATION, "predict");
    c.set(Keys.MODEL_RUNTIME, "onnxruntime");
    c.set(Keys.MODEL_NAME, model);
    c.set(Keys.MODEL_VERSION, version);
    OutputSummary s = new OutputSummary();
    s.label(label, confidence);
    c.outputSummary = s;
    return c;
  }

  @Test
  void classSharesShiftBetweenTheFirstAndTheLastWindow() throws Exception {
    Metrics metrics = new Metrics(100);
    SplittableRandom random = new SplittableRandom(3);
    int fraudBefore = 0;
    int fraudAfter = 0;
    for (int i = 0; i < 1000; i++) { // the first 100 calls 5% fraud, the last 100 calls 40%
      boolean late = i >= 900;
      boolean fraud = random.nextDouble() < (late ? 0.4 : 0.05);
      if (i < 100 && fraud) {
        fraudBefore++;
      }
      if (late && fraud) {
        fraudAfter++;
      }
      metrics.record(prediction("fraud", "2", fraud ? "fraud" : "legit", fraud ? 0.62 : 0.97));
    }
    ModelStats stats = metrics.all().get(0);
    assertEquals("2", stats.version);
    assertEquals(1000, stats.calls());
    List<PredictionWindows.Window> windows = stats.predictions.windows();
    assertEquals(1 + PredictionWindows.RECENT, windows.size(), "the first window and the recent ones, no more");
    assertEquals(1, windows.get(0).index);
    assertEquals(10, windows.get(windows.size() - 1).index);
    assertEquals(3, windows.get(1).index, "windows 2 ... 10 were made; the oldest recent one left");
    assertEquals(fraudBefore, windows.get(0).classes.getOrDefault("fraud", 0L).intValue());
    assertEquals(fraudAfter, windows.get(windows.size() - 1).classes.get("fraud").intValue());
    assertEquals(100 - fraudAfter, windows.get(windows.size() - 1).classes.get("legit").intValue());
    assertEquals(fraudAfter, windows.get(windows.size() - 1).confidence[OutputSummary.confidenceBucket(0.62)]);

    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Summary summary = new Summary(metrics.all(), 0, 0, 0, 0, 0, 0);
    summary.print(new PrintStream(bytes, true), "-");
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("onnxruntime        fraud:2                    predict"), text);
    assertTrue(text.contains("[tracelight] predictions of fraud:2 (onnxruntime), windows of 100 calls:"), text);
    assertTrue(text.contains("  window 1: 100 calls, 100 rows; classes legit " + percent(100 - fraudBefore)
        + "% fraud " + percent(fraudBefore) + "%; mean confidence "), text);
    assertTrue(text.contains("  window 10: 100 calls, 100 rows; classes"), text);

    ByteArrayOutputStream json = new ByteArrayOutputStream();
    summary.writeJson(json);
    try (JsonParser p = Json.parser(json.toByteArray(), 0, json.size())) {
      String all = json.toString(StandardCharsets.UTF_8);
      assertTrue(all.contains("\"ai.model.name\" : \"fraud\""), all);
      assertTrue(all.contains("\"window_calls\" : 100"), all);
      assertTrue(all.contains("\"fraud\" : " + fraudAfter), all);
      while (p.nextToken() != null) {
        // well-formed
      }
    }
  }

  private static String percent(int ofHundred) {
    return ofHundred + ".0";
  }

  @Test
  void aFloodOfClassesFoldsIntoOther() {
    Metrics metrics = new Metrics(10_000);
    for (int i = 0; i < 500; i++) {
      metrics.record(prediction("m", null, "class-" + i, Double.NaN));
    }
    Map<String, Long> classes = metrics.all().get(0).predictions.windows().get(0).classes;
    assertEquals(PredictionWindows.MAX_CLASSES + 1, classes.size());
    assertEquals(500 - PredictionWindows.MAX_CLASSES, classes.get(PredictionWindows.OTHER).longValue());
  }
}
