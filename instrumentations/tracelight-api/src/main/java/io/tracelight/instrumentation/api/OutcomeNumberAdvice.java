package io.tracelight.instrumentation.api;

import io.tracelight.core.feedback.Feedback;
import io.tracelight.core.instrumentation.Advice;

/** {@code Tracelight.outcome(callId, double)}. */
public final class OutcomeNumberAdvice {
  private OutcomeNumberAdvice() {}

  @Advice.OnEnter
  public static void enter(@Advice.Argument(0) String callId, @Advice.Argument(1) double value) {
    Feedback.outcome(callId, value);
  }
}
