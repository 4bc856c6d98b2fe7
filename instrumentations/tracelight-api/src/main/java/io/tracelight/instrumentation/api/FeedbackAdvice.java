package io.tracelight.instrumentation.api;

import io.tracelight.core.feedback.Feedback;
import io.tracelight.core.instrumentation.Advice;

/** {@code Tracelight.feedback(callId, score, label)}. */
public final class FeedbackAdvice {
  private FeedbackAdvice() {}

  @Advice.OnEnter
  public static void enter(@Advice.Argument(0) String callId, @Advice.Argument(1) double score,
      @Advice.Argument(2) String label) {
    Feedback.feedback(callId, score, label);
  }
}
