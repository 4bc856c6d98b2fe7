package io.tracelight.core.report;

import io.tracelight.core.drift.DriftComparison;
import io.tracelight.core.drift.DriftSettings;
import io.tracelight.core.drift.Statistics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code java -jar tracelight-agent.jar compare <dir> --by deployment|version [--model <name>] [A B]}:
 * two groups of one model's calls side by side over the same period (a canary label against the
 * baseline's, or two model versions): latency percentiles, cost per call, error and refusal rates,
 * the distance between their latency, output-token and predicted-class distributions (PSI and KS,
 * Jensen–Shannon and chi-square, the live checks' tests with A as the reference), and for shadow
 * traffic (the same input hash sent to both) how often their outputs agree. Without A and B, the two
 * groups with the most calls. Reads the calls files twice; keeps histograms and, for the agreement,
 * one output hash per input hash of group A (at most {@value #MAX_INPUTS}).
 */
public final class Compare {
  static final int MAX_INPUTS = 1_000_000;

  /** One group's numbers. */
  static final class Group {
    final String label;
    long calls;
    long errors;
    long refusals;
    double cost;
    long priced;
    final Histogram latencyMicros = new Histogram(3_600_000_000L, 2);
    DriftComparison latency;
    DriftComparison tokens;
    final Map<String, Long> classes = new LinkedHashMap<>();

    Group(String label) {
      this.label = label;
    }
  }

  final String by;
  final String model;
  final Map<String, Group> groups = new LinkedHashMap<>();
  Group a;
  Group b;
  long shadowPairs;
  long shadowAgreed;

  private Compare(String by, String model) {
    this.by = by;
    this.model = model;
  }

  public static int main(String[] args) {
    String by = "deployment";
    String model = null;
    List<String> rest = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      if (args[i].equals("--by") && i + 1 < args.length) {
        by = args[++i];
      } else if (args[i].equals("--model") && i + 1 < args.length) {
        model = args[++i];
      } else {
        rest.add(args[i]);
      }
    }
    if (args.length < 2 || !(by.equals("deployment") || by.equals("version"))) {
      System.err.println("usage: java -jar tracelight-agent.jar compare <output dir> [--by deployment|version]"
          + " [--model <name>] [A B]");
      return 2;
    }
    try {
      Compare c = read(Paths.get(args[1]), by, model, rest.size() >= 2 ? rest.get(0) : null,
          rest.size() >= 2 ? rest.get(1) : null);
      c.print(System.out);
      return c.a == null || c.b == null ? 1 : 0;
    } catch (IOException e) {
      System.err.println("cannot read " + args[1] + ": " + e);
      return 1;
    }
  }

  static Compare read(Path dir, String by, String model, String labelA, String labelB) throws IOException {
    Compare c = new Compare(by, model);
    List<Path> files = Report.files(dir, "calls");
    CallLine line = new CallLine();
    for (Path f : files) { // 1: the groups and their sizes
      c.each(f, line, 1);
    }
    if (labelA != null) {
      c.a = c.groups.get(labelA);
      c.b = c.groups.get(labelB);
    } else {
      List<Group> bySize = new ArrayList<>(c.groups.values());
      bySize.sort((x, y) -> Long.compare(y.calls, x.calls));
      c.a = bySize.size() > 0 ? bySize.get(0) : null;
      c.b = bySize.size() > 1 ? bySize.get(1) : null;
    }
    if (c.a == null || c.b == null) {
      return c;
    }
    c.a.latency = new DriftComparison((int) Math.min(100_000, c.a.calls));
    c.a.tokens = new DriftComparison((int) Math.min(100_000, c.a.calls));
    c.b.latency = c.a.latency; // B is compared against A's reference
    c.b.tokens = c.a.tokens;
    Map<String, String> outputs = new HashMap<>();
    for (Path f : files) { // 2: A's values, its outputs by input
      c.second(f, line, outputs, true);
    }
    c.a.latency.closeReference();
    c.a.tokens.closeReference();
    for (Path f : files) { // 3: B's values, the shadow pairs
      c.second(f, line, outputs, false);
    }
    return c;
  }

  private String labelOf(CallLine l) {
    if (model != null && !model.equals(l.model)) {
      return null;
    }
    String label = by.equals("version") ? l.version : l.deployment;
    return label == null ? "(none)" : label;
  }

  private void each(Path f, final CallLine l, int pass) throws IOException {
    Report.eachLine(f, (bytes, length) -> {
      if (!l.read(bytes, length)) {
        return;
      }
      String label = labelOf(l);
      if (label == null) {
        return;
      }
      Group g = groups.get(label);
      if (g == null) {
        g = new Group(label);
        groups.put(label, g);
      }
      g.calls++;
      g.errors += l.error ? 1 : 0;
      g.refusals += l.refusal ? 1 : 0;
      if (l.cost == l.cost) {
        g.cost += l.cost;
        g.priced++;
      }
      if (l.durationMs == l.durationMs) {
        g.latencyMicros.recordValue(Math.max(0, Math.min(3_600_000_000L, (long) (l.durationMs * 1000))));
      }
      if (l.predictedClass != null) {
        g.classes.merge(l.predictedClass, 1L, Long::sum);
      }
    });
  }

  private void second(Path f, final CallLine l, final Map<String, String> outputs, final boolean sideA) throws IOException {
    Report.eachLine(f, (bytes, length) -> {
      if (!l.read(bytes, length)) {
        return;
      }
      String label = labelOf(l);
      Group side = sideA ? a : b;
      if (label == null || !label.equals(side.label)) {
        return;
      }
      double tokens = l.outputTokens < 0 || l.error ? Double.NaN : l.outputTokens;
      String output = l.predictedClass != null ? l.predictedClass : l.outputHash;
      if (sideA) {
        a.latency.reference(l.durationMs);
        a.tokens.reference(tokens);
        if (l.inputHash != null && output != null && outputs.size() < MAX_INPUTS) {
          outputs.put(l.inputHash, output);
        }
      } else {
        a.latency.current(l.durationMs);
        a.tokens.current(tokens);
        String other = l.inputHash == null ? null : outputs.get(l.inputHash);
        if (other != null && output != null) {
          shadowPairs++;
          shadowAgreed += other.equals(output) ? 1 : 0;
        }
      }
    });
  }

  /** Jensen–Shannon and chi-square p between the groups' predicted classes; null when neither has any. */
  double[] classDistance() {
    List<String> names = new ArrayList<>(a.classes.keySet());
    for (String k : b.classes.keySet()) {
      if (!names.contains(k)) {
        names.add(k);
      }
    }
    if (names.isEmpty()) {
      return null;
    }
    long[] x = new long[names.size()];
    long[] y = new long[names.size()];
    for (int i = 0; i < names.size(); i++) {
      x[i] = a.classes.getOrDefault(names.get(i), 0L);
      y[i] = b.classes.getOrDefault(names.get(i), 0L);
    }
    double[] chi = Statistics.chiSquare(x, y);
    return new double[] {Statistics.jensenShannon(x, y), chi[1] > 0 ? Statistics.chiSquareTail(chi[0], chi[1]) : 1};
  }

  void print(PrintStream out) {
    StringBuilder s = new StringBuilder();
    if (a == null || b == null) {
      s.append("compare: fewer than two groups by ").append(by).append(model == null ? "" : " for " + model)
          .append(" (found: ").append(groups.keySet()).append(")\n");
      out.print(s);
      return;
    }
    s.append("Tracelight compare by ").append(by).append(model == null ? "" : " of " + model).append(": ")
        .append(a.label).append(" (A) against ").append(b.label).append(" (B)\n");
    s.append(Report.f("%-24s %12s %12s%n", "", cut(a.label), cut(b.label)));
    row(s, "calls", Long.toString(a.calls), Long.toString(b.calls));
    row(s, "error %", pct(a.errors, a.calls), pct(b.errors, b.calls));
    row(s, "refusal %", pct(a.refusals, a.calls), pct(b.refusals, b.calls));
    for (double p : new double[] {50, 95, 99}) {
      row(s, Report.f("latency p%.0f ms", p), Report.f("%.1f", ReportText.ms(a.latencyMicros, p)),
          Report.f("%.1f", ReportText.ms(b.latencyMicros, p)));
    }
    row(s, "cost per call $", a.priced == 0 ? "-" : Report.f("%.6f", a.cost / a.priced),
        b.priced == 0 ? "-" : Report.f("%.6f", b.cost / b.priced));
    DriftSettings rule = DriftSettings.defaults();
    s.append("B against A: ").append(ReportText.line("latency", a.latency, rule, 1)).append("; ")
        .append(ReportText.line("output tokens", a.tokens, rule, 0)).append('\n');
    double[] classes = classDistance();
    if (classes != null) {
      s.append(Report.f("predicted classes: A %s, B %s; JSD %.4f bits, chi-square p=%.2g%s%n", shares(a), shares(b),
          classes[0], classes[1], classes[0] >= rule.jsdThreshold && classes[1] < rule.alpha ? " DIFFERENT" : ""));
    }
    if (shadowPairs > 0) {
      s.append(Report.f("shadow traffic: %d inputs sent to both, outputs agree on %.1f%%%n", shadowPairs,
          100.0 * shadowAgreed / shadowPairs));
    }
    out.print(s);
  }

  private static String shares(Group g) {
    StringBuilder s = new StringBuilder();
    long n = 0;
    for (long c : g.classes.values()) {
      n += c;
    }
    for (Map.Entry<String, Long> e : g.classes.entrySet()) {
      s.append(s.length() == 0 ? "" : " ").append(e.getKey()).append(' ')
          .append(Report.f("%.1f%%", 100.0 * e.getValue() / Math.max(1, n)));
    }
    return s.toString();
  }

  private static void row(StringBuilder s, String name, String x, String y) {
    s.append(Report.f("%-24s %12s %12s%n", name, x, y));
  }

  private static String pct(long part, long whole) {
    return whole == 0 ? "-" : Report.f("%.1f", 100.0 * part / whole);
  }

  private static String cut(String s) {
    return s.length() <= 12 ? s : s.substring(0, 11) + "~";
  }
}
