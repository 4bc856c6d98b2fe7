package io.tracelight.core.drift;

import io.tracelight.core.alert.Alert;
import io.tracelight.core.alert.AlertBook;
import io.tracelight.core.alert.AlertSubject;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Drift detection for one subject (provider, model, version, deployment label, system prompt): its
 * first {@code referenceCalls} calls make the reference, then every fifth of a window the last
 * {@code windowCalls} calls are compared with it, signal by signal, and each signal's check is
 * handed to the {@link AlertBook} as a breach or a clear. A tools or request-shape hash the
 * reference never saw is announced and starts a new reference (a deploy is not drift).
 *
 * <p>Threads: the pipeline thread only.
 */
final class ModelDrift {
  /** Values a side needs before a distribution is compared. */
  static final int MIN_VALUES = 30;
  /** Tools and request-shape hashes remembered; past it, new ones are neither announced nor restart. */
  static final int MAX_HASHES = 32;

  final String key;
  final AlertSubject subject;
  private final DriftSettings settings;
  private final AlertBook book;
  private final ContinuousSignal[] continuous = new ContinuousSignal[Signal.CONTINUOUS.length];
  private final CategoricalSignal[] categorical = new CategoricalSignal[Signal.CATEGORICAL.length];
  private final long[] referenceFlagged = new long[Signal.RATES.length];
  private final long[][] flagged = new long[Window.SLICES][Signal.RATES.length];
  private final Window window;
  private final Set<String> hashes = new HashSet<>();
  private long referenceCalls;
  private boolean monitoring;
  private double referenceMaxCost = Double.NaN;

  ModelDrift(String key, AlertSubject subject, DriftSettings settings, AlertBook book) {
    this.key = key;
    this.subject = subject;
    this.settings = settings;
    this.book = book;
    for (int i = 0; i < continuous.length; i++) {
      continuous[i] = new ContinuousSignal(settings.referenceCalls);
    }
    for (int i = 0; i < categorical.length; i++) {
      categorical[i] = new CategoricalSignal();
    }
    this.window = new Window(settings.windowCalls);
  }

  boolean monitoring() {
    return monitoring;
  }

  /**
   * Takes one call. Returns the name of a hash the reference never saw ({@code tools_hash} or
   * {@code shape_hash}) when the call starts a new reference, else null.
   */
  String observe(AiCall call, long epochNanos, long nowNanos) {
    String changed = newHash(call);
    if (changed != null) {
      return changed;
    }
    if (!monitoring) {
      reference(call);
      return null;
    }
    int slice = window.slice();
    for (int i = 0; i < continuous.length; i++) {
      continuous[i].add(slice, Signal.CONTINUOUS[i].value(call));
    }
    for (int i = 0; i < categorical.length; i++) {
      categorical[i].add(slice, Signal.CATEGORICAL[i].category(call));
    }
    for (int i = 0; i < Signal.RATES.length; i++) {
      if (Signal.RATES[i].flagged(call)) {
        flagged[slice][i]++;
      }
    }
    runawayCost(call, epochNanos, nowNanos);
    if (window.count()) {
      check(epochNanos, nowNanos);
      int next = window.advance();
      for (ContinuousSignal s : continuous) {
        s.clearSlice(next);
      }
      for (CategoricalSignal s : categorical) {
        s.clearSlice(next);
      }
      java.util.Arrays.fill(flagged[next], 0);
    }
    return null;
  }

  private String newHash(AiCall call) {
    String tools = call.get(Keys.TOOLS_HASH);
    String shape = call.get(Keys.SHAPE_HASH);
    if (!monitoring) {
      remember("t" + tools);
      remember("s" + shape);
      return null;
    }
    if (tools != null && hashes.size() < MAX_HASHES && !hashes.contains("t" + tools)) {
      return "tools_hash";
    }
    if (shape != null && hashes.size() < MAX_HASHES && !hashes.contains("s" + shape)) {
      return "shape_hash";
    }
    return null;
  }

  private void remember(String hash) {
    if (hash.length() > 1 + 4 && hashes.size() < MAX_HASHES) { // "t" + "null" is no hash
      hashes.add(hash);
    }
  }

