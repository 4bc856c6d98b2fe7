package io.tracelight.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracelight.core.alert.AlertBook;
import io.tracelight.core.drift.DriftBaseline;
import io.tracelight.core.drift.DriftMonitor;
import io.tracelight.core.drift.DriftSettings;
import io.tracelight.core.export.JsonlExporter;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BaselineTest {
  private static final long T0 = 1_800_000_000_000_000_000L;

  private static AiCall call(SplittableRandom random, int i) {
    AiCall c = new AiCall();
    c.startEpochNanos = T0 + i * 100_000_000L;
    c.durationNanos = (long) ((0.5 + random.nextDouble()) * 1e9) + random.nextInt(1000);
    c.traceId = "0123456789abcdef0123456789abcdef";
    c.spanId = "0123456789abcdef";
    c.set(Keys.OPERATION, "chat");
    c.set(Keys.PROVIDER, "openai");
    c.set(Keys.REQUEST_MODEL, "gpt-test");
    c.set(Keys.RESPONSE_MODEL, random.nextDouble() < 0.1 ? "gpt-test-b" : "gpt-test-a");
    c.set(Keys.SYSTEM_HASH, "feedface");
    c.set(Keys.OUTPUT_TOKENS, 100L + random.nextInt(200));
    c.set(Keys.COST_USD, 0.0001 * (1 + random.nextInt(50)));
    c.set(Keys.FINISH_REASONS, Collections.singletonList(random.nextDouble() < 0.05 ? "length" : "stop"));
    if (random.nextDouble() < 0.03) {
      c.set(Keys.REFUSAL, Boolean.TRUE);
    }
    if (random.nextDouble() < 0.02) {
      c.fail("500");
    }
    return c;
  }

  /** The command reads a run's records back and makes the reference the agent made from the same calls. */
  @Test
  void theCommandMakesFromTheRecordsTheReferenceTheAgentMadeLive(@TempDir Path dir) throws Exception {
    JsonlExporter out = JsonlExporter.open(dir);
    DriftMonitor live = new DriftMonitor(DriftSettings.defaults(), new AlertBook(0));
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 700; i++) {
      AiCall c = call(random, i);
      out.export(c);
      live.observe(c, c.startEpochNanos + c.durationNanos);
    }
    out.close();
    Path agents = dir.resolve("live.json");
    DriftBaseline.write(live, agents, T0, true);

    Path made = dir.resolve("made.json");
    assertEquals(0, Baseline.main(new String[] {"baseline", dir.toString(), "--out", made.toString()}));
    ObjectMapper json = new ObjectMapper();
    JsonNode a = json.readTree(agents.toFile()).path("subjects").get(0);
    JsonNode b = json.readTree(made.toFile()).path("subjects").get(0);
    assertEquals(500, b.path("calls").asInt());
    assertEquals("feedface", b.path("system_hash").asText());
    assertEquals(a.path("categories"), b.path("categories"));
    assertEquals(a.path("rates"), b.path("rates"));
    assertTrue(b.at("/rates/refusal_rate").asLong() > 0 && b.at("/rates/error_rate").asLong() > 0, b.toString());
    Iterator<Map.Entry<String, JsonNode>> signals = a.path("numeric").fields();
    int compared = 0;
    while (signals.hasNext()) {
      Map.Entry<String, JsonNode> s = signals.next();
      JsonNode other = b.path("numeric").path(s.getKey());
      assertEquals(s.getValue().path("counts"), other.path("counts"), s.getKey());
      for (int i = 0; i < s.getValue().path("edges").size(); i++) { // durations pass through the records' milliseconds
        double want = s.getValue().path("edges").get(i).asDouble();
        assertEquals(want, other.path("edges").get(i).asDouble(), Math.abs(want) * 1e-6 + 1e-9, s.getKey() + " edge " + i);
      }
      compared++;
    }
    assertEquals(3, compared, "latency, output tokens and cost: " + a.path("numeric"));
  }

  /** Records a tail rule kept (slow calls here) are not a fair sample: left out, and said. */
  @Test
  void recordsKeptForTheirOutcomeAreLeftOut(@TempDir Path dir) throws Exception {
    JsonlExporter out = JsonlExporter.open(dir);
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 700; i++) {
      AiCall c = call(random, i);
      c.set(Keys.SAMPLE_REASON, i % 10 == 0 ? "slow" : "ratio");
      if (i % 10 == 0) {
        c.durationNanos = 60_000_000_000L;
      }
      out.export(c);
    }
    out.close();
    Path made = dir.resolve("made.json");
    java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stdout = System.out;
    System.setOut(new java.io.PrintStream(said, true, "UTF-8"));
    try {
      assertEquals(0, Baseline.main(new String[] {"baseline", dir.toString(), "--out", made.toString()}));
    } finally {
      System.setOut(stdout);
    }
    assertTrue(said.toString("UTF-8").startsWith("70 records kept by a sampling rule"), said.toString("UTF-8"));
    JsonNode subject = new ObjectMapper().readTree(made.toFile()).at("/subjects/0");
    assertTrue(subject.at("/numeric/latency/edges/20").asDouble() < 2, "no 60 s call in the reference: " + subject);
    assertTrue(!subject.has("calls_per_second"), "no call rate from records");
  }

  @Test
  void aPeriodPicksTheCallsThatMakeTheReference(@TempDir Path dir) throws Exception {
    JsonlExporter out = JsonlExporter.open(dir);
    SplittableRandom random = new SplittableRandom(5);
    for (int i = 0; i < 700; i++) {
      out.export(call(random, i));
    }
    out.close();
    Path made = dir.resolve("made.json");
    // calls 100 to 399: 300 calls, a reference of 200
    assertEquals(0, Baseline.main(new String[] {"baseline", dir.toString(), "--from", java.time.Instant.ofEpochSecond(0,
        T0 + 100 * 100_000_000L).toString(), "--to", java.time.Instant.ofEpochSecond(0, T0 + 400 * 100_000_000L).toString(),
        "--calls", "200", "--out", made.toString()}));
    assertEquals(200, new ObjectMapper().readTree(made.toFile()).at("/subjects/0/calls").asInt());
    // too short a period for 500: nothing written, said, and a failing exit status
    assertEquals(1, Baseline.main(new String[] {"baseline", dir.toString(), "--to", java.time.Instant.ofEpochSecond(0,
        T0 + 100 * 100_000_000L).toString(), "--out", dir.resolve("none.json").toString()}));
    assertTrue(!java.nio.file.Files.exists(dir.resolve("none.json")), "no empty file");
  }
}
