package io.tracelight.core.privacy;

import io.tracelight.core.protocol.Sha256;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Counts and replaces personal data and secrets in a text: the built-in {@link PiiScanner} and the
 * user's patterns ({@code tracelight.pii.pattern.<type>}, run by RE2/J, whose matching time is
 * linear in the text whatever the pattern). A match becomes a token naming its type
 * ({@code [EMAIL]}); when {@code tracelight.hash.key} is set, with the first six hex digits of the
 * value's keyed hash ({@code [EMAIL:3f9a1c]}), so the same value can be followed across records
 * without being shown. Secrets are always replaced; personal data only when asked.
 * Immutable; any thread.
 */
public final class Redactor {
  private final List<UserPattern> patterns;

  /** A user's pattern: its type name and the compiled expression. */
  private static final class UserPattern {
    final String type;
    final com.google.re2j.Pattern pattern;

    UserPattern(String type, com.google.re2j.Pattern pattern) {
      this.type = type;
      this.pattern = pattern;
    }
  }

  private Redactor(List<UserPattern> patterns) {
    this.patterns = patterns;
  }

  /** The built-in detectors only. */
  public static Redactor builtIn() {
    return new Redactor(new ArrayList<UserPattern>(0));
  }

  /**
   * The built-in detectors and the user's patterns, type name to expression; a pattern that does
   * not compile is said once and skipped.
   */
  public static Redactor withPatterns(Map<String, String> userPatterns) {
    List<UserPattern> list = new ArrayList<>();
    for (Map.Entry<String, String> e : new TreeMap<>(userPatterns).entrySet()) {
      try {
        list.add(new UserPattern(e.getKey(), com.google.re2j.Pattern.compile(e.getValue())));
      } catch (RuntimeException ex) {
        io.tracelight.core.Log.warn("tracelight.pii.pattern." + e.getKey() + " is not a valid pattern ("
            + ex.getMessage() + "); it is not applied");
      }
    }
    return new Redactor(list);
  }

  /** Counts by type; one per text direction of a call. Not thread-safe. */
  public static final class Counts {
    private final TreeMap<String, Integer> byType = new TreeMap<>();

    void add(String type) {
      Integer now = byType.get(type);
      byType.put(type, now == null ? 1 : now + 1);
    }

    public boolean isEmpty() {
      return byType.isEmpty();
    }

    public int total() {
      int sum = 0;
      for (int n : byType.values()) {
        sum += n;
      }
      return sum;
    }

    /** {@code type:count} for each type found, by type name. */
    public List<String> asList() {
      List<String> out = new ArrayList<>(byType.size());
      for (Map.Entry<String, Integer> e : byType.entrySet()) {
        out.add(e.getKey() + ":" + e.getValue());
      }
      return out;
    }

    public Map<String, Integer> asMap() {
      return byType;
    }
  }

  /** Finds matches in {@code text}, counts each into {@code counts}; returns the text unchanged. */
  public void count(String text, Counts counts) {
    for (Match m : matches(text)) {
      counts.add(m.type);
    }
  }

  /**
   * Counts every match into {@code counts} and returns the text with secrets replaced, and with
   * personal data replaced too when {@code removePii}.
   */
  public String apply(String text, boolean removePii, Counts counts) {
    List<Match> found = matches(text);
    if (found.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    for (Match m : found) {
      counts.add(m.type);
      if (m.secret || removePii) {
        out.append(text, from, m.start);
        token(m.type, text.substring(m.start, m.end), out);
        from = m.end;
      }
    }
    out.append(text, from, text.length());
    return out.toString();
  }

  private static void token(String type, String value, StringBuilder out) {
    out.append('[').append(type.toUpperCase(Locale.ROOT));
    if (Sha256.keyed()) {
      out.append(':').append(Sha256.of(value), 0, 6);
    }
    out.append(']');
  }

  private static final class Match {
    final String type;
    final boolean secret;
    final int start;
    final int end;

    Match(String type, boolean secret, int start, int end) {
      this.type = type;
      this.secret = secret;
      this.start = start;
      this.end = end;
    }
  }

  /** Built-in matches, then each user pattern's that overlaps none found before, in text order. */
  private List<Match> matches(String text) {
    final List<Match> found = new ArrayList<>();
    PiiScanner.scan(text, new PiiScanner.Sink() {
      @Override
      public void found(PiiType type, int start, int end) {
        found.add(new Match(type.label, type.secret, start, end));
      }
    });
    if (patterns.isEmpty()) {
      return found;
    }
    for (UserPattern up : patterns) {
      com.google.re2j.Matcher m = up.pattern.matcher(text);
      while (m.find()) {
        if (m.end() > m.start() && !overlaps(found, m.start(), m.end())) {
          found.add(new Match(up.type, false, m.start(), m.end()));
        }
      }
    }
    found.sort(new java.util.Comparator<Match>() {
      @Override
      public int compare(Match a, Match b) {
        return Integer.compare(a.start, b.start);
      }
    });
    return found;
  }

  private static boolean overlaps(List<Match> found, int start, int end) {
    for (Match m : found) {
      if (start < m.end && m.start < end) {
        return true;
      }
    }
    return false;
  }
}
