package io.tracelight.instrumentation.api;

import io.tracelight.core.feedback.Feedback;
import io.tracelight.core.instrumentation.Advice;

/** {@code Tracelight.outcome(callId, String)}. */
public final class OutcomeTextAdvice {
  private OutcomeTextAdvice() {}

  @Advice.OnEnter
  public static void enter(@Advice.Argument(0) String callId, @Advice.Argument(1) String value) {
    Feedback.outcome(callId, value);
  }
}
