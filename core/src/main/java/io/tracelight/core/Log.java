package io.tracelight.core;

import java.util.concurrent.ConcurrentHashMap;

/** The agent's one voice: single lines on stderr, prefixed, each distinct message at most once. */
public final class Log {
  private static final ConcurrentHashMap<String, Boolean> SAID = new ConcurrentHashMap<>();

  private Log() {}

  public static void warn(String message) {
    System.err.println("[tracelight] " + message);
  }

  /** Says {@code message} the first time {@code key} is seen, and never again. */
  public static void warnOnce(String key, String message) {
    if (SAID.putIfAbsent(key, Boolean.TRUE) == null) {
      warn(message);
    }
  }
}
