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
public final class ModelDrift {
  /** Values a side needs before a distribution is compared. */
  static final int MIN_VALUES = 30;
  /** Tools hashes and request-shape hashes remembered, each; past it, new ones are neither announced nor restart. */
  static final int MAX_HASHES = 16;

  final String key;
  public final AlertSubject subject;
  private final DriftSettings settings;
  private final AlertBook book;
  private final ContinuousSignal[] continuous = new ContinuousSignal[Signal.CONTINUOUS.length];
  private final CategoricalSignal[] categorical = new CategoricalSignal[Signal.CATEGORICAL.length];
  private final long[] referenceFlagged = new long[Signal.RATES.length];
  private final long[][] flagged = new long[Window.SLICES][Signal.RATES.length];
  private final Window window;
  private final VolumeWatch volume = new VolumeWatch();
  /** Numeric input features (with {@code capture.features}): the first {@value #MAX_FEATURES} seen while the reference fills. */
  static final int MAX_FEATURES = 16;
  private final java.util.LinkedHashMap<String, ContinuousSignal> features = new java.util.LinkedHashMap<>();
  /** Tools and shape hashes seen, by this subject and the ones it replaced (a shape seen once is never new again). */
  private final Set<String> tools;
  private final Set<String> shapes;
  private long referenceCalls;
  private boolean monitoring;
  /** Restored from a baseline that left its hashes out: the first tools and shape hashes seen are taken as known. */
  private boolean learnsTools;
  private boolean learnsShapes;
  /** Restored: input features the baseline does not have get their references from this run's calls. */
  private boolean learnsFeatures;
  private double referenceMaxCost = Double.NaN;
  /** Whether a runaway call came in the slice being filled: its episode is not cleared at that slice's check. */
  private boolean runawayInSlice;
  /** Feedback: the reference's ratings and rejections, then per slice the ratings and rejections. */
  private long feedbackReference;
  private long feedbackReferenceRejected;
  private final long[][] feedbackCounts = new long[Window.SLICES][2];
  private int feedbackSlice;

  ModelDrift(String key, AlertSubject subject, DriftSettings settings, AlertBook book) {
    this(key, subject, settings, book, new HashSet<String>(), new HashSet<String>());
  }

  /** A new reference for the same subject after a deploy, keeping the hashes seen so far. */
  ModelDrift restarted() {
    return new ModelDrift(key, subject, settings, book, tools, shapes);
  }

