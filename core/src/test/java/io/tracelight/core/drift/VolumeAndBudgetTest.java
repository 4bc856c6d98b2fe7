package io.tracelight.core.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.alert.Alert;
import io.tracelight.core.alert.AlertBook;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import org.junit.jupiter.api.Test;

class VolumeAndBudgetTest {
  private static final long SECOND = 1_000_000_000L;
  /** 2026-11-27T12:00:00Z */
  private static final long NOON = 1_795_780_800L * SECOND;

  private static AiCall call(long epochNanos) {
    AiCall c = new AiCall();
    c.startEpochNanos = epochNanos;
    c.durationNanos = 1_000_000;
    c.set(Keys.PROVIDER, "openai");
    c.set(Keys.REQUEST_MODEL, "gpt-test");
    c.set(Keys.OUTPUT_TOKENS, 10L);
    return c;
  }

  @Test
  void poissonLowerTailMatchesScipy() {
    // scipy.stats.poisson.cdf(k, mu)
    assertEquals(0.0027693957155115775, VolumeWatch.poissonLowerTail(2, 10), 1e-15);
    assertEquals(1.9287498479639183e-22, VolumeWatch.poissonLowerTail(0, 50), 1e-33);
    assertEquals(0.0009714440282774196, VolumeWatch.poissonLowerTail(70, 100), 1e-15);
  }

  @Test
  void callsThatStopAreADropAndComingBackResolvesIt() {
    AlertBook book = new AlertBook(0);
    DriftMonitor monitor = new DriftMonitor(new DriftSettings(30, 50, 1e-4, 0.2, 0.01, 0.25, 5, 100, 10, ""), book);
    long now = 0;
    for (int i = 0; i < 300; i++) { // ten calls a second: the reference takes 3 s, the window is 10 s
      now += SECOND / 10;
      monitor.observe(call(NOON + now), now);
      monitor.tick(NOON + now, now);
    }
    assertEquals(0, book.fired(), "a steady rate: " + book.events());
    for (int i = 0; i < 12; i++) { // no calls for 12 s: the ticks still come
      now += SECOND;
      monitor.tick(NOON + now, now);
    }
    assertEquals(1, book.fired(), String.valueOf(book.events()));
    Alert drop = book.events().get(0);
    assertEquals("volume", drop.rule);
    assertEquals(Alert.Severity.WARNING, drop.severity); // caught while some calls were still in the window
    assertEquals("down", drop.trend);
    assertTrue(drop.baseline > 50 && drop.baseline < 110, "the calls expected in the window: " + drop.baseline);
    for (int i = 0; i < 200; i++) {
      now += SECOND / 10;
      monitor.observe(call(NOON + now), now);
      monitor.tick(NOON + now, now);
    }
    assertEquals(1, book.resolved(), String.valueOf(book.events()));
  }

  @Test
  void aForecastOverTheBudgetWarnsAndTheSpendPastItIsCritical() {
    AlertBook book = new AlertBook(0);
    DriftMonitor monitor = new DriftMonitor(DriftSettings.defaults(), book);
    monitor.budget(new BudgetWatch(1.0, book, "https://runbooks.example/{rule}"));
    long now = 0;
    for (int i = 0; i < 60; i++) { // a cent a minute at noon: $0.60 an hour, $7.80 forecast for the day
      now += 60 * SECOND;
      AiCall c = call(NOON + now);
      c.set(Keys.COST_USD, 0.01);
      monitor.observe(c, now);
      monitor.tick(NOON + now, now);
    }
    assertEquals(1, book.fired(), String.valueOf(book.events()));
    Alert forecast = book.events().get(0);
    assertEquals("budget", forecast.rule);
    assertEquals(Alert.Severity.WARNING, forecast.severity);
    assertEquals("https://runbooks.example/budget", forecast.runbook);
    assertTrue(forecast.message.startsWith("at the last hour's rate the day's AI spend reaches $"), forecast.message);
    for (int i = 0; i < 50; i++) { // the spend itself passes $1
      now += 60 * SECOND;
      AiCall c = call(NOON + now);
      c.set(Keys.COST_USD, 0.01);
      monitor.observe(c, now);
      monitor.tick(NOON + now, now);
    }
    assertEquals(2, book.fired(), String.valueOf(book.events()));
    assertEquals(Alert.Severity.CRITICAL, book.events().get(1).severity);
    assertEquals(1.0, book.events().get(1).threshold, 0);
  }
}
