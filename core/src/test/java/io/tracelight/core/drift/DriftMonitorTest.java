package io.tracelight.core.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.alert.Alert;
import io.tracelight.core.alert.AlertBook;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DriftMonitorTest {
  private static final DriftSettings SETTINGS = DriftSettings.defaults();

  /** A model's call: log-normal latency, output tokens around a mean, a refusal now and then. */
  static AiCall call(SplittableRandom random, long index, double latencyMedianSeconds, double tokens,
      double refusalRate, String system) {
    AiCall call = new AiCall();
    call.startEpochNanos = 1_700_000_000_000_000_000L + index * 50_000_000L;
    call.durationNanos = (long) (latencyMedianSeconds * Math.exp(0.3 * gaussian(random)) * 1e9);
    call.set(Keys.PROVIDER, "openai");
    call.set(Keys.REQUEST_MODEL, "gpt-test");
    call.set(Keys.RESPONSE_MODEL, "gpt-test-2025");
    call.set(Keys.OPERATION, "chat");
    if (system != null) {
      call.set(Keys.SYSTEM_HASH, system);
    }
    boolean refusal = random.nextDouble() < refusalRate;
    long out = refusal ? 12 : Math.max(1, Math.round(tokens + Math.sqrt(tokens) * 2 * gaussian(random)));
    call.set(Keys.OUTPUT_TOKENS, out);
    call.set(Keys.OUTPUT_CHARS, out * 4);
    call.set(Keys.INPUT_TOKENS, 100L);
    call.set(Keys.FINISH_REASONS, Collections.singletonList(random.nextDouble() < 0.05 ? "length" : "stop"));
    if (refusal) {
      call.set(Keys.REFUSAL, Boolean.TRUE);
    }
    if (random.nextDouble() < 0.01) {
      call.fail("500");
    }
    return call;
  }

  private static double gaussian(SplittableRandom random) {
    double u = Math.max(1e-12, random.nextDouble());
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble());
  }

  private static List<Alert> fired(AlertBook book) {
    List<Alert> list = new ArrayList<>();
    for (Alert a : book.events()) {
      if (a.state == Alert.State.FIRING) {
        list.add(a);
      }
    }
    return list;
  }

  @Test
  void aSteadyStreamRaisesFewFalseAlarmsOverManySeeds() {
    steadyRuns(SETTINGS, 5000);
    steadyRuns(new DriftSettings(200, 200, 1e-4, 0.2, 0.01, 0.25, 5, 100, 10, ""), 2000); // the smoke test's sizes
  }

  private static void steadyRuns(DriftSettings settings, int calls) {
    int runs = 200;
    int runsWithAlarm = 0;
    long alarms = 0;
    java.util.Map<String, Integer> bySignal = new java.util.TreeMap<>();
    for (int seed = 1; seed <= runs; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      AlertBook book = new AlertBook(0);
      DriftMonitor monitor = new DriftMonitor(settings, book);
      for (int i = 0; i < calls; i++) {
        monitor.observe(call(random, i, 0.8, 200, 0.02, "sys"), i);
      }
      int n = fired(book).size();
      for (Alert a : fired(book)) {
        bySignal.merge(a.signal, 1, Integer::sum);
      }
      alarms += n;
      runsWithAlarm += n > 0 ? 1 : 0;
    }
    double rate = runsWithAlarm / (double) runs;
    long checks = (calls - settings.referenceCalls) / (settings.windowCalls / Window.SLICES);
    System.out.printf("steady stream, reference %d, window %d: %d seeds of %d calls (%d checks of %d signals each):"
        + " %d alarms %s, %.1f%% of runs with one%n", settings.referenceCalls, settings.windowCalls, runs, calls,
        checks, Signal.values().length, alarms, bySignal, 100 * rate);
    assertTrue(rate <= 0.02, "false alarms in " + runsWithAlarm + " of " + runs + " steady runs: " + bySignal);
  }

  @Test
  void aModelThatStartsRefusingGrowsLongerAndSlowsIsCaughtWithinOneWindow() {
    int shiftAt = 1000;
    int[] latest = new int[3]; // calls after the shift at which refusal_rate, output_tokens, latency first fired
    for (int seed = 1; seed <= 20; seed++) {
      SplittableRandom random = new SplittableRandom(seed);
      AlertBook book = new AlertBook(0);
      int[] now = new int[1];
      List<String> signals = new ArrayList<>();
      book.sink(a -> {
        if (a.state == Alert.State.FIRING) {
          assertTrue(now[0] >= shiftAt, "nothing fires before the shift: " + a.message);
          int at = signals.indexOf(a.signal) < 0 ? now[0] - shiftAt : -1;
          signals.add(a.signal);
          int which = java.util.Arrays.asList("refusal_rate", "output_tokens", "latency").indexOf(a.signal);
          if (which >= 0 && at >= 0) {
            latest[which] = Math.max(latest[which], at);
          }
        }
      });
      DriftMonitor monitor = new DriftMonitor(SETTINGS, book);
      for (int i = 0; i < shiftAt + SETTINGS.windowCalls; i++) {
        now[0] = i;
        boolean shifted = i >= shiftAt;
        monitor.observe(call(random, i, shifted ? 2.4 : 0.8, shifted ? 600 : 200, shifted ? 0.30 : 0.02, "sys"), i);
      }
      assertTrue(signals.contains("refusal_rate"), "seed " + seed + ": " + signals);
      assertTrue(signals.contains("output_tokens"), "seed " + seed + ": " + signals);
      assertTrue(signals.contains("latency"), "seed " + seed + ": " + signals);
    }
    System.out.printf("shift caught, at most this many calls after it over 20 seeds: refusal_rate %d, output_tokens %d,"
        + " latency %d (window %d)%n", latest[0], latest[1], latest[2], SETTINGS.windowCalls);
  }

  private static Signal signal(String id) {
    for (Signal s : Signal.values()) {
      if (s.id.equals(id)) {
        return s;
      }
    }
    throw new AssertionError(id);
  }

  @Test
  void theAlertSaysWhatMovedFromWhereToWhere() {
    SplittableRandom random = new SplittableRandom(7);
    AlertBook book = new AlertBook(0);
    DriftMonitor monitor = new DriftMonitor(SETTINGS, book);
    for (int i = 0; i < 1500; i++) {
      monitor.observe(call(random, i, 0.8, 200, 0.0, "sys"), i);
    }
    for (int i = 1500; i < 2000; i++) {
      monitor.observe(call(random, i, 0.8, 600, 0.0, "sys"), i);
    }
    Alert tokens = null;
    for (Alert a : fired(book)) {
      if (a.signal.equals("output_tokens")) {
        tokens = a;
      }
    }
    assertNotNull(tokens, String.valueOf(book.events()));
    assertEquals("drift", tokens.rule);
    assertEquals("psi", tokens.statistic);
    assertEquals(Alert.Severity.CRITICAL, tokens.severity); // PSI far beyond 5 x 0.2
    assertEquals(200, tokens.baseline, 5); // the reference's median
    assertTrue(tokens.current > 300 && tokens.current < 700, "median now " + tokens.current);
    assertTrue(tokens.value >= 0.2 && tokens.pValue < 1e-4);
    assertEquals("up", tokens.trend);
    assertEquals("openai", tokens.subject.provider);
    assertEquals("gpt-test", tokens.subject.model);
    assertEquals("sys", tokens.subject.systemHash);
    assertEquals(500, tokens.referenceCalls);
    assertEquals(500, tokens.windowCalls);
    assertTrue(tokens.message.startsWith("output_tokens of openai gpt-test drifted up: median 19"), tokens.message);
  }

  @Test
  void aNewSystemPromptIsAnnouncedAndStartsItsOwnReference() {
    SplittableRandom random = new SplittableRandom(3);
    AlertBook book = new AlertBook(0);
    DriftMonitor monitor = new DriftMonitor(SETTINGS, book);
    for (int i = 0; i < 1000; i++) {
      monitor.observe(call(random, i, 0.8, 200, 0.0, "v1"), i);
    }
    for (int i = 1000; i < 2500; i++) { // the new prompt makes answers three times longer: a deploy, not drift
      monitor.observe(call(random, i, 0.8, 600, 0.0, "v2"), i);
    }
    assertEquals(1, book.announced());
    Alert announced = book.events().get(0);
    assertEquals(Alert.State.ANNOUNCED, announced.state);
    assertEquals("new_system_prompt", announced.rule);
    assertEquals("v2", announced.subject.systemHash);
    assertEquals(0, book.fired(), String.valueOf(book.events()));
    assertEquals(2, monitor.subjects());
  }

  @Test
  void aNewToolsHashAfterTheReferenceIsAnnouncedAndRestartsIt() {
    SplittableRandom random = new SplittableRandom(4);
    AlertBook book = new AlertBook(0);
    DriftMonitor monitor = new DriftMonitor(SETTINGS, book);
    for (int i = 0; i < 800; i++) {
      AiCall c = call(random, i, 0.8, 200, 0.0, "s");
      c.set(Keys.TOOLS_HASH, "tools-a");
      monitor.observe(c, i);
    }
    for (int i = 800; i < 2000; i++) {
      AiCall c = call(random, i, 0.8, 600, 0.0, "s");
      c.set(Keys.TOOLS_HASH, "tools-b");
      monitor.observe(c, i);
    }
    assertEquals(1, book.announced(), String.valueOf(book.events()));
    assertEquals("new_tools", book.events().get(0).rule);
    assertEquals(0, book.fired(), String.valueOf(book.events()));
  }

  @Test
  void oneCallFarBeyondTheReferencesCostFiresAtOnce() {
    SplittableRandom random = new SplittableRandom(5);
    AlertBook book = new AlertBook(0);
    DriftMonitor monitor = new DriftMonitor(SETTINGS, book);
    for (int i = 0; i < 600; i++) {
      AiCall c = call(random, i, 0.8, 200, 0.0, "s");
      c.set(Keys.COST_USD, 0.001 + random.nextDouble() * 0.001);
      monitor.observe(c, i);
    }
    AiCall runaway = call(random, 600, 0.8, 200, 0.0, "s");
    runaway.set(Keys.COST_USD, 0.5);
    monitor.observe(runaway, 600);
    List<Alert> fired = fired(book);
    assertEquals(1, fired.size(), String.valueOf(book.events()));
    assertEquals("cost_runaway", fired.get(0).rule);
    assertEquals(Alert.Severity.CRITICAL, fired.get(0).severity);
    assertEquals(0.5, fired.get(0).current, 0);
    assertTrue(fired.get(0).baseline <= 0.002 && fired.get(0).baseline > 0.0019);
  }

  @Test
  void subjectsAreBoundedAndTheRestCounted() {
    AlertBook book = new AlertBook(0);
    DriftMonitor monitor = new DriftMonitor(new DriftSettings(500, 500, 1e-4, 0.2, 0.1, 0.25, 5, 10, 10, ""), book);
    SplittableRandom random = new SplittableRandom(6);
    for (int i = 0; i < 1000; i++) {
      AiCall c = call(random, i, 0.8, 200, 0.0, null);
      c.set(Keys.REQUEST_MODEL, "model-" + i);
      monitor.observe(c, i);
    }
    assertEquals(10, monitor.subjects());
    assertEquals(990, monitor.unwatched());
  }

  @Test
  void aDeploymentLabelKeepsCanaryApartFromBaseline() {
    // The canary starts after the stable reference is made, takes three calls in four (so that merged
    // it moves the median) and answers three times longer: merged into one subject it is drift; apart,
    // each label is compared with its own reference.
    for (boolean labelled : new boolean[] {true, false}) {
      AlertBook book = new AlertBook(0);
      DriftMonitor monitor = new DriftMonitor(SETTINGS, book);
      SplittableRandom random = new SplittableRandom(8);
      DeploymentLabel label = new DeploymentLabel("stable", "x-canary");
      for (int i = 0; i < 4000; i++) {
        boolean canary = i >= 600 && i % 4 != 0;
        AiCall c = call(random, i, 0.8, canary ? 600 : 200, 0.0, "s");
        label.apply(c, canary && labelled ? "canary" : null);
        monitor.observe(c, i);
      }
      if (labelled) {
        assertEquals(2, monitor.subjects());
        assertEquals(0, book.fired(), "each label against its own reference: " + book.events());
      } else {
        assertEquals(1, monitor.subjects());
        assertTrue(book.fired() > 0, "unlabelled, the canary's answers are drift of the one subject");
      }
    }
  }

  @Test
  void aChangedFinishReasonMixFiresACategoricalAlert() {
    AlertBook book = new AlertBook(0);
    DriftMonitor monitor = new DriftMonitor(SETTINGS, book);
    SplittableRandom random = new SplittableRandom(9);
    for (int i = 0; i < 1500; i++) {
      AiCall c = call(random, i, 0.8, 200, 0.0, "s");
      if (i >= 1000 && i % 3 == 0) {
        c.set(Keys.FINISH_REASONS, Collections.singletonList("content_filter"));
      }
      monitor.observe(c, i);
    }
    Alert mix = null;
    for (Alert a : fired(book)) {
      if (a.signal.equals("finish_reason")) {
        mix = a;
      }
    }
    assertNotNull(mix, String.valueOf(book.events()));
    assertEquals("jsd", mix.statistic);
    assertEquals(0.0, mix.baseline, 0, "no content_filter in the reference");
    assertTrue(mix.current > 0.03 && mix.current < 0.4, "its share of the window when it fired: " + mix.current);
    assertTrue(mix.message.contains("'content_filter'"), mix.message);
  }

  @Test
  void aRunawayEpisodeResolvesAfterTwoCleanChecksAndARestartResolvesOpenEpisodes() {
    AlertBook book = new AlertBook(0);
    DriftMonitor monitor = new DriftMonitor(SETTINGS, book);
    SplittableRandom random = new SplittableRandom(10);
    for (int i = 0; i < 700; i++) {
      AiCall c = call(random, i, 0.8, 200, 0.0, "s");
      c.set(Keys.COST_USD, i == 599 ? 1.0 : 0.001); // the runaway fills a slice: that check must not clear it
      c.set(Keys.SHAPE_HASH, "shape-a");
      monitor.observe(c, i);
    }
    assertEquals(1, book.fired());
    assertEquals(0, book.resolved(), "one clean check after the slice that held it");
    for (int i = 700; i < 800; i++) {
      AiCall c = call(random, i, 0.8, 200, 0.0, "s");
      c.set(Keys.COST_USD, 0.001);
      c.set(Keys.SHAPE_HASH, "shape-a");
      monitor.observe(c, i);
    }
    assertEquals(1, book.resolved(), String.valueOf(book.events()));

    for (int i = 800; i < 900; i++) { // a second runaway, then a deploy: the open episode ends with the reference
      AiCall c = call(random, i, 0.8, 200, 0.0, "s");
      c.set(Keys.COST_USD, i == 800 ? 1.0 : 0.001);
      c.set(Keys.SHAPE_HASH, i < 850 ? "shape-a" : "shape-b");
      monitor.observe(c, i);
    }
    assertEquals(2, book.fired());
    assertEquals(2, book.resolved());
    Alert last = book.events().get(book.events().size() - 1);
    assertEquals(Alert.State.ANNOUNCED, last.state);
    assertEquals("new_shape", last.rule);
    Alert ended = book.events().get(book.events().size() - 2);
    assertEquals(Alert.State.RESOLVED, ended.state);
    assertTrue(ended.message.contains("reference restarts after a new shape hash"), ended.message);
  }

  @Test
  void aShapeSeenBeforeARestartNeverRestartsItAgain() {
    AlertBook book = new AlertBook(0);
    DriftMonitor monitor = new DriftMonitor(SETTINGS, book);
    SplittableRandom random = new SplittableRandom(11);
    for (int i = 0; i < 5000; i++) { // shape b is new once; a and b then alternate
      AiCall c = call(random, i, 0.8, 200, 0.0, "s");
      c.set(Keys.SHAPE_HASH, i < 600 || i % 2 == 0 ? "shape-a" : "shape-b");
      monitor.observe(c, i);
    }
    assertEquals(1, book.announced(), String.valueOf(book.events()));
  }

  @Test
  void aPromptMadePerRequestFillsEightSubjectsThenOne() {
    AlertBook book = new AlertBook(0);
    DriftMonitor monitor = new DriftMonitor(SETTINGS, book);
    SplittableRandom random = new SplittableRandom(12);
    for (int i = 0; i < 300; i++) {
      monitor.observe(call(random, i, 0.8, 200, 0.0, "prompt-" + i), i);
    }
    assertEquals(DriftMonitor.MAX_PROMPTS_PER_MODEL + 1, monitor.subjects());
    assertEquals(0, monitor.unwatched());
    Alert varied = book.events().get(book.events().size() - 1);
    assertEquals("varied_system_prompts", varied.rule);
    assertEquals(null, varied.subject.systemHash);
  }

  @Test
  void withoutHashesTheSystemPromptHashStaysOutOfAlerts() {
    AlertBook book = new AlertBook(0);
    DriftMonitor monitor = new DriftMonitor(SETTINGS, book, false);
    SplittableRandom random = new SplittableRandom(13);
    for (int i = 0; i < 200; i++) {
      monitor.observe(call(random, i, 0.8, 200, 0.0, i < 100 ? "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" : "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"), i);
    }
    Alert announced = book.events().get(0);
    assertEquals("new_system_prompt", announced.rule);
    assertEquals(null, announced.subject.systemHash);
    assertTrue(!announced.message.contains("bbbb"), announced.message);
  }
}