  private void reference(AiCall call) {
    for (int i = 0; i < continuous.length; i++) {
      continuous[i].addReference(Signal.CONTINUOUS[i].value(call));
    }
    for (int i = 0; i < categorical.length; i++) {
      categorical[i].addReference(Signal.CATEGORICAL[i].category(call));
    }
    for (int i = 0; i < Signal.RATES.length; i++) {
      if (Signal.RATES[i].flagged(call)) {
        referenceFlagged[i]++;
      }
    }
    double cost = Signal.COST.value(call);
    if (cost == cost) {
      referenceMaxCost = referenceMaxCost == referenceMaxCost ? Math.max(referenceMaxCost, cost) : cost;
    }
    if (++referenceCalls >= settings.referenceCalls) {
      for (ContinuousSignal s : continuous) {
        s.closeReference();
      }
      monitoring = true;
    }
  }

  /** One call costing far more than any reference call: a loop gone wild or an injected prompt, alerted at once. */
  private void runawayCost(AiCall call, long epochNanos, long nowNanos) {
    double cost = Signal.COST.value(call);
    if (!(cost == cost) || !(referenceMaxCost > 0)) {
      return;
    }
    double limit = referenceMaxCost * settings.runawayFactor;
    String episode = key + "\u0000cost_runaway";
    if (cost > limit) {
      book.breach(episode, new Alert(epochNanos, Alert.State.FIRING, Alert.Severity.CRITICAL, "cost_runaway",
          Signal.COST.id, "max_ratio", cost / referenceMaxCost, settings.runawayFactor, Double.NaN,
          referenceMaxCost, cost, "up", subject, referenceCalls, 0, AlertBook.newEpisodeId(), runbook("cost_runaway"),
          String.format(Locale.ROOT, "one call of %s cost $%.4f, %.1f times the reference's most expensive call ($%.4f)",
              subject.describe(), cost, cost / referenceMaxCost, referenceMaxCost)), nowNanos);
    }
  }

  private void check(long epochNanos, long nowNanos) {
    long windowCalls = window.calls();
    for (int i = 0; i < continuous.length; i++) {
      checkContinuous(Signal.CONTINUOUS[i], continuous[i], windowCalls, epochNanos, nowNanos);
    }
    for (int i = 0; i < categorical.length; i++) {
      checkCategorical(Signal.CATEGORICAL[i], categorical[i], windowCalls, epochNanos, nowNanos);
    }
    for (int i = 0; i < Signal.RATES.length; i++) {
      checkRate(Signal.RATES[i], i, windowCalls, epochNanos, nowNanos);
    }
    book.clear(key + "\u0000cost_runaway", epochNanos, nowNanos, Double.NaN, Double.NaN);
  }

  private void checkContinuous(Signal signal, ContinuousSignal s, long windowCalls, long epochNanos, long nowNanos) {
    long n = s.referenceValues();
    long[] current = s.current();
    long m = 0;
    for (long c : current) {
      m += c;
    }
    if (n < MIN_VALUES || m < MIN_VALUES) {
      return;
    }
    double psi = s.psi(current);
    double d = Statistics.ksStatistic(s.reference(), current);
    double p = Statistics.ksPValue(d, n, m);
    double baseline = s.referenceMedian();
    double now = s.currentMedian(current);
    double change = relativeChange(baseline, now);
    String episode = key + '\u0000' + signal.id;
    String trend = now > baseline ? "up" : "down";
    if (psi >= settings.psiThreshold && p < settings.alpha && change >= settings.minChange) {
      Alert.Severity severity = psi >= 5 * settings.psiThreshold ? Alert.Severity.CRITICAL : Alert.Severity.WARNING;
      book.breach(episode, new Alert(epochNanos, Alert.State.FIRING, severity, "drift", signal.id, "psi", psi,
          settings.psiThreshold, p, baseline, now, trend, subject, referenceCalls, windowCalls,
          AlertBook.newEpisodeId(), runbook("drift"),
          String.format(Locale.ROOT, "%s of %s drifted %s: median %s -> %s (%+.0f%%), PSI %.2f >= %.2f, KS p=%.2g",
              signal.id, subject.describe(), now > baseline ? "up" : "down", show(baseline, signal),
              show(now, signal), 100 * signedChange(baseline, now), psi, settings.psiThreshold, p)), nowNanos);
    } else {
      book.clear(episode, epochNanos, nowNanos, psi, now);
    }
  }

