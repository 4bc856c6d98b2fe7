package io.tracelight.core.policy;

import io.tracelight.core.config.Glob;
import io.tracelight.core.Log;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Secrets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The fidelity rules ({@code tracelight.fidelity.rules}, a rules file): the first rule whose every
 * condition matches a call gives its level, else the default level. A rule reads
 * {@code model=gpt-4o* & header.x-workload=scoring => 0} or {@code path=/label/* => 2 ratio=0.01};
 * conditions name {@code provider} (or a prediction's runtime), {@code model} (requested, answered,
 * or a prediction's model name), {@code host}, {@code path}, {@code operation} or
 * {@code header.<name>}, each with a glob ({@code *} for any characters). Immutable; any thread.
 */
public final class FidelityRules {
  /** Every call kept, with its text (redacted unless capture is {@code full}). */
  public static final int FULL = 0;
  /** Every call kept, metadata and hashes (or what {@code capture.content} says). */
  public static final int ALL = 1;
  /** Sampled records. */
  public static final int SAMPLED = 2;
  /** Metrics only, no record. */
  public static final int METRICS_ONLY = 3;

  /** One rule: conditions, the level they give and, for level 2, an optional ratio. */
  public static final class Rule {
    final List<String[]> conditions; // {field, glob}
    public final int level;
    /** The rule's own sampling ratio, or NaN for the configured one. */
    public final double ratio;
    public final String text;

    Rule(List<String[]> conditions, int level, double ratio, String text) {
      this.conditions = conditions;
      this.level = level;
      this.ratio = ratio;
      this.text = text;
    }

    boolean matches(AiCall call) {
      for (String[] c : conditions) {
        if (!matchesOne(call, c[0], c[1])) {
          return false;
        }
      }
      return true;
    }
  }

  private final List<Rule> rules;
  private final int defaultLevel;
  private final List<String> headers;

  private FidelityRules(List<Rule> rules, int defaultLevel, List<String> headers) {
    this.rules = rules;
    this.defaultLevel = defaultLevel;
    this.headers = headers;
  }

  public static FidelityRules none(int defaultLevel) {
    return new FidelityRules(Collections.<Rule>emptyList(), defaultLevel, Collections.<String>emptyList());
  }

  /**
   * Parses rules separated by {@code ;} or new lines ({@code #} starts a comment); a rule that
   * cannot be read is said once, named, and left out.
   */
  public static FidelityRules parse(String text, int defaultLevel) {
    List<Rule> rules = new ArrayList<>();
    List<String> headers = new ArrayList<>();
    if (text.trim().isEmpty()) {
      return new FidelityRules(rules, defaultLevel, headers); // no rules: start-up compiles no pattern
    }
    for (String line : text.split("\n")) {
      int hash = line.indexOf('#');
      for (String part : (hash >= 0 ? line.substring(0, hash) : line).split(";")) {
        String ruleText = part.trim();
        if (!ruleText.isEmpty()) {
          Rule rule = parseRule(ruleText, headers);
          if (rule != null) {
            rules.add(rule);
          }
        }
      }
    }
    return new FidelityRules(rules, defaultLevel, headers);
  }

  private static Rule parseRule(String text, List<String> headers) {
    int arrow = text.indexOf("=>");
    if (arrow < 0) {
      return bad(text, "no '=>' before the level");
    }
    List<String[]> conditions = new ArrayList<>();
    for (String cond : text.substring(0, arrow).split("&")) {
      String c = cond.trim();
      int eq = c.indexOf('=');
      if (eq <= 0) {
        return bad(text, "condition '" + c + "' is not field=pattern");
      }
      String field = c.substring(0, eq).trim().toLowerCase(Locale.ROOT);
      String glob = c.substring(eq + 1).trim();
      if (field.startsWith("header.")) {
        String header = field.substring("header.".length());
        if (Secrets.isSecretHeader(header)) {
          return bad(text, "header " + header + " holds a secret and is never read");
        }
        if (!headers.contains(header)) {
          headers.add(header);
        }
      } else if (!field.equals("provider") && !field.equals("model") && !field.equals("host")
          && !field.equals("path") && !field.equals("operation")) {
        return bad(text, "unknown field '" + field + "' (known: provider, model, host, path, operation, header.<name>)");
      }
      conditions.add(new String[] {field, glob});
    }
    String[] after = text.substring(arrow + 2).trim().split("\\s+");
    int level;
    try {
      level = Integer.parseInt(after[0]);
    } catch (NumberFormatException e) {
      return bad(text, "level '" + after[0] + "' is not 0, 1, 2 or 3");
    }
    if (level < 0 || level > 3) {
      return bad(text, "level " + level + " is not 0, 1, 2 or 3");
    }
    double ratio = Double.NaN;
    for (int i = 1; i < after.length; i++) {
      if (after[i].startsWith("ratio=")) {
        try {
          ratio = Double.parseDouble(after[i].substring(6));
        } catch (NumberFormatException e) {
          ratio = -1;
        }
        if (!(ratio >= 0 && ratio <= 1)) {
          return bad(text, "ratio must be between 0 and 1");
        }
      } else {
        return bad(text, "unknown option '" + after[i] + "' (known: ratio=)");
      }
    }
    return new Rule(conditions, level, ratio, text);
  }

  private static Rule bad(String text, String why) {
    Log.warn("fidelity rule '" + text + "' is left out: " + why);
    return null;
  }

  /** The first matching rule, or null for the default level. */
  public Rule match(AiCall call) {
    for (Rule r : rules) {
      if (r.matches(call)) {
        return r;
      }
    }
    return null;
  }

  public int defaultLevel() {
    return defaultLevel;
  }

  /** The request headers some rule reads (lower case). */
  public List<String> headers() {
    return headers;
  }

  public int size() {
    return rules.size();
  }

  private static boolean matchesOne(AiCall call, String field, String glob) {
    switch (field) {
      case "provider":
        return Glob.matches(glob, call.get(Keys.PROVIDER)) || Glob.matches(glob, call.get(Keys.MODEL_RUNTIME));
      case "model":
        return Glob.matches(glob, call.get(Keys.REQUEST_MODEL)) || Glob.matches(glob, call.get(Keys.RESPONSE_MODEL))
            || Glob.matches(glob, call.get(Keys.MODEL_NAME));
      case "host":
        String host = call.get(Keys.SERVER_ADDRESS);
        return host != null && Glob.matches(glob.toLowerCase(Locale.ROOT), host.toLowerCase(Locale.ROOT));
      case "path":
        return Glob.matches(glob, call.requestPath);
      case "operation":
        return Glob.matches(glob, call.get(Keys.OPERATION)) || Glob.matches(glob, call.get(Keys.PREDICT_OPERATION));
      default: // header.<name>
        return Glob.matches(glob, call.requestHeader(field.substring("header.".length())));
    }
  }

}
