package io.tracelight.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * Failures inside the agent. They are never thrown into the application: they are counted
 * ({@code ai_agent_internal_errors_total}) and each place says once what went wrong.
 */
public final class InternalErrors {
  private static final LongAdder COUNT = new LongAdder();

  private InternalErrors() {}

  public static void report(String where, Throwable t) {
    COUNT.increment();
    Log.warnOnce("internal:" + where,
        "internal error in " + where + " (counted, further ones not logged): " + t);
  }

  /** A failure while serving one instrumentation; enough of them turn it off. */
  public static void report(String instrumentation, String where, Throwable t) {
    report(instrumentation + " " + where, t);
    InstrumentationHealth.failed(instrumentation, t);
  }

  public static long count() {
    return COUNT.sum();
  }
}
