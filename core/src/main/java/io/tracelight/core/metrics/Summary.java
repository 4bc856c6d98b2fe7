package io.tracelight.core.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tracelight.core.protocol.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;

/** The end-of-run report: a table on stderr and the same numbers in {@code summary.json}. */
public final class Summary {
  private static final String LINE = System.lineSeparator();
  /** Column widths; a negative width aligns left. */
  private static final int[] WIDTHS = {-18, -26, -16, 6, 6, 7, 9, 9, 9, 9, 9, 9, 9, 9, 10};

  private final List<ModelStats> stats;
  private final long dropped;
  private final long internalErrors;
  private final long unwritten;
  private final long underWay;
  private final long bytesHeld;
  private final long notAiCalls;
  private final List<Object[]> counts = new java.util.ArrayList<>();

  public Summary(List<ModelStats> stats, long dropped, long internalErrors, long unwritten, long underWay,
      long bytesHeld, long notAiCalls) {
    this.underWay = underWay;
    this.notAiCalls = notAiCalls;
    this.stats = stats;
    this.dropped = dropped;
    this.internalErrors = internalErrors;
    this.unwritten = unwritten;
    this.bytesHeld = bytesHeld;
  }

  /**
   * Adds a count another part reports (an exporter's, the host agent's): in {@code summary.json}
   * under {@code key}, and on the summary line as "{value} {words}" when it is not zero.
   */
  public Summary count(String key, String words, long value) {
    counts.add(new Object[] {key, words, value});
    return this;
  }

  public void print(PrintStream out, String recordsLocation) {
    long calls = 0;
    for (ModelStats s : stats) {
      calls += s.calls();
    }
    // Padded by hand: String.format would load the formatter and the locale data at exit.
    StringBuilder b = new StringBuilder();
    b.append("[tracelight] summary: ").append(calls).append(" AI calls, ").append(dropped).append(" dropped, ")
        .append(unwritten).append(" not written, ");
    if (underWay > 0) { // calls whose end never came before exit: said only when there are some
      b.append(underWay).append(" still under way at exit, ");
    }
    for (Object[] c : counts) {
      if ((Long) c[2] != 0) {
        b.append(c[2]).append(' ').append(c[1]).append(", ");
      }
    }
    b.append(internalErrors).append(" internal errors; records: ").append(recordsLocation).append(LINE);
    if (!stats.isEmpty()) {
      row(b, "provider", "model", "op", "calls", "err%", "refuse%", "p50 ms", "p95 ms", "p99 ms", "max ms", "ttfc p50",
          "ttfc p95", "tok in", "tok out", "cost $");
      for (ModelStats s : stats) {
        Histogram d = s.durations();
        Histogram f = s.firstChunks();
        boolean prediction = s.predictions != null;
        row(b, s.provider, s.version == null ? s.model : s.model + ":" + s.version, s.operation,
            Long.toString(s.calls()), errorPercent(s) + "%", prediction ? "-" : percent(s.quality(0), s.calls()) + "%",
            ms(d, 50), ms(d, 95), ms(d, 99), max(d),
            ms(f, 50), ms(f, 95), prediction ? "-" : Long.toString(s.inputTokens()),
            prediction ? "-" : Long.toString(s.outputTokens()), costCell(s));
      }
      for (ModelStats s : stats) {
        if (s.predictions != null) {
          predictionLines(b, s);
        }
      }
      spendLine(b);
      feedbackLine(b);
    }
    alertLines(b);
    out.print(b);
    out.flush();
  }

