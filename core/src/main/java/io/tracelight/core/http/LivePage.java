package io.tracelight.core.http;

import io.tracelight.core.alert.Alert;
import io.tracelight.core.export.IsoTimestamp;
import io.tracelight.core.metrics.LiveMetrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The live page at {@code /}: per model (provider, model, version, deployment label) its calls,
 * error and refusal rates, latency and time-to-first-chunk percentiles over the last minutes,
 * tokens and cost with their rates, a latency chart per minute, then the alerts firing and the
 * latest calls (metadata only: the page never shows text). One self-contained page: inline style
 * and SVG, no script, nothing fetched; it reloads itself every five seconds and fits a phone.
 * Numbers carry ids ({@code calls-<n>}, ...) so a browser test can read them. Stateless; renders
 * under the registry's lock.
 */
public final class LivePage {
  private LivePage() {}

  /** The calls of one model, its series (one per status) together. */
  static final class Model {
    final String name;
    final List<LiveMetrics.Series> series = new ArrayList<>();
    long calls;
    long errors;
    long refusals;
    long inputTokens;
    long outputTokens;
    double cost;
    boolean priced;

    Model(String name) {
      this.name = name;
    }
  }

  public static String render(LiveMetrics live, PrometheusFormat.Health health, long nowNanos, long nowEpochNanos) {
    StringBuilder b = new StringBuilder(16 * 1024);
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<meta http-equiv=\"refresh\" content=\"5\"><title>Tracelight live</title><style>")
        .append("body{font:14px/1.4 system-ui,sans-serif;margin:1em;color:#222}h1{font-size:1.3em}")
        .append("h2{font-size:1.1em;margin-top:1.5em}table{border-collapse:collapse;width:100%;margin:.5em 0}")
        .append("td,th{padding:.25em .5em;border-bottom:1px solid #ddd;text-align:right;white-space:nowrap}")
        .append("td:first-child,th:first-child{text-align:left}.wrap{overflow-x:auto}.bad{color:#b00020}")
        .append(".muted{color:#777}svg{max-width:100%}#latest td:nth-child(2),#latest th:nth-child(2){text-align:left}")
        .append("</style></head><body>\n");
    b.append("<h1>Tracelight live</h1><p class=\"muted\">").append(IsoTimestamp.format(nowEpochNanos))
        .append(": calls, errors and refusals (of all calls) since the agent started; percentiles and rates over")
        .append(" the current minute and the ").append(LiveMetrics.WINDOW_MINUTES - 1)
        .append(" before it. Reloads every 5 s.</p>\n");
    List<Alert> firing = health.firing(); // before the registry's lock: the alert book has its own
    synchronized (live) {
      List<Model> models = models(live);
      long total = 0;
      for (Model m : models) {
        total += m.calls;
      }
      b.append("<p><b id=\"calls-total\">").append(total).append("</b> AI calls</p>\n");
      b.append("<div class=\"wrap\"><table id=\"models\"><tr><th>model</th><th>calls</th><th>errors</th>")
          .append("<th>refusals</th><th>p50</th><th>p95</th><th>p99</th><th>ttfc p50</th><th>tokens in/out</th>")
          .append("<th>tokens/min</th><th>cost $</th><th>$/hour</th></tr>\n");
      for (int i = 0; i < models.size(); i++) {
        Model m = models.get(i);
        double[] q = live.mergedQuantiles(m.series, false, nowNanos);
        double[] ttfc = live.mergedQuantiles(m.series, true, nowNanos);
        double[] spent = live.spent(m.series, nowNanos);
        double minutes = live.windowSeconds(nowNanos) / 60;
        b.append("<tr><td id=\"model-").append(i).append("\">").append(esc(m.name)).append("</td>");
        cell(b, "calls-" + i, Long.toString(m.calls));
        cell(b, "errors-" + i, percent(m.errors, m.calls));
        cell(b, "refusals-" + i, percent(m.refusals, m.calls));
        cell(b, "p50-" + i, q == null ? "-" : ms(q[0]));
        cell(b, "p95-" + i, q == null ? "-" : ms(q[2]));
        cell(b, "p99-" + i, q == null ? "-" : ms(q[3]));
        cell(b, "ttfc-" + i, ttfc == null ? "-" : ms(ttfc[0]));
        cell(b, "tokens-" + i, m.inputTokens + " / " + m.outputTokens);
        cell(b, "tokens-rate-" + i, String.format(Locale.ROOT, "%.0f", spent[0] / minutes));
        cell(b, "cost-" + i, m.priced ? String.format(Locale.ROOT, "%.6f", m.cost) : "-");
        cell(b, "cost-rate-" + i, m.priced ? String.format(Locale.ROOT, "%.4f", spent[1] * 60 / minutes) : "-");
        b.append("</tr>\n");
      }
      b.append("</table></div>\n");
      b.append("<h2>Latency per minute (p50 solid, p95 dashed)</h2>\n");
      chart(b, live, models, nowNanos);
      alerts(b, firing);
      latest(b, live);
    }
    b.append("</body></html>\n");
    return b.toString();
  }

  private static List<Model> models(LiveMetrics live) {
    Map<String, Model> byName = new LinkedHashMap<>();
    for (LiveMetrics.Series s : live.series()) {
      String name = s.labels[0] + " " + s.labels[1] + (s.labels[4].isEmpty() ? "" : " v" + s.labels[4])
          + (s.labels[5].isEmpty() ? "" : " [" + s.labels[5] + "]");
      Model m = byName.get(name);
      if (m == null) {
        m = new Model(name);
        byName.put(name, m);
      }
      m.series.add(s);
      m.calls += s.calls;
      m.errors += "error".equals(s.labels[3]) ? s.calls : 0;
      m.refusals += s.flagged[0];
      m.inputTokens += (long) s.inputTokens.sum;
      m.outputTokens += (long) s.outputTokens.sum;
      m.cost += s.cost;
      m.priced |= s.priced;
    }
    return new ArrayList<>(byName.values());
  }

  private static void chart(StringBuilder b, LiveMetrics live, List<Model> models, long nowNanos) {
    int w = 600;
    int h = 160;
    double max = 0;
    List<double[][]> lines = new ArrayList<>();
    for (Model m : models) {
      double[][] perMinute = live.perMinute(m.series, nowNanos);
      lines.add(perMinute);
      for (double[] p : perMinute) {
        if (p[1] == p[1]) {
          max = Math.max(max, p[1]);
        }
      }
    }
    b.append("<svg id=\"latency-chart\" viewBox=\"0 0 ").append(w + 60).append(' ').append(h + 30)
        .append("\" role=\"img\"><title>latency per minute</title>");
    b.append("<text x=\"0\" y=\"12\" font-size=\"11\">").append(max == 0 ? "-" : ms(max)).append(" ms</text>")
        .append("<text x=\"0\" y=\"").append(h + 5).append("\" font-size=\"11\">0</text>")
        .append("<text x=\"50\" y=\"").append(h + 25).append("\" font-size=\"11\">").append(LiveMetrics.WINDOW_MINUTES)
        .append(" minutes ago</text><text x=\"").append(w).append("\" y=\"").append(h + 25)
        .append("\" font-size=\"11\" text-anchor=\"end\">now</text>");
    String[] colours = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    for (int i = 0; i < lines.size() && max > 0; i++) {
      for (int q = 0; q < 2; q++) {
        StringBuilder points = new StringBuilder();
        double[][] perMinute = lines.get(i);
        for (int m = 0; m < perMinute.length; m++) {
          double v = perMinute[m][q];
          if (v == v) {
            String x = Integer.toString(50 + m * (w - 50) / (perMinute.length - 1));
            String y = String.format(Locale.ROOT, "%.1f", h - v / max * (h - 10));
            points.append(x).append(',').append(y).append(' ');
            b.append("<circle cx=\"").append(x).append("\" cy=\"").append(y).append("\" r=\"").append(q == 0 ? 4 : 3)
                .append("\" fill=\"").append(q == 0 ? colours[i % colours.length] : "white").append("\" stroke=\"")
                .append(colours[i % colours.length]).append("\"/>"); // a minute alone still shows
          }
        }
        if (points.length() > 0) {
          b.append("<polyline fill=\"none\" stroke=\"").append(colours[i % colours.length]).append("\" stroke-width=\"2\"")
              .append(q == 1 ? " stroke-dasharray=\"5,4\"" : "").append(" points=\"").append(points).append("\"/>");
        }
      }
    }
    b.append("</svg>\n<p>");
    for (int i = 0; i < models.size(); i++) {
      b.append("<span style=\"color:").append(colours[i % colours.length]).append("\">&#9632; ")
          .append(esc(models.get(i).name)).append("</span> ");
    }
    b.append("</p>\n");
  }

  private static void alerts(StringBuilder b, List<Alert> firing) {
    b.append("<h2>Alerts firing: <span id=\"alerts-firing\">").append(firing.size()).append("</span></h2>\n");
    if (firing.isEmpty()) {
      return;
    }
    b.append("<ul id=\"alerts\">");
    for (Alert a : firing) {
      b.append("<li class=\"").append(a.severity == Alert.Severity.INFO ? "muted" : "bad").append("\">")
          .append(Alert.name(a.severity)).append(' ').append(esc(a.rule)).append(": ").append(esc(a.message))
          .append("</li>");
    }
    b.append("</ul>\n");
  }

  private static void latest(StringBuilder b, LiveMetrics live) {
    List<LiveMetrics.Latest> calls = live.latest();
    b.append("<h2>Latest calls</h2>\n<div class=\"wrap\"><table id=\"latest\"><tr><th>time</th><th>model</th>")
        .append("<th>status</th><th>ms</th><th>tokens in/out</th><th>cost $</th></tr>\n");
    for (LiveMetrics.Latest c : calls) {
      String[] l = c.series.labels;
      b.append("<tr><td>").append(c.startEpochNanos == 0 ? "-" : IsoTimestamp.format(c.startEpochNanos).substring(11, 23))
          .append("</td><td>").append(esc(l[0] + " " + l[1])).append("</td><td")
          .append("error".equals(l[3]) ? " class=\"bad\">error" : c.refusal ? " class=\"bad\">refusal" : ">ok")
          .append("</td><td>").append(ms(c.durationNanos / 1e9)).append("</td><td>")
          .append(c.inputTokens == null ? "-" : c.inputTokens.toString()).append(" / ")
          .append(c.outputTokens == null ? "-" : c.outputTokens.toString()).append("</td><td>")
          .append(c.cost == null ? "-" : String.format(Locale.ROOT, "%.6f", c.cost)).append("</td></tr>\n");
    }
    b.append("</table></div>\n");
  }

  private static void cell(StringBuilder b, String id, String value) {
    b.append("<td id=\"").append(id).append("\">").append(esc(value)).append("</td>");
  }

  private static String percent(long part, long whole) {
    return whole == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * part / whole);
  }

  private static String ms(double seconds) {
    return String.format(Locale.ROOT, "%.1f", seconds * 1000);
  }

  static String esc(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<':
          out.append("&lt;");
          break;
        case '>':
          out.append("&gt;");
          break;
        case '&':
          out.append("&amp;");
          break;
        case '"':
          out.append("&quot;");
          break;
        default:
          out.append(c);
      }
    }
    return out.toString();
  }
}
