package io.tracelight.core.feedback;

import io.tracelight.core.drift.DriftMonitor;
import io.tracelight.core.drift.ModelDrift;
import io.tracelight.core.export.EventFile;
import io.tracelight.core.metrics.ModelStats;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;

/**
 * Joins the application's feedback and outcomes to calls by {@code ai.call.id}. The last
 * {@value #RECENT} calls are remembered, oldest forgotten first (a linked hash map keyed by the id's
 * low 64 random bits, the high ones checked), about 400 KB at most whatever the traffic, so feedback
 * on a recent call counts towards its model's acceptance rate and rejection-rate alerts.
 * Every event goes to {@code feedback.jsonl}, with the call's model when it was known; feedback on an
 * older call is written with its id only, for a later join with {@code calls.jsonl}.
 *
 * <p>Threads: the pipeline thread only; the counts from any thread.
 */
public final class FeedbackStage {
  static final int RECENT = 4096;
  /** What is remembered of a call. */
  private static final class Recent {
    final long high;
    final ModelStats stats;
    final ModelDrift subject;
    final String deployment;

    Recent(long high, ModelStats stats, ModelDrift subject, String deployment) {
      this.high = high;
      this.stats = stats;
      this.subject = subject;
      this.deployment = deployment;
    }
  }

  private final java.util.LinkedHashMap<Long, Recent> recent = new java.util.LinkedHashMap<Long, Recent>(RECENT * 2) {
    @Override
    protected boolean removeEldestEntry(java.util.Map.Entry<Long, Recent> eldest) {
      return size() > RECENT;
    }
  };
  private final EventFile file;
  private final DriftMonitor drift;
  private volatile long received;
  private volatile long unmatched;

  /** @param file where events are written, or null; @param drift the drift stage, or null */
  public FeedbackStage(EventFile file, DriftMonitor drift) {
    this.file = file;
    this.drift = drift;
  }

  /** Remembers a call that got its metrics (and its drift subject, or null). */
  public void remember(AiCall call, ModelStats model, ModelDrift subject) {
    if (model != null && (call.callIdHigh != 0 || call.callIdLow != 0)) {
      recent.put(call.callIdLow, new Recent(call.callIdHigh, model, subject, call.get(Keys.DEPLOYMENT)));
    }
  }

  public void accept(FeedbackEvent event, long nowNanos) {
    received++;
    Recent call = recent.get(hex(event.callId, 16));
    if (call != null && call.high == hex(event.callId, 0)) {
      ModelStats model = call.stats;
      event.provider = model.provider;
      event.model = model.model;
      event.version = model.version;
      event.operation = model.operation;
      event.deployment = call.deployment;
      if (event.kind == FeedbackEvent.Kind.FEEDBACK) {
        model.feedback(event.accepted());
        if (drift != null && call.subject != null) {
          drift.feedback(call.subject, event.accepted(), event.epochNanos, nowNanos);
        }
      } else {
        model.outcome();
      }
    } else {
      unmatched++;
    }
    if (file != null) {
      file.write(event);
    }
  }

  /** Feedback and outcomes received. */
  public long received() {
    return received;
  }

  /** Feedback and outcomes for calls not among the last {@value #RECENT} (written, not counted per model). */
  public long unmatched() {
    return unmatched;
  }

  public EventFile file() {
    return file;
  }

  /** Sixteen hex digits of a checked call id from {@code at}. */
  private static long hex(String id, int at) {
    long v = 0;
    for (int i = at; i < at + 16; i++) {
      v = (v << 4) | Character.digit(id.charAt(i), 16);
    }
    return v;
  }
}
