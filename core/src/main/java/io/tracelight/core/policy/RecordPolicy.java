package io.tracelight.core.policy;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Decides, after metrics have counted a call, whether it gets a record and how much text that
 * record keeps: the fidelity level of the first matching rule, then for level 2 the samplers (tail
 * rules, a per-minute floor, the ratio by conversation or trace id, a reservoir), then the content
 * stage. Every record it passes on says why ({@code ai.sample.reason}). Calls level 2 did not keep
 * wait in a bounded buffer (the last {@link Sampling#traceBuffer}) so that a tail rule firing later
 * in the same conversation or trace keeps its earlier calls too; older ones are gone for good.
 * Pipeline thread only; the shutdown hook reads the counts after that thread stopped.
 */
public final class RecordPolicy {
  /** Where kept records go: every exporter, in order. */
  public interface Out {
    void export(AiCall call);
  }

  private final FidelityRules rules;
  private final CaptureLevel capture;
  private final ContentStage content;
  private final Sampling sampling;
  private final SplittableRandom random = new SplittableRandom();

  private final Map<String, int[]> floorCounts = new HashMap<>();
  private long floorMinuteStart;
  private final List<AiCall> reservoir = new ArrayList<>();
  private long reservoirSeen;
  private long reservoirStart;
  private final ArrayDeque<AiCall> held = new ArrayDeque<>();

  private long seen;
  private long kept;
  private long metricsOnly;
  private long sampledOut;

  public RecordPolicy(FidelityRules rules, CaptureLevel capture, ContentStage content, Sampling sampling) {
    this.rules = rules;
    this.capture = capture;
    this.content = content;
    this.sampling = sampling;
    this.floorMinuteStart = System.nanoTime();
    this.reservoirStart = floorMinuteStart;
  }

  /** Every call at {@code capture}, no rules: today's behaviour. */
  public static RecordPolicy keepAll(CaptureLevel capture, ContentStage content) {
    return new RecordPolicy(FidelityRules.none(FidelityRules.ALL), capture, content, Sampling.defaults());
  }

  /** The request headers the rules read, to be copied from AI requests. */
  public List<String> headers() {
    return rules.headers();
  }

  /**
   * Models whose calls all get a record (level 1, or their own level if lower) until a time: an
   * alert's first response, so the evidence is there when a person looks. Key: provider and model.
   */
  private final java.util.HashMap<String, Long> raised = new java.util.HashMap<>();

  /** Raises a model's calls to level 1 until {@code untilNanos}; the pipeline thread. */
  public void raise(String provider, String model, long untilNanos) {
    raised.put(provider + '\u0000' + model, untilNanos);
  }

  /** Whether the call's model is raised now (forgetting raises that ran out). */
  private boolean raisedNow(AiCall call, long nowNanos) {
    if (raised.isEmpty()) {
      return false;
    }
    boolean prediction = Keys.isPrediction(call);
    String model = prediction ? call.get(Keys.MODEL_NAME) : call.get(Keys.REQUEST_MODEL);
    if (model == null && !prediction) {
      model = call.get(Keys.RESPONSE_MODEL);
    }
    String key = (prediction ? call.get(Keys.MODEL_RUNTIME) : call.get(Keys.PROVIDER)) + "\u0000"
        + (model == null ? "unknown" : model);
    Long until = raised.get(key);
    if (until == null) {
      return false;
    }
    if (nowNanos - until >= 0) {
      raised.remove(key);
      return false;
    }
    return true;
  }

  public void admit(AiCall call, long nowNanos, Out out) {
    seen++;
    FidelityRules.Rule rule = rules.match(call);
    int level = rule == null ? rules.defaultLevel() : rule.level;
    boolean raisedByAlert = level > FidelityRules.ALL && raisedNow(call, nowNanos);
    if (raisedByAlert) {
      level = FidelityRules.ALL;
    }
    if (level == FidelityRules.METRICS_ONLY) {
      metricsOnly++;
      call.dropContent();
      return;
    }
    CaptureLevel text = level == FidelityRules.FULL ? (capture == CaptureLevel.FULL ? CaptureLevel.FULL : CaptureLevel.REDACTED)
        : capture;
    content.apply(call, text);
    call.set(Keys.FIDELITY_LEVEL, (long) level);
    if (level != FidelityRules.SAMPLED) {
      keep(call, raisedByAlert ? "alert" : "all", out);
      return;
    }
    String reason = tailReason(call);
    if (reason != null) {
      releaseTrace(call, "trace:" + reason, out);
    } else if (floor(call, nowNanos)) {
      reason = "floor";
    } else if (inRatio(call, rule != null && !Double.isNaN(rule.ratio) ? rule.ratio : sampling.ratio)) {
      reason = "ratio";
    }
    if (reason != null) {
      keep(call, reason, out);
    } else if (sampling.reservoirSize > 0) {
      offerToReservoir(call);
    } else {
      hold(call);
    }
    tick(nowNanos, out);
  }

  private void keep(AiCall call, String reason, Out out) {
    call.set(Keys.SAMPLE_REASON, reason);
    kept++;
    content.commit(call);
    out.export(call);
  }

  /** The tail rules: calls worth keeping whatever the ratio. */
  private String tailReason(AiCall call) {
    if (call.error) {
      return "error";
    }
    if (sampling.slowNanos > 0 && call.durationNanos > sampling.slowNanos) {
      return "slow";
    }
    Double cost = call.get(Keys.COST_USD);
    if (sampling.costUsd > 0 && cost != null && cost > sampling.costUsd) {
      return "cost";
    }
    if (call.has(Keys.BLOCK_REASON) || call.has(Keys.SAFETY_FLAGS)) {
      return "safety"; // before refusal: a safety block is also a refusal, and the more telling reason
    }
    if (Boolean.TRUE.equals(call.get(Keys.REFUSAL))) {
      return "refusal";
    }
    if (call.has(Keys.PII_INPUT) || call.has(Keys.PII_OUTPUT)) {
      return "pii";
    }
    return null;
  }

  /** The first {@code floorPerMinute} calls of each model and first finish reason this minute. */
  private boolean floor(AiCall call, long now) {
    if (sampling.floorPerMinute <= 0) {
      return false;
    }
    if (floorCounts.isEmpty() || now - floorMinuteStart >= 60_000_000_000L) {
      floorCounts.clear();
      floorMinuteStart = now;
    }
    String model = call.get(Keys.REQUEST_MODEL);
    if (model == null) {
      model = call.get(Keys.MODEL_NAME);
    }
    List<String> reasons = call.get(Keys.FINISH_REASONS);
    String stratum = model + "\u0000" + (reasons == null || reasons.isEmpty() ? "" : reasons.get(0));
    int[] count = floorCounts.get(stratum);
    if (count == null) {
      if (floorCounts.size() >= 1024) {
        return false; // a flood of model names gets no floor, not unbounded memory
      }
      count = new int[1];
      floorCounts.put(stratum, count);
    }
    return count[0]++ < sampling.floorPerMinute;
  }

  /**
   * Decided by the call's conversation when it has one ({@code session.id}), else by its trace, so
   * a conversation or a trace is kept or dropped whole.
   */
  static boolean inRatio(AiCall call, double ratio) {
    String session = call.get(Keys.SESSION_ID);
    if (session == null) {
      return inRatio(call.traceId, ratio);
    }
    if (ratio >= 1) {
      return true;
    }
    // FNV-1a over the id, then SplitMix64's finaliser: uniform 64 bits from any string
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < session.length(); i++) {
      h = (h ^ session.charAt(i)) * 0x100000001b3L;
    }
    h = (h ^ (h >>> 30)) * 0xbf58476d1ce4e5b9L;
    h = (h ^ (h >>> 27)) * 0x94d049bb133111ebL;
    h ^= h >>> 31;
    return (h >>> 1) < (long) (ratio * Long.MAX_VALUE);
  }

  /** What a call is kept whole with: its conversation when it has one, else its trace. */
  private static String wholeKey(AiCall call) {
    String session = call.get(Keys.SESSION_ID);
    return session != null ? "s:" + session : "t:" + call.traceId;
  }

  /**
   * Deterministic by trace id, as OpenTelemetry's ratio sampler: the id's last 16 hex digits as a
   * number below {@code ratio} of the range. Every call of a trace gets the same answer.
   */
  static boolean inRatio(String traceId, double ratio) {
    if (ratio >= 1) {
      return true;
    }
    if (ratio <= 0 || traceId == null || traceId.length() < 16) {
      return false;
    }
    long low = Long.parseUnsignedLong(traceId.substring(traceId.length() - 16), 16) >>> 1;
    return low < (long) (ratio * Long.MAX_VALUE);
  }

  /** Algorithm R over the interval's unkept calls; whatever it displaces waits in the trace buffer. */
  private void offerToReservoir(AiCall call) {
    reservoirSeen++;
    if (reservoir.size() < sampling.reservoirSize) {
      reservoir.add(call);
      return;
    }
    long j = random.nextLong(reservoirSeen);
    if (j < sampling.reservoirSize) {
      hold(reservoir.set((int) j, call));
    } else {
      hold(call);
    }
  }

  private void hold(AiCall call) {
    if (sampling.traceBuffer <= 0) {
      sampledOut++;
      return;
    }
    if (held.size() >= sampling.traceBuffer) {
      held.pollFirst();
      sampledOut++;
    }
    held.addLast(call);
  }

  /** Keeps the held calls of the conversation or trace a tail rule just kept a call of. */
  private void releaseTrace(AiCall kept, String reason, Out out) {
    if (held.isEmpty() && reservoir.isEmpty()) {
      return;
    }
    String key = wholeKey(kept);
    Iterator<AiCall> it = held.iterator();
    while (it.hasNext()) {
      AiCall c = it.next();
      if (key.equals(wholeKey(c))) {
        it.remove();
        keep(c, reason, out);
      }
    }
    Iterator<AiCall> r = reservoir.iterator();
    while (r.hasNext()) {
      AiCall c = r.next();
      if (key.equals(wholeKey(c))) {
        r.remove();
        keep(c, reason, out);
      }
    }
  }

  /** Ends a reservoir interval that is over: its chosen calls are exported. Called when idle too. */
  public void tick(long nowNanos, Out out) {
    content.flush();
    if (sampling.reservoirSize > 0 && nowNanos - reservoirStart >= sampling.reservoirIntervalNanos) {
      emitReservoir(out);
      reservoirStart = nowNanos;
    }
  }

  private void emitReservoir(Out out) {
    for (AiCall c : reservoir) {
      keep(c, "reservoir", out);
    }
    reservoir.clear();
    reservoirSeen = 0;
  }

  /** At exit: the current interval's reservoir is exported; held calls are dropped and counted. */
  public void close(Out out) {
    emitReservoir(out);
    sampledOut += held.size();
    held.clear();
    content.close();
  }

  public long seen() {
    return seen;
  }

  public long kept() {
    return kept;
  }

  public long metricsOnly() {
    return metricsOnly;
  }

  public long sampledOut() {
    return sampledOut;
  }

  /** True when some call may go without a record (a rule or the default level samples or drops). */
  public boolean drops() {
    return rules.size() > 0 || rules.defaultLevel() >= FidelityRules.SAMPLED;
  }
}
