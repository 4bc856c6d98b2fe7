package io.tracelight.core.drift;

import io.tracelight.core.alert.Alert;
import io.tracelight.core.alert.AlertBook;
import io.tracelight.core.alert.AlertSubject;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.util.Locale;

/**
 * The UTC day's spend of every priced call against {@code tracelight.budget.daily-usd}: spent so far,
 * and the forecast at the last hour's rate (sixty one-minute buckets) for the hours the day has left.
 * A forecast over the budget is a {@code warning}; the spend itself over it is {@code critical}.
 * Checked on the pipeline's ticks.
 *
 * <p>Threads: the pipeline thread only.
 */
public final class BudgetWatch {
  static final long DAY_NANOS = 86_400_000_000_000L;
  static final long MINUTE_NANOS = 60_000_000_000L;
  static final AlertSubject ALL = new AlertSubject("*", "*", null, null, null);

  private final double dailyUsd;
  private final AlertBook book;
  private final String runbook;
  private long day = Long.MIN_VALUE;
  private double spentToday;
  private final double[] minutes = new double[60];
  private long lastMinute = Long.MIN_VALUE;

  public BudgetWatch(double dailyUsd, AlertBook book, String runbook) {
    this.dailyUsd = dailyUsd;
    this.book = book;
    this.runbook = runbook == null ? "" : runbook.replace("{rule}", "budget");
  }

  void call(AiCall call) {
    Double cost = call.get(Keys.COST_USD);
    if (cost == null || !(cost > 0)) {
      return;
    }
    long at = call.startEpochNanos + call.durationNanos;
    roll(at);
    spentToday += cost;
    minutes[(int) Math.floorMod(Math.floorDiv(at, MINUTE_NANOS), 60L)] += cost;
  }

  /** Starts a new day, or empties the minutes that passed without a call. */
  private void roll(long epochNanos) {
    long today = Math.floorDiv(epochNanos, DAY_NANOS);
    if (today != day) {
      day = today;
      spentToday = 0;
      java.util.Arrays.fill(minutes, 0);
    }
    long minute = Math.floorDiv(epochNanos, MINUTE_NANOS);
    if (minute > lastMinute) {
      for (long m = Math.max(lastMinute + 1, minute - 59); m <= minute; m++) {
        minutes[(int) Math.floorMod(m, 60L)] = 0;
      }
      lastMinute = minute;
    }
  }

  /** The day's spend so far and its forecast at the last hour's rate, {@code [spent, forecast]}. */
  double[] spentAndForecast(long epochNanos) {
    roll(epochNanos);
    double lastHour = 0;
    for (double m : minutes) {
      lastHour += m;
    }
    double hoursLeft = (DAY_NANOS - Math.floorMod(epochNanos, DAY_NANOS)) / 3.6e12;
    return new double[] {spentToday, spentToday + lastHour * hoursLeft};
  }

  void tick(long epochNanos, long nowNanos) {
    double[] sf = spentAndForecast(epochNanos);
    // two episodes: the forecast's warning, and the spend's own passing of the budget, which escalates
    if (sf[1] > dailyUsd) {
      book.breach("\u0000budget_forecast", alert(epochNanos, Alert.Severity.WARNING, sf[1], sf, String.format(Locale.ROOT,
          "at the last hour's rate the day's AI spend reaches $%.2f, over tracelight.budget.daily-usd ($%.2f); $%.2f so far",
          sf[1], dailyUsd, sf[0])), nowNanos);
    } else {
      book.clear("\u0000budget_forecast", epochNanos, nowNanos, sf[1], sf[0]);
    }
    if (sf[0] > dailyUsd) {
      book.breach("\u0000budget_spent", alert(epochNanos, Alert.Severity.CRITICAL, sf[0], sf, String.format(Locale.ROOT,
          "the day's AI spend, $%.2f, passed tracelight.budget.daily-usd ($%.2f)", sf[0], dailyUsd)), nowNanos);
    } else {
      book.clear("\u0000budget_spent", epochNanos, nowNanos, sf[0], sf[0]);
    }
  }

  private Alert alert(long epochNanos, Alert.Severity severity, double value, double[] sf, String message) {
    return new Alert(epochNanos, Alert.State.FIRING, severity, "budget", "cost", "daily_usd", value, dailyUsd,
        Double.NaN, dailyUsd, sf[0], "up", ALL, 0, 0, AlertBook.newEpisodeId(), runbook, message);
  }
}
