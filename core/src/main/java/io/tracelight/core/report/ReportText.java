package io.tracelight.core.report;

import io.tracelight.core.drift.DriftComparison;
import io.tracelight.core.drift.DriftSettings;
import io.tracelight.core.export.IsoTimestamp;
import java.util.Map;

/** The report as text for a terminal. */
final class ReportText {
  private ReportText() {}

  static String text(Report r) {
    StringBuilder b = new StringBuilder();
    long calls = 0;
    for (Report.Subject s : r.subjects.values()) {
      calls += s.calls;
    }
    b.append("Tracelight report of ").append(r.directory()).append(": ").append(calls).append(" calls");
    if (calls > 0) {
      b.append(", ").append(IsoTimestamp.format(r.firstNanos)).append(" to ").append(IsoTimestamp.format(r.lastNanos));
    }
    b.append(", ").append(r.alerts.size()).append(" alert events");
    if (r.unreadLines > 0) {
      b.append(", ").append(r.unreadLines).append(" lines not read (not a record)");
    }
    b.append('\n');
    if (calls == 0) {
      return b.toString();
    }
    b.append(Report.f("%-48s %7s %6s %7s %9s %9s %9s %9s %9s %9s %10s %8s%n", "subject", "calls", "err%", "refuse%",
        "p50 ms", "p95 ms", "p99 ms", "ttfc p50", "tok in", "tok out", "cost $", "accept%"));
    for (Report.Subject s : r.subjects.values()) {
      b.append(Report.f("%-48s %7d %6.1f %7.1f %9.1f %9.1f %9.1f %9s %9d %9d %10s %8s%n", cut(s.name(), 48), s.calls,
          100.0 * s.errors / s.calls, 100.0 * s.refusals / s.calls, ms(s.latencyMicros, 50), ms(s.latencyMicros, 95),
          ms(s.latencyMicros, 99), s.firstChunkMicros.getTotalCount() == 0 ? "-"
              : Report.f("%.1f", ms(s.firstChunkMicros, 50)), s.inputTokens, s.outputTokens,
          s.priced ? Report.f("%.6f", s.cost) : "-",
          s.feedback == 0 ? "-" : Report.f("%.1f", 100.0 * s.accepted / s.feedback)));
    }
    String[] sides = r.sides();
    b.append(r.periods == null ? "drift, each subject's first half of its calls against its last half:\n"
        : "drift, each subject's calls in " + sides[0] + " against those in " + sides[1] + ":\n");
    DriftSettings rule = DriftSettings.defaults();
    for (Report.Subject s : r.subjects.values()) {
      b.append("  ").append(s.name()).append(": ");
      if (s.latency == null || s.latency.referenceValues() < 30 || s.latency.currentValues() < 30) {
        b.append("too few calls to compare (30 in each " + (r.periods == null ? "half" : "period") + ")\n");
        continue;
      }
      b.append(line("latency", s.latency, rule, 1)).append("; ").append(line("output tokens", s.tokens, rule, 0));
      double[] refusals = Report.refusalShift(s);
      b.append(Report.f("; refusals %.1f%% -> %.1f%%", 100 * refusals[0], 100 * refusals[1]));
      if (refusals[2] < rule.alpha && refusals[1] > refusals[0]) {
        b.append(Report.f(" (chi-square p=%.2g) ROSE", refusals[2]));
      }
      b.append('\n');
    }
    if (!r.alerts.isEmpty()) {
      b.append("alerts:\n");
      for (Map<String, Object> a : r.alerts) {
        b.append("  ").append(a.get("time")).append(' ').append(a.get("state")).append(' ').append(a.get("severity"))
            .append(' ').append(a.get("rule")).append(": ").append(a.get("message")).append('\n');
      }
    }
    return b.toString();
  }

  /** One signal's comparison: medians, PSI, KS p, and DRIFT when the live rule would alert. */
  static String line(String what, DriftComparison c, DriftSettings rule, int decimals) {
    if (c.referenceValues() < 30 || c.currentValues() < 30) {
      return what + " -";
    }
    String format = "%s median %." + decimals + "f -> %." + decimals + "f, PSI %.2f, KS p=%.2g%s";
    return Report.f(format, what, c.referenceMedian(), c.currentMedian(), c.psi(), c.ksPValue(),
        c.drifted(rule) ? " DRIFT" : "");
  }

  static double ms(org.HdrHistogram.Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  static String cut(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "~";
  }
}
