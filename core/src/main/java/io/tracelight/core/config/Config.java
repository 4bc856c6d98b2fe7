package io.tracelight.core.config;

import io.tracelight.core.Log;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Resolved configuration. Sources, highest first: system properties {@code tracelight.*},
 * environment {@code TRACELIGHT_*}, the file named by {@code tracelight.config.file}. Unknown keys
 * and bad values never stop the agent: one line names the key, the value and what is used instead.
 */
public final class Config {
  private final Map<String, String> values;

  private Config(Map<String, String> values) {
    this.values = values;
  }

  public static Config load() {
    return from(System.getProperties(), System.getenv());
  }

  /**
   * As {@link #load()}, over defaults a host agent gives (keys without the prefix): Tracelight's own
   * sources win over them.
   */
  public static Config load(Map<String, String> hostDefaults) {
    Config own = load();
    Map<String, String> merged = new HashMap<>(hostDefaults);
    merged.putAll(own.values);
    return new Config(merged);
  }

  /** Resolves from explicit sources; used by {@link #load()} and by tests. */
  public static Config from(Properties system, Map<String, String> env) {
    Map<String, String> fromSystem = new HashMap<>();
    for (String name : system.stringPropertyNames()) {
      if (name.startsWith(ConfigOption.PREFIX) && !name.startsWith("tracelight.internal.")) {
        fromSystem.put(name.substring(ConfigOption.PREFIX.length()), system.getProperty(name));
      }
    }
    Map<String, String> fromEnv = new HashMap<>();
    for (Map.Entry<String, String> e : env.entrySet()) {
      if (e.getKey().startsWith("TRACELIGHT_")) {
        String key = keyForEnv(e.getKey().substring("TRACELIGHT_".length()));
        if (key == null) {
          Log.warn("unknown environment variable " + e.getKey() + "; ignored");
        } else {
          fromEnv.put(key, e.getValue());
        }
      }
    }
    Map<String, String> merged = new HashMap<>();
    String file = firstNonNull(fromSystem.get("config.file"), fromEnv.get("config.file"));
    if (file != null && !file.isEmpty()) {
      merged.putAll(readFile(file));
    }
    merged.putAll(fromEnv);
    merged.putAll(fromSystem);
    for (String key : new ArrayList<>(merged.keySet())) {
      if (!isKnown(key)) {
        String nearest = nearestKey(key);
        Log.warn("unknown key " + ConfigOption.PREFIX + key + " ignored"
            + (nearest == null ? "" : "; did you mean " + ConfigOption.PREFIX + nearest + "?"));
        merged.remove(key);
      }
    }
    return new Config(merged);
  }

  public boolean getBoolean(ConfigOption option) {
    return bool(option.key, option.defaultValue);
  }

  public String getString(ConfigOption option) {
    String v = values.get(option.key);
    return v == null ? option.defaultValue : v.trim();
  }