  private void checkCategorical(Signal signal, CategoricalSignal s, long windowCalls, long epochNanos, long nowNanos) {
    long[] reference = s.reference();
    long[] current = s.current();
    long n = 0;
    long m = 0;
    for (int i = 0; i < reference.length; i++) {
      n += reference[i];
      m += current[i];
    }
    if (n < MIN_VALUES || m < MIN_VALUES) {
      return;
    }
    double jsd = Statistics.jensenShannon(reference, current);
    double[] chi = Statistics.chiSquare(reference, current);
    double p = chi[1] > 0 ? Statistics.chiSquareTail(chi[0], chi[1]) : 1.0;
    String episode = key + '\u0000' + signal.id;
    if (jsd >= settings.jsdThreshold && p < settings.alpha) {
      String grown = s.mostGrown(current);
      double before = share(reference, s, grown, n);
      double after = share(current, s, grown, m);
      book.breach(episode, new Alert(epochNanos, Alert.State.FIRING, Alert.Severity.WARNING, "drift", signal.id,
          "jsd", jsd, settings.jsdThreshold, p, before, after, "up", subject, referenceCalls, windowCalls,
          AlertBook.newEpisodeId(), runbook("drift"),
          String.format(Locale.ROOT, "%s mix of %s changed: '%s' %.1f%% -> %.1f%% of calls, JSD %.3f >= %.3f, chi-square p=%.2g",
              signal.id, subject.describe(), grown, 100 * before, 100 * after, jsd, settings.jsdThreshold, p)), nowNanos);
    } else {
      book.clear(episode, epochNanos, nowNanos, jsd, Double.NaN);
    }
  }

  private static double share(long[] counts, CategoricalSignal s, String category, long total) {
    for (int i = 0; i < counts.length; i++) {
      if (s.name(i).equals(category)) {
        return total == 0 ? 0 : counts[i] / (double) total;
      }
    }
    return 0;
  }

  private void checkRate(Signal signal, int index, long windowCalls, long epochNanos, long nowNanos) {
    long events = 0;
    for (long[] slice : flagged) {
      events += slice[index];
    }
    if (windowCalls < MIN_VALUES) {
      return;
    }
    double centre = (referenceFlagged[index] + 0.5) / (referenceCalls + 1.0); // never 0: a clean reference still has limits
    double rate = events / (double) windowCalls;
    double limit = Statistics.pChartUpperLimit(centre, windowCalls, referenceCalls);
    String episode = key + '\u0000' + signal.id;
    // the 3-sigma limit says the rate is out of control; the 2x2 chi-square test (flagged or not,
    // reference or window) keeps the false-alarm rate of many checks at about alpha each
    double p = Statistics.chiSquareTail(Statistics.chiSquare(
        new long[] {referenceFlagged[index], referenceCalls - referenceFlagged[index]},
        new long[] {events, windowCalls - events})[0], 1);
    if (rate > limit && events >= settings.minEvents && p < settings.alpha) {
      double sigma = Math.sqrt(centre * (1 - centre) * (1.0 / windowCalls + 1.0 / referenceCalls));
      Alert.Severity severity = (rate - centre) / sigma >= 6 ? Alert.Severity.CRITICAL : Alert.Severity.WARNING;
      book.breach(episode, new Alert(epochNanos, Alert.State.FIRING, severity, "rate", signal.id, "p_chart", rate,
          limit, p, referenceFlagged[index] / (double) referenceCalls, rate, "up", subject, referenceCalls,
          windowCalls, AlertBook.newEpisodeId(), runbook("rate"),
          String.format(Locale.ROOT, "%s of %s rose: %.1f%% of the last %d calls (%d), reference %.1f%%, 3-sigma limit %.1f%%, chi-square p=%.2g",
              signal.id, subject.describe(), 100 * rate, windowCalls, events,
              100.0 * referenceFlagged[index] / referenceCalls, 100 * limit, p)), nowNanos);
    } else {
      book.clear(episode, epochNanos, nowNanos, rate, rate);
    }
  }


  private String runbook(String rule) {
    return settings.runbook(rule);
  }

  static double relativeChange(double baseline, double now) {
    double change = Math.abs(signedChange(baseline, now));
    return change != change ? 0 : change;
  }

  private static double signedChange(double baseline, double now) {
    if (baseline == 0) {
      return now == 0 ? 0 : Double.POSITIVE_INFINITY * Math.signum(now);
    }
    return (now - baseline) / Math.abs(baseline);
  }

  private static String show(double v, Signal signal) {
    if ("s".equals(signal.unit)) {
      return String.format(Locale.ROOT, "%.1f ms", v * 1000);
    }
    if ("USD".equals(signal.unit)) {
      return String.format(Locale.ROOT, "$%.5f", v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.3g", v);
  }
}
