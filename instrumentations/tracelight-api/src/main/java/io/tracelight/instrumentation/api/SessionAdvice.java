package io.tracelight.instrumentation.api;

import io.tracelight.core.exchange.ApiSession;
import io.tracelight.core.instrumentation.Advice;

/** {@code Tracelight.session(sessionId, userId)}: opens the agent's scope and returns it as the API's. */
public final class SessionAdvice {
  private SessionAdvice() {}

  @Advice.OnExit
  @Advice.ToReturned
  public static Object[] exit(@Advice.Argument(0) String sessionId, @Advice.Argument(1) String userId) {
    return new Object[] {new SessionScope(ApiSession.open(sessionId, userId))};
  }
}
