package io.tracelight.instrumentation.api;

import io.tracelight.core.exchange.CallIds;
import io.tracelight.core.instrumentation.Advice;

/** {@code Tracelight.lastCall()}: the id of the last AI call this thread started. */
public final class LastCallAdvice {
  private LastCallAdvice() {}

  @Advice.OnExit
  @Advice.ToReturned
  public static Object[] exit() {
    String id = CallIds.lastOnThisThread();
    return id == null ? null : new Object[] {id};
  }
}