  public int getInt(ConfigOption option) {
    String v = values.get(option.key);
    if (v == null) {
      return Integer.parseInt(option.defaultValue);
    }
    try {
      int parsed = Integer.parseInt(v.trim());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    Log.warn(ConfigOption.PREFIX + option.key + "=" + v + " is not a positive whole number; using "
        + option.defaultValue);
    return Integer.parseInt(option.defaultValue);
  }

  /** A whole number of at least {@code min}; anything else is said and gives the default. */
  public long getLong(ConfigOption option, long min) {
    String v = values.get(option.key);
    if (v != null) {
      try {
        long parsed = Long.parseLong(v.trim());
        if (parsed >= min) {
          return parsed;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      Log.warn(ConfigOption.PREFIX + option.key + "=" + v + " is not a whole number of at least " + min + "; using "
          + option.defaultValue);
    }
    return Long.parseLong(option.defaultValue);
  }

  /** A duration ({@code 90d}, {@code 12h}, {@code 30m}, {@code 45s}) in milliseconds; empty is 0; anything else is said and gives 0. */
  public long getDurationMillis(ConfigOption option) {
    String v = getString(option);
    if (v.isEmpty()) {
      return 0;
    }
    long unit;
    switch (Character.toLowerCase(v.charAt(v.length() - 1))) {
      case 'd':
        unit = 86_400_000L;
        break;
      case 'h':
        unit = 3_600_000L;
        break;
      case 'm':
        unit = 60_000L;
        break;
      case 's':
        unit = 1_000L;
        break;
      default:
        unit = -1;
    }
    try {
      long n = Long.parseLong(v.substring(0, v.length() - 1).trim());
      if (unit > 0 && n > 0) {
        return n * unit;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    Log.warn(ConfigOption.PREFIX + option.key + "=" + v + " is not a duration like 90d, 12h, 30m or 45s; no limit");
    return 0;
  }

  /** A fraction from 0 to 1; anything else is said and gives the default. */
  public double getFraction(ConfigOption option) {
    String v = values.get(option.key);
    if (v != null) {
      try {
        double parsed = Double.parseDouble(v.trim());
        if (parsed >= 0 && parsed <= 1) {
          return parsed;
        }
      } catch (NumberFormatException ignored) {
        // reported below
      }
      Log.warn(ConfigOption.PREFIX + option.key + "=" + v + " is not a number from 0 to 1; using " + option.defaultValue);
    }
    return Double.parseDouble(option.defaultValue);
  }

  /** A byte count, with an optional KB/MB/GB (or K/M/G, KiB/MiB/GiB) suffix, 1024-based. */
  public long getSize(ConfigOption option) {
    String v = values.get(option.key);
    if (v == null) {
      return Long.parseLong(option.defaultValue);
    }
    long parsed = parseSize(v);
    if (parsed < 0) {
      Log.warn(ConfigOption.PREFIX + option.key + "=" + v
          + " is not a size (bytes, or a number with KB/MB/GB); using " + option.defaultValue);
      return Long.parseLong(option.defaultValue);
    }
    return parsed;
  }

  public boolean instrumentationEnabled(String name) {
    String fallback = String.valueOf(getBoolean(ConfigOption.INSTRUMENTATION_DEFAULT_ENABLED));
    return bool("instrumentation." + name + ".enabled", fallback);
  }

  static long parseSize(String text) {
    String s = text.trim().toUpperCase(Locale.ROOT);
    long unit = 1;
    String[][] suffixes = {{"GIB", "GB", "G"}, {"MIB", "MB", "M"}, {"KIB", "KB", "K"}};
    long[] units = {1L << 30, 1L << 20, 1L << 10};
    outer:
    for (int i = 0; i < suffixes.length; i++) {
      for (String suffix : suffixes[i]) {
        if (s.endsWith(suffix)) {
          unit = units[i];
          s = s.substring(0, s.length() - suffix.length()).trim();
          break outer;
        }
      }
    }
    if (s.endsWith("B")) {
      s = s.substring(0, s.length() - 1).trim();
    }
    try {
      long n = Long.parseLong(s);
      return n >= 0 && n <= Long.MAX_VALUE / unit ? n * unit : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private boolean bool(String key, String fallback) {
    String v = values.get(key);
    if (v == null) {
      return Boolean.parseBoolean(fallback);
    }
    String t = v.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true") || t.equals("false")) {
      return t.equals("true");
    }
    Log.warn(ConfigOption.PREFIX + key + "=" + v + " is not true or false; using " + fallback);
    return Boolean.parseBoolean(fallback);
  }

  private static boolean isKnown(String key) {
    if (key.startsWith(PII_PATTERN_PREFIX) && key.length() > PII_PATTERN_PREFIX.length()) {
      return true;
    }
    for (ConfigOption o : ConfigOption.values()) {
      if (o.key.indexOf('<') < 0 && o.key.equals(key)) {
        return true;
      }
    }
    for (String name : ConfigOption.INSTRUMENTATIONS) {
      if (key.equals("instrumentation." + name + ".enabled")) {
        return true;
      }
    }
    return false;
  }

  private static List<String> knownKeys() {
    List<String> keys = new ArrayList<>();
    for (ConfigOption o : ConfigOption.values()) {
      if (o.key.indexOf('<') < 0) {
        keys.add(o.key);
      }
    }
    for (String name : ConfigOption.INSTRUMENTATIONS) {
      keys.add("instrumentation." + name + ".enabled");
    }
    return keys;
  }

  /** The family {@code pii.pattern.<type>}: one key per user pattern. */
  static final String PII_PATTERN_PREFIX = "pii.pattern.";

  /** Every {@code pii.pattern.<type>} set: type (lower case) to pattern. */
  public Map<String, String> piiPatterns() {
    Map<String, String> out = new java.util.TreeMap<>();
    for (Map.Entry<String, String> e : values.entrySet()) {
      if (e.getKey().startsWith(PII_PATTERN_PREFIX)) {
        out.put(e.getKey().substring(PII_PATTERN_PREFIX.length()).toLowerCase(Locale.ROOT), e.getValue());
      }
    }
    return out;
  }

  private static String keyForEnv(String envSuffix) {
    if (envSuffix.startsWith("PII_PATTERN_") && envSuffix.length() > "PII_PATTERN_".length()) {
      return PII_PATTERN_PREFIX + envSuffix.substring("PII_PATTERN_".length()).toLowerCase(Locale.ROOT);
    }
    for (String key : knownKeys()) {
      if (envName(key).equals(envSuffix)) {
        return key;
      }
    }
    return null;
  }

  static String envName(String key) {
    return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /** The known key closest to a misspelt one, if close enough to be a plausible typo. */
  static String nearestKey(String key) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String known : knownKeys()) {
      int d = distance(key, known);
      if (d < bestDistance) {
        bestDistance = d;
        best = known;
      }
    }
    return bestDistance <= Math.max(2, key.length() / 3) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  private static Map<String, String> readFile(String file) {
    Map<String, String> out = new HashMap<>();
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(Paths.get(file))) {
      p.load(in);
    } catch (IOException | RuntimeException e) {
      Log.warn("cannot read tracelight.config.file=" + file + " (" + e + "); using the other sources");
      return out;
    }
    for (String name : p.stringPropertyNames()) {
      String key = name.startsWith(ConfigOption.PREFIX) ? name.substring(ConfigOption.PREFIX.length()) : name;
      out.put(key, p.getProperty(name));
    }
    return out;
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }
}