  /**
   * Under the table, per prediction model: its first window and its latest, each as the share of
   * rows per predicted class, the mean top-1 probability and the regressed values' mean.
   */
  private static void predictionLines(StringBuilder b, ModelStats s) {
    List<PredictionWindows.Window> windows = s.predictions.windows();
    long rows = 0;
    for (PredictionWindows.Window w : windows) {
      rows += w.rows;
    }
    if (rows == 0) {
      return; // failed calls only, or outputs the agent could not read: the table row says enough
    }
    String name = s.version == null ? s.model : s.model + ":" + s.version;
    b.append("[tracelight] predictions of ").append(name).append(" (").append(s.provider).append("), windows of ")
        .append(s.predictions.windowCalls()).append(" calls:").append(LINE);
    windowLine(b, windows.get(0));
    if (windows.size() > 1) {
      windowLine(b, windows.get(windows.size() - 1));
    }
    List<FeatureSketches.Sketch> features = s.features.snapshot();
    if (!features.isEmpty()) {
      b.append("  features (median, 5th to 95th percentile):");
      int shown = 0;
      for (FeatureSketches.Sketch f : features) {
        if (shown++ == 8) {
          b.append(" ... ").append(features.size() - 8).append(" more in summary.json");
          break;
        }
        b.append(' ').append(f.name).append(' ').append(twoDigits(f.p50)).append(" (").append(twoDigits(f.p5))
            .append("..").append(twoDigits(f.p95)).append(')');
      }
      b.append(LINE);
    }
  }

  private static void windowLine(StringBuilder b, PredictionWindows.Window w) {
    b.append("  window ").append(w.index).append(": ").append(w.calls).append(" calls, ").append(w.rows).append(" rows");
    long classified = 0;
    for (Long n : w.classes.values()) {
      classified += n;
    }
    if (classified > 0) {
      b.append("; classes");
      for (java.util.Map.Entry<String, Long> e : w.classes.entrySet()) {
        b.append(' ').append(e.getKey()).append(' ').append(tenths((e.getValue() * 2000 + classified) / (2 * classified)))
            .append('%');
      }
    }
    if (w.confidenceRows() > 0) {
      b.append("; mean confidence ").append(twoDecimals(w.confidenceSum / w.confidenceRows()));
    }
    if (w.values > 0) {
      b.append("; value mean ").append(shortNumber(w.valueSum / w.values)).append(" min ")
          .append(shortNumber(w.valueMin)).append(" max ").append(shortNumber(w.valueMax));
    }
    b.append(LINE);
  }