  private ModelDrift(String key, AlertSubject subject, DriftSettings settings, AlertBook book, Set<String> tools,
      Set<String> shapes) {
    this.tools = tools;
    this.shapes = shapes;
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
      volume.reference(nowNanos);
      reference(call);
      if (monitoring) {
        volume.closeReference(nowNanos);
      }
      return null;
    }
    volume.call(nowNanos);
    int slice = window.slice();
    for (int i = 0; i < continuous.length; i++) {
      continuous[i].add(slice, Signal.CONTINUOUS[i].value(call));
    }
    io.tracelight.core.prediction.FeatureValues values = call.features;
    if (values != null && (!features.isEmpty() || learnsFeatures)) {
      for (int f = 0; f < values.features(); f++) {
        ContinuousSignal feature = features.get(values.name(f));
        if (feature == null && learnsFeatures && features.size() < MAX_FEATURES) {
          feature = new ContinuousSignal(settings.referenceCalls); // restored without it: its reference is made live
          features.put(values.name(f), feature);
        }
        if (feature == null) {
          continue;
        }
        if (feature.learning()) {
          for (int v = 0; v < values.count(f); v++) {
            feature.addReference(values.value(f, v));
          }
          if (feature.collected() >= settings.referenceCalls) {
            feature.closeReference();
          }
        } else {
          for (int v = 0; v < values.count(f); v++) {
            feature.add(slice, values.value(f, v));
          }
        }
      }
    }
    if (!volume.started()) { // restored without a call rate: the rate's reference is made live
      volume.reference(nowNanos);
      if (volume.referenceCalls() >= settings.referenceCalls) {
        volume.closeReference(nowNanos);
      }
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
      for (ContinuousSignal s : features.values()) {
        s.clearSlice(next);
      }
      for (CategoricalSignal s : categorical) {
        s.clearSlice(next);
      }
      java.util.Arrays.fill(flagged[next], 0);
    }
    return null;
  }

  /**
   * A tools or request-shape hash this subject (or the one it replaced) never saw, once the reference
   * is made: its name; else null. Hashes seen while the reference fills are simply remembered.
   */
  private String newHash(AiCall call) {
    String toolsHash = call.get(Keys.TOOLS_HASH);
    String shapeHash = call.get(Keys.SHAPE_HASH);
    boolean newTools = toolsHash != null && tools.size() < MAX_HASHES && tools.add(toolsHash);
    boolean newShape = shapeHash != null && shapes.size() < MAX_HASHES && shapes.add(shapeHash);
    if (learnsTools && toolsHash != null) { // a baseline written without hashes: the first seen are the reference's
      learnsTools = false;
      newTools = false;
    }
    if (learnsShapes && shapeHash != null) {
      learnsShapes = false;
      newShape = false;
    }
    if (!monitoring) {
      return null;
    }
    return newTools ? "tools_hash" : newShape ? "shape_hash" : null;
  }

  private void reference(AiCall call) {
    for (int i = 0; i < continuous.length; i++) {
      continuous[i].addReference(Signal.CONTINUOUS[i].value(call));
    }
    io.tracelight.core.prediction.FeatureValues values = call.features;
    if (values != null) {
      for (int f = 0; f < values.features(); f++) {
        ContinuousSignal feature = features.get(values.name(f));
        if (feature == null && features.size() < MAX_FEATURES) {
          feature = new ContinuousSignal(settings.referenceCalls);
          features.put(values.name(f), feature);
        }
        if (feature != null) {
          for (int v = 0; v < values.count(f); v++) {
            feature.addReference(values.value(f, v));
          }
        }
      }
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
      for (ContinuousSignal s : features.values()) {
        s.closeReference();
      }
      monitoring = true;
    }
  }

  /** Whether the reference is made: a baseline file can keep it. */
  boolean referenceMade() {
    return monitoring;
  }

  /**
   * This subject's reference as one object of a baseline file: the numeric signals' quantile edges and
   * counts, the categories' counts, the rates' events, the feedback's, when {@code rate} the call
   * rate and, when {@code hashes}, the tools and request-shape hashes seen.
   */
  void writeReference(com.fasterxml.jackson.core.JsonGenerator g, boolean hashes, boolean rate) throws java.io.IOException {
    g.writeNumberField("calls", referenceCalls);
    if (referenceMaxCost == referenceMaxCost) {
      g.writeNumberField("max_cost", referenceMaxCost);
    }
    if (rate && volume.started()) {
      g.writeNumberField("calls_per_second", volume.callsPerSecond());
      g.writeNumberField("window_ms", volume.windowNanos() / 1_000_000);
    }
    g.writeObjectFieldStart("numeric");
    for (int i = 0; i < continuous.length; i++) {
      writeNumeric(g, Signal.CONTINUOUS[i].id, continuous[i]);
    }
    for (java.util.Map.Entry<String, ContinuousSignal> f : features.entrySet()) {
      writeNumeric(g, FEATURE_PREFIX + f.getKey(), f.getValue());
    }
    g.writeEndObject();
    g.writeObjectFieldStart("categories");
    for (int i = 0; i < categorical.length; i++) {
      if (categorical[i].names().isEmpty()) {
        continue;
      }
      g.writeObjectFieldStart(Signal.CATEGORICAL[i].id);
      g.writeArrayFieldStart("names");
      for (String name : categorical[i].names()) {
        g.writeString(name);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("counts");
      for (long c : categorical[i].reference()) {
        g.writeNumber(c);
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndObject();
    g.writeObjectFieldStart("rates");
    for (int i = 0; i < Signal.RATES.length; i++) {
      g.writeNumberField(Signal.RATES[i].id, referenceFlagged[i]);
    }
    g.writeEndObject();
    g.writeNumberField("ratings", feedbackReference);
    g.writeNumberField("ratings_rejected", feedbackReferenceRejected);
    if (hashes) {
      g.writeArrayFieldStart("tools_hashes");
      for (String h : tools) {
        g.writeString(h);
      }
      g.writeEndArray();
      g.writeArrayFieldStart("shape_hashes");
      for (String h : shapes) {
        g.writeString(h);
      }
      g.writeEndArray();
    }
  }

  static final String FEATURE_PREFIX = "feature:";

  private static void writeNumeric(com.fasterxml.jackson.core.JsonGenerator g, String name, ContinuousSignal s)
      throws java.io.IOException {
    if (!s.hasReference()) {
      return;
    }
    g.writeObjectFieldStart(name);
    g.writeArrayFieldStart("edges");
    for (double e : s.edges()) {
      g.writeNumber(e);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("counts");
    for (long c : s.reference()) {
      g.writeNumber(c);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  /**
   * Takes its reference from a baseline file's object (as {@link #writeReference} wrote it, read by
   * {@link DriftBaseline}) instead of from its first calls: it watches from its first call on.
   * @throws IllegalArgumentException when the object is not a reference
   */
  void restoreReference(java.util.Map<String, Object> saved, long nowNanos) {
    java.util.Map<String, Object> numeric = DriftBaseline.object(saved, "numeric");
    for (int i = 0; i < continuous.length; i++) {
      restoreNumeric(continuous[i], DriftBaseline.object(numeric, Signal.CONTINUOUS[i].id));
    }
    for (java.util.Map.Entry<String, Object> e : numeric.entrySet()) {
      if (e.getKey().startsWith(FEATURE_PREFIX) && features.size() < MAX_FEATURES) {
        ContinuousSignal feature = new ContinuousSignal(settings.referenceCalls);
        restoreNumeric(feature, DriftBaseline.object(numeric, e.getKey()));
        features.put(e.getKey().substring(FEATURE_PREFIX.length()), feature);
      }
    }
    java.util.Map<String, Object> categories = DriftBaseline.object(saved, "categories");
    for (int i = 0; i < categorical.length; i++) {
      java.util.Map<String, Object> c = DriftBaseline.object(categories, Signal.CATEGORICAL[i].id);
      if (!c.isEmpty()) {
        categorical[i].restore(DriftBaseline.strings(c, "names"), DriftBaseline.longs(c, "counts"));
      }
    }
    java.util.Map<String, Object> rates = DriftBaseline.object(saved, "rates");
    for (int i = 0; i < Signal.RATES.length; i++) {
      referenceFlagged[i] = (long) DriftBaseline.number(rates, Signal.RATES[i].id, 0);
    }
    referenceCalls = (long) DriftBaseline.number(saved, "calls", 0);
    if (referenceCalls <= 0) {
      throw new IllegalArgumentException("a reference of no calls");
    }
    referenceMaxCost = DriftBaseline.number(saved, "max_cost", Double.NaN);
    feedbackReference = Math.min(feedbackReferenceSize(), (long) DriftBaseline.number(saved, "ratings", 0));
    feedbackReferenceRejected = Math.min(feedbackReference, (long) DriftBaseline.number(saved, "ratings_rejected", 0));
    volume.restore(DriftBaseline.number(saved, "calls_per_second", 0),
        (long) DriftBaseline.number(saved, "window_ms", 0) * 1_000_000L, nowNanos);
    if (saved.containsKey("tools_hashes")) {
      for (String h : DriftBaseline.strings(saved, "tools_hashes")) {
        if (tools.size() < MAX_HASHES) {
          tools.add(h);
        }
      }
      for (String h : DriftBaseline.strings(saved, "shape_hashes")) {
        if (shapes.size() < MAX_HASHES) {
          shapes.add(h);
        }
      }
    } else {
      learnsTools = true;
      learnsShapes = true;
    }
    learnsFeatures = true;
    monitoring = true;
  }

  private static void restoreNumeric(ContinuousSignal s, java.util.Map<String, Object> saved) {
    if (saved.isEmpty()) {
      s.restoreEmpty();
      return;
    }
    long[] counts = DriftBaseline.longs(saved, "counts");
    java.util.List<Object> edges = DriftBaseline.list(saved, "edges");
    double[] e = new double[edges.size()];
    for (int i = 0; i < e.length; i++) {
      e[i] = ((Number) edges.get(i)).doubleValue();
    }
    s.restore(e, counts);
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
      runawayInSlice = true;
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
      checkContinuous(Signal.CONTINUOUS[i].id, Signal.CONTINUOUS[i].unit, continuous[i], windowCalls, epochNanos,
          nowNanos);
    }
    for (java.util.Map.Entry<String, ContinuousSignal> f : features.entrySet()) {
      checkContinuous(FEATURE_PREFIX + f.getKey(), "", f.getValue(), windowCalls, epochNanos, nowNanos);
    }
    for (int i = 0; i < categorical.length; i++) {
      checkCategorical(Signal.CATEGORICAL[i], categorical[i], windowCalls, epochNanos, nowNanos);
    }
    for (int i = 0; i < Signal.RATES.length; i++) {
      checkRate(Signal.RATES[i], i, windowCalls, epochNanos, nowNanos);
    }
    if (!runawayInSlice) {
      book.clear(key + "\u0000cost_runaway", epochNanos, nowNanos, Double.NaN, Double.NaN);
    }
    runawayInSlice = false;
  }

  private void checkContinuous(String signal, String unit, ContinuousSignal s, long windowCalls, long epochNanos,
      long nowNanos) {
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
    String episode = key + '\u0000' + signal;
    String trend = Statistics.cdfGap(s.reference(), current) > 0 ? "up" : "down";
    if (settings.numericDrift(psi, p, baseline, now) && worse(unit, "up".equals(trend), baseline, now)) {
      Alert.Severity severity = psi >= 5 * settings.psiThreshold ? Alert.Severity.CRITICAL : Alert.Severity.WARNING;
      book.breach(episode, new Alert(epochNanos, Alert.State.FIRING, severity, "drift", signal, "psi", psi,
          settings.psiThreshold, p, baseline, now, trend, subject, referenceCalls, windowCalls,
          AlertBook.newEpisodeId(), runbook("drift"),
          String.format(Locale.ROOT, "%s of %s drifted %s: median %s -> %s (%+.0f%%), PSI %.2f >= %.2f, KS p=%.2g",
              signal, subject.describe(), trend, show(baseline, unit),
              show(now, unit), 100 * signedChange(baseline, now), psi, settings.psiThreshold, p)), nowNanos);
    } else {
      book.clear(episode, epochNanos, nowNanos, psi, now);
    }
  }

  /**
   * Whether a move is one to alert on: a time or a cost only when it grew (a faster or cheaper model,
   * or a JIT that warmed up after the reference, is no alarm), and a time only by at least
   * {@value #MIN_TIME_CHANGE_SECONDS} s (an in-JVM model's 70 µs becoming 100 µs under a busy
   * neighbour is noise, not drift); anything else either way.
   */
  static boolean worse(String unit, boolean up, double baseline, double now) {
    if ("s".equals(unit)) {
      return up && now - baseline >= MIN_TIME_CHANGE_SECONDS;
    }
    return !"USD".equals(unit) || up;
  }

  static final double MIN_TIME_CHANGE_SECONDS = 0.001;

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
    rate(signal.id, "calls", referenceFlagged[index], referenceCalls, events, windowCalls, epochNanos, nowNanos);
  }

  /**
   * A bad outcome's rate in the window against the reference: a p-chart whose 3-sigma limit is widened
   * by the reference's own sampling error, and a 2x2 chi-square test at alpha (with the limit alone, a
   * reference that happened to see few events makes a steady stream cross it often).
   */
  private void rate(String signal, String what, long referenceEvents, long referenceN, long events, long n,
      long epochNanos, long nowNanos) {
    double centre = (referenceEvents + 0.5) / (referenceN + 1.0); // never 0: a clean reference still has limits
    double rate = events / (double) n;
    double limit = Statistics.pChartUpperLimit(centre, n, referenceN);
    double p = Statistics.chiSquareTail(Statistics.chiSquare(new long[] {referenceEvents, referenceN - referenceEvents},
        new long[] {events, n - events})[0], 1);
    String episode = key + '\u0000' + signal;
    if (rate > limit && events >= settings.minEvents && p < settings.alpha) {
      double sigma = Math.sqrt(centre * (1 - centre) * (1.0 / n + 1.0 / referenceN));
      Alert.Severity severity = (rate - centre) / sigma >= 6 ? Alert.Severity.CRITICAL : Alert.Severity.WARNING;
      book.breach(episode, new Alert(epochNanos, Alert.State.FIRING, severity, "rate", signal, "p_chart", rate,
          limit, p, referenceEvents / (double) referenceN, rate, "up", subject, referenceN, n,
          AlertBook.newEpisodeId(), runbook("rate"),
          String.format(Locale.ROOT, "%s of %s rose: %.1f%% of the last %d %s (%d), reference %.1f%%, 3-sigma limit %.1f%%, chi-square p=%.2g",
              signal, subject.describe(), 100 * rate, n, what, events, 100.0 * referenceEvents / referenceN,
              100 * limit, p)), nowNanos);
    } else {
      book.clear(episode, epochNanos, nowNanos, rate, rate);
    }
  }

  /** On the pipeline's tick: the call rate against the reference's, whether or not calls still come. */
  void tick(long epochNanos, long nowNanos) {
    double[] oe = volume.observedAndExpected(nowNanos);
    if (oe == null) {
      return;
    }
    double observed = oe[0];
    double expected = oe[1];
    double p = VolumeWatch.poissonLowerTail(observed, expected);
    String episode = key + "\u0000volume";
    double floor = (1 - VolumeWatch.MAX_DROP) * expected;
    if (observed < floor && p < settings.alpha) {
      book.breach(episode, new Alert(epochNanos, Alert.State.FIRING, observed == 0 ? Alert.Severity.CRITICAL
          : Alert.Severity.WARNING, "volume", "calls", "poisson", observed, floor, p, expected, observed, "down", subject,
          referenceCalls, (long) observed, AlertBook.newEpisodeId(), runbook("volume"),
          String.format(Locale.ROOT, "calls of %s fell: %.0f in the last window where the reference's rate gives %.0f"
              + " (down %.0f%%, Poisson p=%.2g)", subject.describe(), observed, expected,
              100 * (1 - observed / expected), p)), nowNanos);
    } else {
      book.clear(episode, epochNanos, nowNanos, observed, observed);
    }
  }

  /**
   * One piece of feedback on one of this subject's calls. Feedback has its own reference and window, a
   * fifth of the calls' (at least {@value #MIN_VALUES}): people rate few answers. A rejection rate over
   * its limit alerts as {@code rejection_rate}.
   */
  /** Ratings in the feedback's reference: a fifth of the calls', at least {@value #MIN_VALUES}. */
  private long feedbackReferenceSize() {
    return Math.max(MIN_VALUES, settings.referenceCalls / 5);
  }

  void feedback(boolean accepted, long epochNanos, long nowNanos) {
    if (feedbackReference < feedbackReferenceSize()) {
      feedbackReference++;
      feedbackReferenceRejected += accepted ? 0 : 1;
      return;
    }
    int slice = feedbackSlice;
    feedbackCounts[slice][0]++;
    feedbackCounts[slice][1] += accepted ? 0 : 1;
    long sliceSize = Math.max(MIN_VALUES, settings.windowCalls / 5) / Window.SLICES;
    if (feedbackCounts[slice][0] < Math.max(1, sliceSize)) {
      return;
    }
    long n = 0;
    long rejected = 0;
    for (long[] counts : feedbackCounts) {
      n += counts[0];
      rejected += counts[1];
    }
    if (n >= MIN_VALUES) {
      rate("rejection_rate", "ratings", feedbackReferenceRejected, feedbackReference, rejected, n, epochNanos, nowNanos);
    }
    feedbackSlice = (slice + 1) % Window.SLICES;
    feedbackCounts[feedbackSlice][0] = 0;
    feedbackCounts[feedbackSlice][1] = 0;
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

  private static String show(double v, String unit) {
    if ("s".equals(unit)) {
      return String.format(Locale.ROOT, "%.1f ms", v * 1000);
    }
    if ("USD".equals(unit)) {
      return String.format(Locale.ROOT, "$%.5f", v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.3g", v);
  }
}
