package io.tracelight.instrumentation.api;

import io.tracelight.api.Tracelight;
import io.tracelight.core.exchange.ApiSession;

/** The API's scope over the agent's: closing it closes the agent's. Used by the thread that opened it. */
public final class SessionScope implements Tracelight.Scope {
  private final ApiSession session;

  SessionScope(ApiSession session) {
    this.session = session;
  }

  @Override
  public void close() {
    session.close();
  }
}
