package io.tracelight.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SummaryTest {
  @Test
  void tableMatchesTheFormatterLayoutForRecordedCalls() {
    Metrics metrics = new Metrics();
    SplittableRandom random = new SplittableRandom(8);
    Histogram durations = new Histogram(3);
    int errors = 0;
    int refusals = 0;
    for (int i = 0; i < 2_000; i++) {
      long micros = 1 + random.nextLong(5_000_000);
      boolean error = random.nextInt(7) == 0;
      errors += error ? 1 : 0;
      durations.recordValue(micros);
      AiCall c = call(micros, error);
      if (!error && random.nextInt(11) == 0) {
        c.set(Keys.REFUSAL, Boolean.TRUE);
        refusals++;
      }
      metrics.record(c);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new Summary(metrics.all(), 3, 1, 2, 0, 0, 0).print(new PrintStream(bytes, true), "./tracelight/calls.jsonl");
    String[] lines = bytes.toString(StandardCharsets.UTF_8).split(System.lineSeparator());

    assertEquals("[tracelight] summary: 2000 AI calls, 3 dropped, 2 not written, 1 internal errors; "
        + "records: ./tracelight/calls.jsonl", lines[0]);
    assertEquals(String.format(Locale.ROOT, "%-18s %-26s %-16s %6s %6s %7s %9s %9s %9s %9s %9s %9s %9s %9s %10s",
        "provider", "model", "op", "calls", "err%", "refuse%", "p50 ms", "p95 ms", "p99 ms", "max ms", "ttfc p50",
        "ttfc p95", "tok in", "tok out", "cost $"), lines[1]);
    assertEquals(String.format(Locale.ROOT,
        "%-18s %-26s %-16s %6d %5.1f%% %6.1f%% %9.1f %9.1f %9.1f %9.1f %9s %9s %9d %9d %10s",
        "openai", "gpt-4o-mini", "chat", 2000, errors * 100.0 / 2000, refusals * 100.0 / 2000,
        durations.getValueAtPercentile(50) / 1000.0, durations.getValueAtPercentile(95) / 1000.0,
        durations.getValueAtPercentile(99) / 1000.0, durations.getMaxValue() / 1000.0, "-", "-",
        2000 * 12L, 2000 * 34L, "-"), lines[2]);
  }

  @Test
  void dollarsShowWhatTheAmountNeeds() {
    assertEquals("0.000053", Summary.usd(0.0000525));
    assertEquals("0.000000", Summary.usd(0));
    assertEquals("0.0123", Summary.usd(0.01234));
    assertEquals("12.5000", Summary.usd(12.5));
    assertEquals("1234.57", Summary.usd(1234.567));
  }

  @Test
  void millisecondsRoundHalfUpLikeTheFormatter() {
    for (long micros : new long[] {0, 49, 50, 1049, 1050, 1150, 1250, 99_950, 123_456_789}) {
      assertEquals(String.format(Locale.ROOT, "%.1f", micros / 1000.0), Summary.microsAsMillis(micros),
          micros + " µs");
    }
  }

  private static AiCall call(long micros, boolean error) {
    AiCall c = new AiCall();
    c.durationNanos = micros * 1000;
    c.error = error;
    c.set(Keys.PROVIDER, "openai");
    c.set(Keys.REQUEST_MODEL, "gpt-4o-mini");
    c.set(Keys.OPERATION, "chat");
    c.set(Keys.INPUT_TOKENS, 12L);
    c.set(Keys.OUTPUT_TOKENS, 34L);
    return c;
  }
}
