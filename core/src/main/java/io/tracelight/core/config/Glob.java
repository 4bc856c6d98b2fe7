package io.tracelight.core.config;

/** The one wildcard of user-written patterns (fidelity rules, price table models): {@code *}. Stateless. */
public final class Glob {
  private Glob() {}

  /**
   * True when {@code value} matches {@code pattern}, where {@code *} stands for any run of
   * characters and everything else for itself. Only the last star is retried, so the work stays
   * near linear. A null value never matches.
   */
  public static boolean matches(String pattern, String value) {
    if (value == null) {
      return false;
    }
    int p = 0;
    int v = 0;
    int star = -1;
    int mark = 0;
    while (v < value.length()) {
      if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        mark = v;
      } else if (p < pattern.length() && pattern.charAt(p) == value.charAt(v)) {
        p++;
        v++;
      } else if (star >= 0) {
        p = star + 1;
        v = ++mark;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
