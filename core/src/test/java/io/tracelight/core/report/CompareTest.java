package io.tracelight.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.export.JsonlExporter;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two labels of one model side by side, over files the agent's own writer made. */
class CompareTest {
  private static AiCall call(long i, String label, double latencyMs, long tokens, String input, String output) {
    AiCall c = new AiCall();
    c.startEpochNanos = 1_800_000_000_000_000_000L + i * 1_000_000L;
    c.durationNanos = (long) (latencyMs * 1e6);
    c.traceId = "0123456789abcdef0123456789abcdef";
    c.spanId = "0123456789abcdef";
    c.set(Keys.OPERATION, "chat");
    c.set(Keys.PROVIDER, "openai");
    c.set(Keys.REQUEST_MODEL, "gpt-test");
    c.set(Keys.OUTPUT_TOKENS, tokens);
    c.set(Keys.DEPLOYMENT, label);
    c.set(Keys.INPUT_HASH, input);
    c.set(Keys.OUTPUT_HASH, output);
    return c;
  }

  @Test
  void aCanaryThatAnswersLongerIsSetBesideTheBaselineWithItsShadowAgreement(@TempDir Path dir) throws Exception {
    JsonlExporter out = JsonlExporter.open(dir);
    SplittableRandom random = new SplittableRandom(3);
    for (int i = 0; i < 1000; i++) {
      String input = "in-" + i;
      out.export(call(2L * i, "stable", 100 + random.nextDouble() * 10, 50, input, "out-" + i));
      if (i % 5 == 0) { // the canary gets a fifth of the inputs too; it agrees on three of four of them
        out.export(call(2L * i + 1, "canary", 100 + random.nextDouble() * 10, 150, input,
            i % 20 == 0 ? "other-" + i : "out-" + i));
      }
    }
    out.close();
    Compare c = Compare.read(dir, "deployment", null, null, null);
    assertEquals("stable", c.a.label, "the larger group is A");
    assertEquals("canary", c.b.label);
    assertEquals(1000, c.a.calls);
    assertEquals(200, c.b.calls);
    assertEquals(200, c.shadowPairs);
    assertEquals(150, c.shadowAgreed);
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    c.print(new PrintStream(text, true, "UTF-8"));
    String t = text.toString("UTF-8");
    assertTrue(t.startsWith("Tracelight compare by deployment: stable (A) against canary (B)"), t);
    assertTrue(t.contains("output tokens median 50 -> 150") && t.contains("DRIFT"), t);
    assertTrue(t.matches("(?s).*latency median 10[0-9]\\.[0-9] -> 10[0-9]\\.[0-9], PSI [0-9.]+, KS p=[0-9.e-]+;.*"), t);
    assertTrue(t.contains("shadow traffic: 200 inputs sent to both, outputs agree on 75.0%"), t);
  }

  @Test
  void aCanaryVersionWithAnotherClassBalanceIsDifferent(@TempDir Path dir) throws Exception {
    JsonlExporter out = JsonlExporter.open(dir);
    SplittableRandom random = new SplittableRandom(4);
    for (int i = 0; i < 2000; i++) {
      boolean canary = i % 20 == 0; // 5% of the traffic
      AiCall c = new AiCall();
      c.startEpochNanos = 1_800_000_000_000_000_000L + i * 1_000_000L;
      c.durationNanos = 100_000;
      c.traceId = "0123456789abcdef0123456789abcdef";
      c.spanId = "0123456789abcdef";
      c.set(Keys.PREDICT_OPERATION, "predict");
      c.set(Keys.MODEL_RUNTIME, "pmml");
      c.set(Keys.MODEL_NAME, "fraud-scorer");
      c.set(Keys.MODEL_VERSION, canary ? "2.2" : "2.1");
      c.set(Keys.PREDICTED_CLASS, random.nextDouble() < (canary ? 0.25 : 0.03) ? "fraud" : "legit");
      out.export(c);
    }
    out.close();
    Compare c = Compare.read(dir, "version", "fraud-scorer", "2.1", "2.2");
    assertEquals(1900, c.a.calls);
    assertEquals(100, c.b.calls);
    double[] distance = c.classDistance();
    assertTrue(distance[0] >= 0.01 && distance[1] < 1e-4, distance[0] + " " + distance[1]);
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    c.print(new PrintStream(text, true, "UTF-8"));
    assertTrue(text.toString("UTF-8").contains("DIFFERENT"), text.toString("UTF-8"));
  }
}
