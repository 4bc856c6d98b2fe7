package io.tracelight.core;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failures per instrumentation. One that keeps failing turns itself off (its requests are then
 * passed straight through) and says so, rather than costing every call an exception.
 */
public final class InstrumentationHealth {
  /** Internal failures after which an instrumentation turns itself off. */
  public static final int FAILURE_LIMIT = 20;
  private static final ConcurrentHashMap<String, AtomicInteger> FAILURES = new ConcurrentHashMap<>();
  private static final ConcurrentHashMap<String, Boolean> OFF = new ConcurrentHashMap<>();
  /** Lets the per-call check skip the map until something has turned off. */
  private static volatile boolean anyOff;

  private InstrumentationHealth() {}

  /** Called for every request: a volatile read while all is well. */
  public static boolean isOff(String instrumentation) {
    return anyOff && OFF.containsKey(instrumentation);
  }

  static void failed(String instrumentation, Throwable t) {
    AtomicInteger failures = FAILURES.get(instrumentation);
    if (failures == null) {
      AtomicInteger made = new AtomicInteger();
      failures = FAILURES.putIfAbsent(instrumentation, made);
      failures = failures != null ? failures : made;
    }
    int n = failures.incrementAndGet();
    if (n == FAILURE_LIMIT) {
      OFF.put(instrumentation, Boolean.TRUE);
      anyOff = true;
      Log.warn("instrumentation " + instrumentation + " failed " + n + " times and has turned itself off;"
          + " its calls are no longer recorded (last failure: " + t + ")");
    }
  }
}
