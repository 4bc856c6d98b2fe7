package io.tracelight.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.exchange.TraceIds;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.privacy.Redactor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordPolicyTest {
  private static final String FINTECH = "# credit scoring kept in full, labelling sampled at 1%, fraud flags always kept\n"
      + "path=/v1/score/credit* => 0\n"
      + "header.x-workload=labelling => 2 ratio=0.01\n"
      + "model=fraud-* => 1\n";
  private final List<AiCall> out = new ArrayList<>();
  private final RecordPolicy.Out collect = out::add;

  private static AiCall call(String model, String path, String traceId) {
    AiCall c = new AiCall();
    c.traceId = traceId == null ? TraceIds.newTraceId() : traceId;
    c.set(Keys.OPERATION, "chat");
    c.set(Keys.PROVIDER, "openai");
    c.set(Keys.REQUEST_MODEL, model);
    c.set(Keys.FINISH_REASONS, Collections.singletonList("stop"));
    c.requestPath = path;
    c.content().input("user", "hello, I am jane@example.com");
    return c;
  }

  private static RecordPolicy policy(String rules, int defaultLevel, Sampling sampling) {
    return new RecordPolicy(FidelityRules.parse(rules, defaultLevel), CaptureLevel.HASH,
        new ContentStage(Redactor.builtIn()), sampling);
  }

  private static Sampling sampling(double ratio, int floor, int reservoir, int buffer) {
    return new Sampling(ratio, floor, reservoir, 60_000_000_000L, 0, buffer);
  }

  @Test
  void theFintechRulesGiveEachWorkloadItsLevel() {
    RecordPolicy p = policy(FINTECH, 1, sampling(0.01, 0, 0, 0));
    assertEquals(List.of("x-workload"), p.headers());

    AiCall credit = call("gpt-4o", "/v1/score/credit/applicant", null);
    p.admit(credit, 0, collect);
    assertEquals(0L, credit.get(Keys.FIDELITY_LEVEL));
    assertEquals("redacted", credit.get(Keys.CONTENT_CAPTURE), "level 0 keeps the text, redacted");
    assertTrue(credit.get(Keys.INPUT_MESSAGES).contains("[EMAIL]"));

    AiCall fraud = call("fraud-v3", "/v1/chat/completions", null);
    p.admit(fraud, 0, collect);
    assertEquals(1L, fraud.get(Keys.FIDELITY_LEVEL));
    assertNull(fraud.get(Keys.INPUT_MESSAGES));
    assertNotNull(fraud.get(Keys.INPUT_HASH));

    int labelled = 0;
    for (int i = 0; i < 20_000; i++) {
      AiCall c = call("gpt-4o-mini", "/v1/chat/completions", null);
      c.requestHeader("X-Workload", "labelling");
      c.dropContent(); // no PII, so no tail rule keeps it
      int before = out.size();
      p.admit(c, 0, collect);
      labelled += out.size() - before;
    }
    // binomial(20000, 0.01): mean 200, sd 14; five sd either way
    assertTrue(labelled > 130 && labelled < 270, "labelling kept " + labelled + " of 20000 at 1%");
    assertEquals(2 + labelled, p.kept());
    assertEquals(20_000 - labelled, p.sampledOut());
  }

  @Test
  void theRatioIsDecidedByTraceIdSoATraceIsKeptWhole() {
    int kept = 0;
    for (int i = 0; i < 10_000; i++) {
      String trace = TraceIds.newTraceId();
      boolean first = RecordPolicy.inRatio(trace, 0.25);
      for (int k = 0; k < 3; k++) {
        assertEquals(first, RecordPolicy.inRatio(trace, 0.25));
      }
      kept += first ? 1 : 0;
    }
    assertTrue(kept > 2300 && kept < 2700, kept + " of 10000 at 25%"); // sd 43
  }

  @Test
  void aConversationIsKeptOrDroppedWholeByItsSessionId() {
    int kept = 0;
    for (int i = 0; i < 10_000; i++) {
      String session = "conversation-" + i;
      AiCall first = call("m", "/", null);
      first.set(Keys.SESSION_ID, session);
      boolean decision = RecordPolicy.inRatio(first, 0.25);
      for (int k = 0; k < 3; k++) {
        AiCall next = call("m", "/", null); // a new trace each turn
        next.set(Keys.SESSION_ID, session);
        assertEquals(decision, RecordPolicy.inRatio(next, 0.25));
      }
      kept += decision ? 1 : 0;
    }
    assertTrue(kept > 2300 && kept < 2700, kept + " of 10000 conversations at 25%");
  }

  @Test
  void aTailRuleLateInAConversationKeepsItsEarlierTurns() {
    RecordPolicy p = policy("", 2, sampling(0, 0, 0, 8));
    for (int i = 0; i < 2; i++) {
      AiCall turn = call("chat", "/", null);
      turn.set(Keys.SESSION_ID, "conv-9");
      turn.dropContent();
      p.admit(turn, 0, collect);
    }
    AiCall refused = call("chat", "/", null);
    refused.set(Keys.SESSION_ID, "conv-9");
    refused.dropContent();
    refused.set(Keys.REFUSAL, Boolean.TRUE);
    p.admit(refused, 0, collect);
    assertEquals(3, out.size());
    assertEquals("trace:refusal", out.get(0).get(Keys.SAMPLE_REASON));
  }

  @Test
  void tailRulesKeepWhatMattersAndSayWhy() {
    RecordPolicy p = policy("", 2, sampling(0, 0, 0, 0));
    AiCall failed = call("m", "/", null);
    failed.fail("500");
    p.admit(failed, 0, collect);
    AiCall pii = call("m", "/", null);
    p.admit(pii, 0, collect);
    AiCall refused = call("m", "/", null);
    refused.dropContent();
    refused.set(Keys.REFUSAL, Boolean.TRUE);
    p.admit(refused, 0, collect);
    AiCall plain = call("m", "/", null);
    plain.dropContent();
    p.admit(plain, 0, collect);
    assertEquals(3, out.size());
    assertEquals("error", out.get(0).get(Keys.SAMPLE_REASON));
    assertEquals("pii", out.get(1).get(Keys.SAMPLE_REASON));
    assertEquals(List.of("email:1"), out.get(1).get(Keys.PII_INPUT));
    assertEquals("refusal", out.get(2).get(Keys.SAMPLE_REASON));
  }

  @Test
  void aCallThatCostMoreThanTheThresholdIsKept() {
    RecordPolicy p = policy("", 2, new Sampling(0, 0, 0, 60_000_000_000L, 0, 0, 0.50));
    AiCall cheap = call("m", "/", null);
    cheap.dropContent();
    cheap.set(Keys.COST_USD, 0.49);
    p.admit(cheap, 0, collect);
    AiCall dear = call("m", "/", null);
    dear.dropContent();
    dear.set(Keys.COST_USD, 2.75);
    p.admit(dear, 0, collect);
    assertEquals(1, out.size());
    assertEquals("cost", out.get(0).get(Keys.SAMPLE_REASON));
  }

  @Test
  void aFloorKeepsTheFirstOfEachModelAndFinishReasonPerMinute() {
    RecordPolicy p = policy("", 2, sampling(0, 2, 0, 0));
    for (int i = 0; i < 5; i++) {
      AiCall a = call("a", "/", null);
      a.dropContent();
      p.admit(a, 1_000, collect);
      AiCall b = call("b", "/", null);
      b.dropContent();
      p.admit(b, 1_000, collect);
    }
    assertEquals(4, out.size());
    AiCall later = call("a", "/", null);
    later.dropContent();
    p.admit(later, 61_000_000_000L, collect);
    assertEquals(5, out.size(), "a new minute, a new floor");
    assertEquals("floor", out.get(4).get(Keys.SAMPLE_REASON));
  }

  @Test
  void aTailRuleLateInATraceKeepsItsEarlierCalls() {
    RecordPolicy p = policy("", 2, sampling(0, 0, 0, 8));
    String trace = TraceIds.newTraceId();
    for (int i = 0; i < 3; i++) {
      AiCall step = call("agent-step", "/", trace);
      step.dropContent();
      p.admit(step, 0, collect);
    }
    AiCall other = call("agent-step", "/", null);
    other.dropContent();
    p.admit(other, 0, collect);
    assertTrue(out.isEmpty());
    AiCall failing = call("agent-step", "/", trace);
    failing.dropContent();
    failing.fail("timeout");
    p.admit(failing, 0, collect);
    assertEquals(4, out.size());
    for (int i = 0; i < 3; i++) {
      assertEquals("trace:error", out.get(i).get(Keys.SAMPLE_REASON));
      assertEquals(trace, out.get(i).traceId);
    }
    assertEquals("error", out.get(3).get(Keys.SAMPLE_REASON));
    p.close(collect);
    assertEquals(1, p.sampledOut(), "the other trace's call, dropped at exit");
  }

  @Test
  void theReservoirChoosesUniformlyAndWritesWhenTheIntervalEnds() {
    int[] chosen = new int[100];
    for (int run = 0; run < 2000; run++) {
      out.clear();
      RecordPolicy p = policy("", 2, sampling(0, 0, 5, 0));
      for (int i = 0; i < 100; i++) {
        AiCall c = call("m", "/", null);
        c.dropContent();
        c.durationNanos = i; // its position
        p.admit(c, 1, collect);
      }
      assertTrue(out.isEmpty(), "nothing before the interval ends");
      p.tick(System.nanoTime() + 61_000_000_000L, collect);
      assertEquals(5, out.size());
      for (AiCall c : out) {
        assertEquals("reservoir", c.get(Keys.SAMPLE_REASON));
        chosen[(int) c.durationNanos]++;
      }
    }
    for (int i = 0; i < 100; i++) {
      // each position expected 2000 * 5 / 100 = 100 times, sd ~9.7
      assertTrue(chosen[i] > 55 && chosen[i] < 145, "position " + i + " chosen " + chosen[i] + " times");
    }
  }

  @Test
  void levelThreeKeepsMetricsOnly() {
    RecordPolicy p = policy("model=embed-* => 3", 1, Sampling.defaults());
    p.admit(call("embed-small", "/", null), 0, collect);
    assertTrue(out.isEmpty());
    assertEquals(1, p.metricsOnly());
  }

  @Test
  void badRulesAreLeftOutAndSecretHeadersNeverRead() {
    FidelityRules r = FidelityRules.parse("model=a => 7; header.authorization=Bearer* => 0; colour=red => 1; "
        + "host=*.internal => 2 ratio=0.5", 1);
    assertEquals(1, r.size());
    assertTrue(r.headers().isEmpty());
    assertEquals(1, FidelityRules.parse("# credit; labelling; fraud\nmodel=x => 1 # the rest; ignored\n\n", 1).size(),
        "a comment runs to the end of its line, semicolons and all");
    assertTrue(io.tracelight.core.config.Glob.matches("*.internal", "scoring.internal"));
    assertTrue(io.tracelight.core.config.Glob.matches("gpt-4o*", "gpt-4o-mini"));
    assertTrue(!io.tracelight.core.config.Glob.matches("gpt-4o*", "gpt-4"));
  }
}
