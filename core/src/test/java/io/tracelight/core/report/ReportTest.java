package io.tracelight.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.alert.Alert;
import io.tracelight.core.alert.AlertSubject;
import io.tracelight.core.export.EventFile;
import io.tracelight.core.export.JsonlExporter;
import io.tracelight.core.export.RollingFile;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report over files the agent's own writers made: numbers, drift verdicts, the HTML page. */
class ReportTest {
  private static final long T0 = 1_800_000_000_000_000_000L;

  private static AiCall call(String model, long index, double latencyMs, long outputTokens, boolean refusal) {
    AiCall c = new AiCall();
    c.startEpochNanos = T0 + index * 1_000_000_000L;
    c.durationNanos = (long) (latencyMs * 1e6);
    c.traceId = "0123456789abcdef0123456789abcdef";
    c.spanId = "0123456789abcdef";
    c.set(Keys.OPERATION, "chat");
    c.set(Keys.PROVIDER, "openai");
    c.set(Keys.REQUEST_MODEL, model);
    c.set(Keys.INPUT_TOKENS, 20L);
    c.set(Keys.OUTPUT_TOKENS, outputTokens);
    c.set(Keys.SYSTEM_HASH, "abcdef0123456789");
    if (refusal) {
      c.set(Keys.REFUSAL, Boolean.TRUE);
    }
    return c;
  }

  @Test
  void theReportGivesEachSubjectsNumbersItsDriftAndTheAlerts(@TempDir Path dir) throws Exception {
    JsonlExporter out = JsonlExporter.open(dir);
    SplittableRandom random = new SplittableRandom(1);
    List<Double> steadyLatencies = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      double steady = 100 + random.nextDouble() * 20;
      steadyLatencies.add(steady);
      out.export(call("steady-model", i, steady, 50, false));
      boolean late = i >= 200;
      out.export(call("drifting-model", i, (late ? 300 : 100) + random.nextDouble() * 20, late ? 150 : 50,
          late && i % 10 < 3));
    }
    out.close();
    Files.write(dir.resolve("calls.jsonl"), "{\"torn\": \n".getBytes(StandardCharsets.UTF_8),
        java.nio.file.StandardOpenOption.APPEND);
    EventFile alerts = EventFile.lazy(dir, "alerts", 0, false, RollingFile.Retention.none());
    alerts.write(new Alert(T0 + 250_000_000_000L, Alert.State.FIRING, Alert.Severity.WARNING, "drift", "latency", "psi",
        2.0, 0.2, 1e-9, 0.1, 0.3, "up", new AlertSubject("openai", "drifting-model", null, null, null), 500, 500,
        "e1", "", "latency of openai drifting-model drifted up"));
    alerts.close();

    Report report = Report.read(dir);
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    report.printText(new PrintStream(text, true, "UTF-8"));
    String t = text.toString("UTF-8");

    assertEquals(2, report.subjects.size());
    assertEquals(1, report.unreadLines, "the torn line is counted, not fatal");
    Report.Subject steady = report.subjects.values().iterator().next();
    assertEquals("steady-model", steady.model);
    assertEquals(400, steady.calls);
    Double[] sorted = steadyLatencies.toArray(new Double[0]);
    Arrays.sort(sorted);
    assertEquals(sorted[199], ReportText.ms(steady.latencyMicros, 50), sorted[199] * 0.01, "the median the calls had");
    assertEquals(20_000, steady.outputTokens);

    assertTrue(t.contains("Tracelight report of " + dir + ": 800 calls"), t);
    assertTrue(t.contains("1 alert events"), t);
    String steadyLine = lineOf(t, "  openai steady-model");
    assertFalse(steadyLine.contains("DRIFT") || steadyLine.contains("ROSE"), steadyLine);
    String driftLine = lineOf(t, "  openai drifting-model");
    assertTrue(driftLine.matches(".*latency median 1[01][0-9]\\.[0-9] -> 3[01][0-9]\\.[0-9], PSI .*"), driftLine);
    assertTrue(driftLine.contains("output tokens median 50 -> 150"), driftLine);
    assertEquals(2, driftLine.split("DRIFT", -1).length - 1, driftLine);
    assertTrue(driftLine.contains("refusals 0.0% -> 30.0%") && driftLine.contains("ROSE"), driftLine);
    assertTrue(t.contains("firing warning drift: latency of openai drifting-model drifted up"), t);

    String html = report.html();
    for (String external : new String[] {"src=", "href=", "url(", "@import", "<script", "<link", "http://", "https://"}) {
      assertFalse(html.contains(external), "self-contained: no " + external);
    }
    assertTrue(html.contains("<b id=\"calls\">800</b>"), html);
    assertTrue(html.contains("<svg id=\"latency-chart\""), html);
    assertEquals(2, html.split("<polyline", -1).length - 1, "one line per subject");
    assertEquals(3, html.split("<td class=\"drift\">", -1).length - 1, "latency, tokens and refusals of the drifting model");
  }

  /** Two named periods instead of the halves: before the shift against before it, then against after it. */
  @Test
  void twoNamedPeriodsAreComparedInsteadOfTheHalves(@TempDir Path dir) throws Exception {
    JsonlExporter out = JsonlExporter.open(dir);
    SplittableRandom random = new SplittableRandom(2);
    for (int i = 0; i < 400; i++) {
      boolean late = i >= 200;
      out.export(call("drifting-model", i, (late ? 300 : 100) + random.nextDouble() * 20, late ? 150 : 50, false));
    }
    out.close();
    String at0 = java.time.Instant.ofEpochSecond(0, T0).toString();
    String at100 = java.time.Instant.ofEpochSecond(0, T0 + 100 * 1_000_000_000L).toString();
    String at200 = java.time.Instant.ofEpochSecond(0, T0 + 200 * 1_000_000_000L).toString();
    String at400 = java.time.Instant.ofEpochSecond(0, T0 + 400 * 1_000_000_000L).toString();

    Report calm = Report.read(dir, new Report.Period[] {Report.Period.parse("early=" + at0 + "/" + at100),
        Report.Period.parse("later=" + at100 + "/" + at200)});
    String t = text(calm);
    assertTrue(t.contains("drift, each subject's calls in early against those in later:"), t);
    assertEquals(100, calm.subjects.values().iterator().next().latency.referenceValues());
    assertEquals(100, calm.subjects.values().iterator().next().latency.currentValues());
    assertFalse(lineOf(t, "  openai drifting-model").contains("DRIFT"), t);

    Report shifted = Report.read(dir, new Report.Period[] {Report.Period.parse("before=" + at0 + "/" + at200),
        Report.Period.parse("after=" + at200 + "/" + at400)});
    String line = lineOf(text(shifted), "  openai drifting-model");
    assertTrue(line.contains("output tokens median 50 -> 150") && line.contains("DRIFT"), line);
    assertTrue(shifted.html().contains("<h2>Drift: before against after</h2>"));

    assertEquals(2, Report.main(new String[] {"report", dir.toString(), "--period", "only-one=" + at0 + "/" + at100}));
    assertEquals(2, Report.main(new String[] {"report", dir.toString(), "--period", "bad=yesterday/today",
        "--period", "b=" + at0 + "/" + at100}));
  }

  private static String text(Report r) throws Exception {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    r.printText(new PrintStream(text, true, "UTF-8"));
    return text.toString("UTF-8");
  }

  private static String lineOf(String text, String start) {
    for (String line : text.split("\n")) {
      if (line.startsWith(start)) {
        return line;
      }
    }
    throw new AssertionError("no line starting with '" + start + "' in\n" + text);
  }
}
