package io.tracelight.core.report;

import io.tracelight.core.drift.DriftSettings;
import io.tracelight.core.export.IsoTimestamp;
import java.util.Map;

/**
 * The report as one HTML page: inline style, tables and an inline SVG chart of each subject's mean
 * latency over the period; no script, no font, no image, nothing fetched, so it opens offline and
 * can be mailed as is.
 */
final class ReportHtml {
  private ReportHtml() {}

  private static final String[] COLOURS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b",
      "#e377c2"};

  static String page(Report r) {
    StringBuilder b = new StringBuilder(16 * 1024);
    long calls = 0;
    for (Report.Subject s : r.subjects.values()) {
      calls += s.calls;
    }
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Tracelight report</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}")
        .append("table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .5em;")
        .append("text-align:right}td:first-child,th:first-child{text-align:left}th{background:#f3f3f3}")
        .append(".drift{color:#b00;font-weight:bold}.firing{color:#b00}.resolved{color:#070}")
        .append("</style></head><body>\n");
    b.append("<h1>Tracelight report</h1>\n<p id=\"period\">").append(esc(r.directory())).append(": <b id=\"calls\">")
        .append(calls).append("</b> calls");
    if (calls > 0) {
      b.append(", ").append(IsoTimestamp.format(r.firstNanos)).append(" to ").append(IsoTimestamp.format(r.lastNanos));
    }
    b.append(", <b id=\"alert-events\">").append(r.alerts.size()).append("</b> alert events</p>\n");

    b.append("<h2>Per subject</h2>\n<table id=\"subjects\"><tr><th>subject</th><th>calls</th><th>err%</th>")
        .append("<th>refuse%</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>ttfc p50 ms</th><th>tokens in</th>")
        .append("<th>tokens out</th><th>cost $</th><th>accepted%</th></tr>\n");
    for (Report.Subject s : r.subjects.values()) {
      b.append("<tr><td>").append(esc(s.name())).append("</td><td>").append(s.calls).append("</td><td>")
          .append(Report.f("%.1f", 100.0 * s.errors / s.calls)).append("</td><td>")
          .append(Report.f("%.1f", 100.0 * s.refusals / s.calls)).append("</td><td>")
          .append(Report.f("%.1f", ReportText.ms(s.latencyMicros, 50))).append("</td><td>")
          .append(Report.f("%.1f", ReportText.ms(s.latencyMicros, 95))).append("</td><td>")
          .append(Report.f("%.1f", ReportText.ms(s.latencyMicros, 99))).append("</td><td>")
          .append(s.firstChunkMicros.getTotalCount() == 0 ? "-" : Report.f("%.1f", ReportText.ms(s.firstChunkMicros, 50)))
          .append("</td><td>").append(s.inputTokens).append("</td><td>").append(s.outputTokens).append("</td><td>")
          .append(s.priced ? Report.f("%.6f", s.cost) : "-").append("</td><td>")
          .append(s.feedback == 0 ? "-" : Report.f("%.1f", 100.0 * s.accepted / s.feedback)).append("</td></tr>\n");
    }
    b.append("</table>\n");

    b.append("<h2>Mean latency over the period</h2>\n").append(chart(r));

    b.append("<h2>Drift: ").append(esc(r.sides()[0])).append(" against ").append(esc(r.sides()[1]))
        .append("</h2>\n<table id=\"drift\"><tr><th>subject</th><th>latency</th>")
        .append("<th>output tokens</th><th>refusals</th></tr>\n");
    DriftSettings rule = DriftSettings.defaults();
    for (Report.Subject s : r.subjects.values()) {
      b.append("<tr><td>").append(esc(s.name())).append("</td>");
      if (s.latency == null || s.latency.referenceValues() < 30 || s.latency.currentValues() < 30) {
        b.append("<td colspan=\"3\">too few calls to compare</td></tr>\n");
        continue;
      }
      cell(b, ReportText.line("", s.latency, rule, 1), s.latency.drifted(rule));
      cell(b, ReportText.line("", s.tokens, rule, 0), s.tokens.drifted(rule));
      double[] refusals = Report.refusalShift(s);
      boolean rose = refusals[2] < rule.alpha && refusals[1] > refusals[0];
      cell(b, Report.f("%.1f%% -> %.1f%%%s", 100 * refusals[0], 100 * refusals[1], rose ? " ROSE" : ""), rose);
      b.append("</tr>\n");
    }
    b.append("</table>\n");

    b.append("<h2>Alerts</h2>\n");
    if (r.alerts.isEmpty()) {
      b.append("<p>None.</p>\n");
    } else {
      b.append("<table id=\"alerts\"><tr><th>time</th><th>state</th><th>severity</th><th>rule</th><th>message</th></tr>\n");
      for (Map<String, Object> a : r.alerts) {
        b.append("<tr class=\"").append(esc(String.valueOf(a.get("state")))).append("\"><td>")
            .append(esc(String.valueOf(a.get("time")))).append("</td><td>").append(esc(String.valueOf(a.get("state"))))
            .append("</td><td>").append(esc(String.valueOf(a.get("severity")))).append("</td><td>")
            .append(esc(String.valueOf(a.get("rule")))).append("</td><td style=\"text-align:left\">")
            .append(esc(String.valueOf(a.get("message")))).append("</td></tr>\n");
      }
      b.append("</table>\n");
    }
    b.append("</body></html>\n");
    return b.toString();
  }

  private static void cell(StringBuilder b, String text, boolean drifted) {
    b.append("<td").append(drifted ? " class=\"drift\"" : "").append('>').append(esc(text.trim())).append("</td>");
  }

  /** One polyline per subject: its mean latency in each of the period's buckets that had calls. */
  private static String chart(Report r) {
    int w = 720;
    int h = 240;
    double max = 0;
    for (Report.Subject s : r.subjects.values()) {
      for (int i = 0; i < Report.BUCKETS; i++) {
        if (s.bucketCount[i] > 0) {
          max = Math.max(max, s.bucketSum[i] / s.bucketCount[i]);
        }
      }
    }
    StringBuilder b = new StringBuilder();
    b.append("<svg id=\"latency-chart\" viewBox=\"0 0 ").append(w + 60).append(' ')
        .append(h + 40).append("\" width=\"100%\" style=\"max-width:").append(w + 60).append("px\">")
        .append("<line x1=\"50\" y1=\"10\" x2=\"50\" y2=\"").append(h + 10).append("\" stroke=\"#888\"/>")
        .append("<line x1=\"50\" y1=\"").append(h + 10).append("\" x2=\"").append(w + 50).append("\" y2=\"")
        .append(h + 10).append("\" stroke=\"#888\"/>")
        .append("<text x=\"4\" y=\"16\" font-size=\"11\">").append(Report.f("%.0f ms", max)).append("</text>")
        .append("<text x=\"4\" y=\"").append(h + 10).append("\" font-size=\"11\">0</text>");
    int colour = 0;
    for (Report.Subject s : r.subjects.values()) {
      StringBuilder points = new StringBuilder();
      for (int i = 0; i < Report.BUCKETS; i++) {
        if (s.bucketCount[i] == 0) {
          continue;
        }
        double mean = s.bucketSum[i] / s.bucketCount[i];
        double x = 50 + (i + 0.5) * w / Report.BUCKETS;
        double y = 10 + h - (max == 0 ? 0 : mean / max * h);
        points.append(Report.f("%.1f,%.1f ", x, y));
      }
      String c = COLOURS[colour++ % COLOURS.length];
      b.append("<polyline fill=\"none\" stroke=\"").append(c).append("\" stroke-width=\"2\" points=\"")
          .append(points.toString().trim()).append("\"><title>").append(esc(s.name())).append("</title></polyline>");
      for (String point : points.toString().trim().split(" ")) { // a subject of one bucket is a dot, not nothing
        if (!point.isEmpty()) {
          int comma = point.indexOf(',');
          b.append("<circle r=\"2.5\" fill=\"").append(c).append("\" cx=\"").append(point, 0, comma)
              .append("\" cy=\"").append(point.substring(comma + 1)).append("\"/>");
        }
      }
    }
    b.append("</svg>\n<ul>");
    colour = 0;
    for (Report.Subject s : r.subjects.values()) {
      b.append("<li><span style=\"color:").append(COLOURS[colour++ % COLOURS.length]).append("\">&#9632;</span> ")
          .append(esc(s.name())).append("</li>");
    }
    return b.append("</ul>\n").toString();
  }

  static String esc(String s) {
    StringBuilder b = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<':
          b.append("&lt;");
          break;
        case '>':
          b.append("&gt;");
          break;
        case '&':
          b.append("&amp;");
          break;
        case '"':
          b.append("&quot;");
          break;
        default:
          b.append(c);
      }
    }
    return b.toString();
  }
}
