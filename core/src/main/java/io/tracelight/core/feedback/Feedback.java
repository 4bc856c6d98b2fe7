package io.tracelight.core.feedback;

import io.tracelight.core.Log;
import io.tracelight.core.exchange.CallIds;
import io.tracelight.core.exchange.Exchanges;
import io.tracelight.core.pipeline.Clock;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the application's {@code Tracelight.feedback} and {@code Tracelight.outcome} calls arrive (the
 * {@code tracelight-api} instrumentation calls these on the application's thread): checked, made into a
 * {@link FeedbackEvent} and offered to the pipeline, never waited for. Something that is not one of
 * the agent's call ids, or a score outside 0 to 1, is counted and said once, not recorded.
 *
 * <p>Threads: any application thread.
 */
public final class Feedback {
  private Feedback() {}

  static final int MAX_TEXT_CHARS = 256;
  private static final LongAdder REJECTED = new LongAdder();

  public static void feedback(String callId, double score, String label) {
    if (!knownShape(callId, "feedback")) {
      return;
    }
    if (!(score >= 0 && score <= 1)) {
      REJECTED.increment();
      Log.warnOnce("feedback-score", "Tracelight.feedback needs a score from 0 (rejected) to 1 (accepted); got "
          + score + ", not recorded (said once, counted in the summary)");
      return;
    }
    Exchanges.submit(new FeedbackEvent(FeedbackEvent.Kind.FEEDBACK, now(), callId, score, cut(label), null, Double.NaN));
  }

  public static void outcome(String callId, String value) {
    if (knownShape(callId, "outcome")) {
      Exchanges.submit(new FeedbackEvent(FeedbackEvent.Kind.OUTCOME, now(), callId, Double.NaN, null,
          value == null ? "" : cut(value), Double.NaN));
    }
  }

  public static void outcome(String callId, double value) {
    if (knownShape(callId, "outcome")) {
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        REJECTED.increment();
        Log.warnOnce("outcome-value", "Tracelight.outcome got " + value + ", not a number a record can hold; not recorded");
        return;
      }
      Exchanges.submit(new FeedbackEvent(FeedbackEvent.Kind.OUTCOME, now(), callId, Double.NaN, null, null, value));
    }
  }

  /** Feedback and outcomes refused: not a call id of the agent's, a score outside 0 to 1. */
  public static long rejected() {
    return REJECTED.sum();
  }

  private static boolean knownShape(String callId, String what) {
    if (CallIds.parse(callId) != null) {
      return true;
    }
    REJECTED.increment();
    Log.warnOnce("feedback-id", "Tracelight." + what + " needs a call id from Tracelight.lastCall() (32 hex digits); got "
        + (callId == null ? "null" : callId.length() + " characters of something else")
        + ", not recorded (said once, counted in the summary)");
    return false;
  }

  private static long now() {
    return Clock.epochNanos(System.nanoTime());
  }

  private static String cut(String text) {
    return text == null || text.length() <= MAX_TEXT_CHARS ? text : text.substring(0, MAX_TEXT_CHARS);
  }
}