  /** Two significant digits: what the feature sketches hold. */
  static String twoDigits(double v) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return "-";
    }
    return new java.math.BigDecimal(v).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString();
  }

  /** At most four decimals, without loading the formatter. */
  static String shortNumber(double v) {
    double rounded = Math.round(v * 10000) / 10000.0;
    return rounded == Math.rint(rounded) && Math.abs(rounded) < 1e15 ? Long.toString((long) rounded)
        : Double.toString(rounded);
  }

  /** Alert events to list (the first ones the book kept), and where all of them are; set by the drift stage's owner. */
  private List<io.tracelight.core.alert.Alert> alerts = java.util.Collections.emptyList();
  private String alertsLocation;
  /** Alert events listed on the terminal at most; summary.json and the file have them all. */
  static final int ALERT_LINES = 8;

  public Summary alerts(List<io.tracelight.core.alert.Alert> events, String location) {
    this.alerts = events;
    this.alertsLocation = location;
    return this;
  }

  /** One line per alert event (the first few), under the table. */
  private void alertLines(StringBuilder b) {
    if (alerts.isEmpty()) {
      return;
    }
    b.append("[tracelight] alerts");
    if (alertsLocation != null) {
      b.append(" (").append(alertsLocation).append(')');
    }
    b.append(':').append(LINE);
    int shown = 0;
    for (io.tracelight.core.alert.Alert a : alerts) {
      if (shown++ == ALERT_LINES) {
        b.append("  ... ").append(alerts.size() - ALERT_LINES).append(" more").append(LINE);
        break;
      }
      b.append("  ").append(io.tracelight.core.alert.Alert.name(a.state)).append(' ')
          .append(io.tracelight.core.alert.Alert.name(a.severity)).append(' ').append(a.rule).append(": ")
          .append(a.message).append(a.response == null ? "" : " (" + a.response + ")").append(LINE);
    }
  }

  /** Models with no price for some calls, {@code provider/model} to calls; set by the cost stage's owner. */
  private java.util.Map<String, Integer> unpriced = java.util.Collections.emptyMap();

  public Summary unpriced(java.util.Map<String, Integer> models) {
    this.unpriced = models;
    return this;
  }

  private double totalCost() {
    double total = 0;
    for (ModelStats s : stats) {
      total += s.costTotal();
    }
    return total;
  }

  /** Total spend, and once each model the price table does not know. */
  private void spendLine(StringBuilder b) {
    boolean priced = false;
    for (ModelStats s : stats) {
      priced |= s.pricedCalls() > 0;
    }
    if (!priced && unpriced.isEmpty()) {
      return;
    }
    b.append("[tracelight] spend: $").append(usd(totalCost()));
    if (!unpriced.isEmpty()) {
      b.append("; no price for ");
      boolean first = true;
      for (java.util.Map.Entry<String, Integer> e : unpriced.entrySet()) {
        b.append(first ? "" : ", ").append(e.getKey()).append(" (").append(e.getValue())
            .append(e.getValue() == 1 ? " call)" : " calls)");
        first = false;
      }
      b.append(": add it with tracelight.pricing.file or tracelight.pricing.aliases");
    }
    b.append(LINE);
  }

  /** The model's spend; {@code ?} when its calls had no price, {@code -} when none had tokens. */
  private static String costCell(ModelStats s) {
    if (s.pricedCalls() > 0) {
      return usd(s.costTotal()) + (s.unpricedCalls() > 0 ? "+?" : "");
    }
    return s.unpricedCalls() > 0 ? "?" : "-";
  }

  /**
   * Dollars with six decimals under a cent (one call's spend is often a few millionths), four under
   * $1000, two above; by hand (the formatter would load locale data at exit).
   */
  static String usd(double v) {
    int decimals = v < 0.01 ? 6 : v < 1000 ? 4 : 2;
    long scale = decimals == 6 ? 1_000_000L : decimals == 4 ? 10_000L : 100L;
    long units = Math.round(v * scale);
    String frac = Long.toString(units % scale);
    return (units / scale) + "." + "000000".substring(0, decimals - frac.length()) + frac;
  }

  private static String twoDecimals(double v) {
    long hundredths = Math.round(v * 100);
    return (hundredths / 100) + "." + (hundredths % 100 < 10 ? "0" : "") + (hundredths % 100);
  }

  private static void row(StringBuilder b, String... cells) {
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        b.append(' ');
      }
      int width = Math.abs(WIDTHS[i]);
      if (WIDTHS[i] > 0) {
        spaces(b, width - cells[i].length());
      }
      b.append(cells[i]);
      if (WIDTHS[i] < 0) {
        spaces(b, width - cells[i].length());
      }
    }
    b.append(LINE);
  }

  private static void spaces(StringBuilder b, int n) {
    for (int i = 0; i < n; i++) {
      b.append(' ');
    }
  }

  public void writeJson(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream os = Files.newOutputStream(file)) {
      writeJson(os);
    }
  }

  /** The {@code summary.json} content; leaves {@code os} open. */
  public void writeJson(OutputStream os) throws IOException {
    try (JsonGenerator g = Json.FACTORY.createGenerator(os).useDefaultPrettyPrinter()) {
      g.writeStartObject();
      g.writeNumberField("dropped", dropped);
      g.writeNumberField("not_written", unwritten);
      g.writeNumberField("under_way_at_exit", underWay);
      g.writeNumberField("internal_errors", internalErrors);
      g.writeNumberField("capture_bytes_held", bytesHeld);
      g.writeNumberField("not_ai_calls", notAiCalls);
      g.writeNumberField("cost_usd", totalCost());
      if (!unpriced.isEmpty()) {
        g.writeObjectFieldStart("unpriced_models");
        for (java.util.Map.Entry<String, Integer> e : unpriced.entrySet()) {
          g.writeNumberField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
      }
      for (Object[] c : counts) {
        g.writeNumberField((String) c[0], (Long) c[2]);
      }
      if (!alerts.isEmpty()) {
        g.writeArrayFieldStart("alerts");
        for (io.tracelight.core.alert.Alert a : alerts) {
          a.write(g);
        }
        g.writeEndArray();
      }
      g.writeArrayFieldStart("models");
      for (ModelStats s : stats) {
        Histogram d = s.durations();
        Histogram f = s.firstChunks();
        g.writeStartObject();
        if (s.predictions != null) {
          g.writeStringField("ai.model.runtime", s.provider);
          g.writeStringField("ai.model.name", s.model);
          if (s.version != null) {
            g.writeStringField("ai.model.version", s.version);
          }
          g.writeStringField("ai.operation.name", s.operation);
        } else {
          g.writeStringField("gen_ai.provider.name", s.provider);
          g.writeStringField("gen_ai.request.model", s.model);
          g.writeStringField("gen_ai.operation.name", s.operation);
        }
        g.writeNumberField("calls", s.calls());
        g.writeNumberField("errors", s.errors());
        g.writeNumberField("error_rate", errorRate(s));
        g.writeObjectFieldStart("duration_ms");
        percentiles(g, d, true);
        g.writeEndObject();
        g.writeObjectFieldStart("time_to_first_chunk_ms");
        percentiles(g, f, false);
        g.writeEndObject();
        if (s.predictions != null) {
          predictionsJson(g, s.predictions);
          featuresJson(g, s.features);
        } else {
          g.writeNumberField("input_tokens", s.inputTokens());
          g.writeNumberField("output_tokens", s.outputTokens());
          if (s.pricedCalls() > 0) {
            g.writeObjectFieldStart("cost_usd");
            g.writeNumberField("total", s.costTotal());
            for (int i = 0; i < io.tracelight.core.cost.Pricing.TOKEN_TYPES.length; i++) {
              g.writeNumberField(io.tracelight.core.cost.Pricing.TOKEN_TYPES[i], s.cost(i));
            }
            g.writeEndObject();
          }
          if (s.unpricedCalls() > 0) {
            g.writeNumberField("unpriced_calls", s.unpricedCalls());
          }
          g.writeNumberField("refusal_rate", s.calls() == 0 ? 0 : (double) s.quality(0) / s.calls());
          g.writeObjectFieldStart("answers_flagged");
          for (int i = 0; i < ModelStats.QUALITY_FLAGS.length; i++) {
            g.writeNumberField(ModelStats.QUALITY_FLAGS[i], s.quality(i));
          }
          g.writeEndObject();
        }
        if (s.feedbackCount() + s.outcomeCount() > 0) {
          g.writeObjectFieldStart("feedback");
          g.writeNumberField("count", s.feedbackCount());
          g.writeNumberField("accepted", s.acceptedCount());
          if (s.feedbackCount() > 0) {
            g.writeNumberField("acceptance_rate", (double) s.acceptedCount() / s.feedbackCount());
          }
          g.writeNumberField("outcomes", s.outcomeCount());
          g.writeEndObject();
        }
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  /** One line naming each model's feedback: ratings, the share accepted, outcomes. */
  private void feedbackLine(StringBuilder b) {
    boolean any = false;
    for (ModelStats s : stats) {
      if (s.feedbackCount() + s.outcomeCount() == 0) {
        continue;
      }
      b.append(any ? "; " : "[tracelight] feedback: ").append(s.version == null ? s.model : s.model + ":" + s.version)
          .append(' ').append(s.feedbackCount()).append(" rated");
      if (s.feedbackCount() > 0) {
        b.append(", ").append(percent(s.acceptedCount(), s.feedbackCount())).append("% accepted");
      }
      if (s.outcomeCount() > 0) {
        b.append(", ").append(s.outcomeCount()).append(" outcomes");
      }
      any = true;
    }
    if (any) {
      b.append(LINE);
    }
  }

  private static void featuresJson(JsonGenerator g, FeatureSketches sketches) throws IOException {
    List<FeatureSketches.Sketch> features = sketches.snapshot();
    if (features.isEmpty()) {
      return;
    }
    g.writeArrayFieldStart("features");
    for (FeatureSketches.Sketch f : features) {
      g.writeStartObject();
      g.writeStringField("name", f.name);
      g.writeNumberField("count", f.count);
      g.writeNumberField("mean", f.mean);
      g.writeNumberField("min", f.min);
      g.writeNumberField("p5", f.p5);
      g.writeNumberField("p50", f.p50);
      g.writeNumberField("p95", f.p95);
      g.writeNumberField("max", f.max);
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeNumberField("feature_values_left_out", sketches.leftOut());
  }

  private static void predictionsJson(JsonGenerator g, PredictionWindows predictions) throws IOException {
    g.writeObjectFieldStart("predictions");
    g.writeNumberField("window_calls", predictions.windowCalls());
    g.writeArrayFieldStart("windows");
    for (PredictionWindows.Window w : predictions.windows()) {
      g.writeStartObject();
      g.writeNumberField("index", w.index);
      g.writeNumberField("calls", w.calls);
      g.writeNumberField("rows", w.rows);
      g.writeObjectFieldStart("classes");
      for (java.util.Map.Entry<String, Long> e : w.classes.entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      if (w.confidenceRows() > 0) {
        g.writeObjectFieldStart("confidence");
        g.writeNumberField("rows", w.confidenceRows());
        g.writeNumberField("mean", w.confidenceSum / w.confidenceRows());
        g.writeNumberField("p50_at_most", w.confidencePercentile(50));
        g.writeArrayFieldStart("buckets"); // rows per 0.05 of top-1 probability, from [0, 0.05) to [0.95, 1]
        for (long n : w.confidence) {
          g.writeNumber(n);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      if (w.values > 0) {
        g.writeObjectFieldStart("value");
        g.writeNumberField("rows", w.values);
        g.writeNumberField("mean", w.valueSum / w.values);
        g.writeNumberField("min", w.valueMin);
        g.writeNumberField("max", w.valueMax);
        g.writeEndObject();
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void percentiles(JsonGenerator g, Histogram h, boolean withTail) throws IOException {
    g.writeNumberField("count", h.getTotalCount());
    if (h.getTotalCount() == 0) {
      return;
    }
    g.writeNumberField("p50", h.getValueAtPercentile(50) / 1000.0);
    g.writeNumberField("p95", h.getValueAtPercentile(95) / 1000.0);
    if (withTail) {
      g.writeNumberField("p99", h.getValueAtPercentile(99) / 1000.0);
      g.writeNumberField("max", h.getMaxValue() / 1000.0);
    }
  }

  private static double errorRate(ModelStats s) {
    return s.calls() == 0 ? 0 : (double) s.errors() / s.calls();
  }

  /** Errors per hundred calls, one decimal, rounded half up. */
  private static String errorPercent(ModelStats s) {
    return percent(s.errors(), s.calls());
  }

  /** {@code part} per hundred of {@code whole}, one decimal, rounded half up. */
  private static String percent(long part, long whole) {
    return whole == 0 ? "0.0" : tenths((part * 2000 + whole) / (2 * whole));
  }

  private static String ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? "-" : microsAsMillis(h.getValueAtPercentile(percentile));
  }

  private static String max(Histogram h) {
    return h.getTotalCount() == 0 ? "-" : microsAsMillis(h.getMaxValue());
  }

  /** Microseconds as milliseconds with one decimal, rounded half up. */
  static String microsAsMillis(long micros) {
    return tenths((Math.max(0, micros) + 50) / 100);
  }

  private static String tenths(long tenths) {
    return (tenths / 10) + "." + (tenths % 10);
  }
}
