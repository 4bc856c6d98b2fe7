package io.tracelight.core.http;

import io.tracelight.core.alert.Alert;
import io.tracelight.core.metrics.LiveMetrics;
import io.tracelight.core.metrics.ModelStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live metrics as a Prometheus scrape body: the text format 0.0.4, or OpenMetrics 1.0.0 when
 * the scraper asks for it (as Prometheus does). The two differ in a counter's family name (without
 * {@code _total} in OpenMetrics), the {@code # UNIT} lines and the closing {@code # EOF}. Names and
 * labels are those the OpenTelemetry Collector gives the agent's OTLP metrics, so one dashboard
 * and one set of rules serve both routes. Stateless; the caller renders under the registry's lock.
 */
public final class PrometheusFormat {
  public static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  public static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";

  /** What the agent says about itself beside the calls. */
  public interface Health {
    long droppedCalls();

    long internalErrors();

    long queueDepth();

    long bytesInFlight();

    /** Alert episodes open now. */
    List<Alert> firing();
  }

  private final boolean openMetrics;
  private final StringBuilder b;
  /** The last body's length: the next one starts that large instead of growing by copies. */
  private static volatile int lastLength = 16 * 1024;
  /** The bucket bounds as the {@code le} label writes them, per bounds array. */
  private static final java.util.Map<double[], String[]> LE = new java.util.IdentityHashMap<>();

  static {
    for (double[] bounds : new double[][] {io.tracelight.core.metrics.GenAiMetrics.SECONDS_BOUNDS,
        io.tracelight.core.metrics.GenAiMetrics.PREDICTION_SECONDS_BOUNDS, io.tracelight.core.metrics.GenAiMetrics.TOKEN_BOUNDS}) {
      String[] le = new String[bounds.length + 1];
      for (int i = 0; i < bounds.length; i++) {
        le[i] = ",le=\"" + java.math.BigDecimal.valueOf(bounds[i]).stripTrailingZeros().toPlainString() + "\"} ";
      }
      le[bounds.length] = ",le=\"+Inf\"} ";
      LE.put(bounds, le);
    }
  }

  private PrometheusFormat(boolean openMetrics) {
    this.openMetrics = openMetrics;
    this.b = new StringBuilder(lastLength + lastLength / 8);
  }

  /** Whether an {@code Accept} header asks for OpenMetrics. */
  public static boolean wantsOpenMetrics(String accept) {
    return accept != null && accept.contains("application/openmetrics-text");
  }

  /** The whole body; takes the registry's lock while it reads it. */
  public static String render(LiveMetrics live, Health health, boolean openMetrics, long nowNanos) {
    PrometheusFormat f = new PrometheusFormat(openMetrics);
    synchronized (live) {
      f.calls(live, nowNanos);
    }
    f.agent(live, health);
    if (openMetrics) {
      f.b.append("# EOF\n");
    }
    lastLength = f.b.length();
    return f.b.toString();
  }

  private void calls(LiveMetrics live, long nowNanos) {
    if (live.series().isEmpty()) {
      return;
    }
    histogram(live, "gen_ai_client_operation_duration_seconds", "seconds", "GenAI operation duration.", 0);
    histogram(live, "ai_prediction_duration_seconds", "seconds",
        "Duration of a prediction by a model that is not generative.", 1);
    histogram(live, "gen_ai_client_operation_time_to_first_chunk_seconds", "seconds",
        "Time to receive the first chunk in a streaming operation.", 2);
    family("gen_ai_client_token_usage", "histogram", null, "Number of input and output tokens used.");
    for (LiveMetrics.Series s : live.series()) {
      buckets("gen_ai_client_token_usage", s.labels, "gen_ai_token_type", "input", s.inputTokens);
      buckets("gen_ai_client_token_usage", s.labels, "gen_ai_token_type", "output", s.outputTokens);
    }
    window(live, "ai_client_operation_duration_window_seconds",
        "Latency quantiles over the current minute and the " + (LiveMetrics.WINDOW_MINUTES - 1)
            + " before it (HdrHistogram).", false, nowNanos);
    window(live, "ai_client_time_to_first_chunk_window_seconds",
        "Time to first chunk quantiles over the current minute and the " + (LiveMetrics.WINDOW_MINUTES - 1)
            + " before it (HdrHistogram).", true, nowNanos);
    counterFamily("ai_client_calls", "AI calls recorded, by outcome (ai_status).");
    for (LiveMetrics.Series s : live.series()) {
      sample("ai_client_calls_total", s.labels, null, null, s.calls);
    }
    counterFamily("ai_client_tokens", "Tokens the providers counted, by type.");
    for (LiveMetrics.Series s : live.series()) {
      if (s.inputTokens.count > 0) {
        sample("ai_client_tokens_total", s.labels, "gen_ai_token_type", "input", s.inputTokens.sum);
      }
      if (s.outputTokens.count > 0) {
        sample("ai_client_tokens_total", s.labels, "gen_ai_token_type", "output", s.outputTokens.sum);
      }
    }
    counterFamily("ai_client_cost_usd", "Spend on AI calls from the price table, USD.");
    for (LiveMetrics.Series s : live.series()) {
      if (s.priced) {
        sample("ai_client_cost_usd_total", s.labels, null, null, s.cost);
      }
    }
    counterFamily("ai_client_answers_flagged", "AI calls whose answer was refused, truncated, empty, not the JSON "
        + "asked for, had invalid tool calls or was flagged by the provider's safety system.");
    for (LiveMetrics.Series s : live.series()) {
      for (int f = 0; f < s.flagged.length; f++) {
        if (s.flagged[f] > 0) {
          sample("ai_client_answers_flagged_total", s.labels, "ai_output_flag", ModelStats.QUALITY_FLAGS[f], s.flagged[f]);
        }
      }
    }
  }

  /** @param which 0 an operation's duration, 1 a prediction's, 2 time to first chunk */
  private void histogram(LiveMetrics live, String name, String unit, String help, int which) {
    boolean any = false;
    for (LiveMetrics.Series s : live.series()) {
      any |= which == 2 ? s.firstChunk.count > 0 : s.prediction == (which == 1);
    }
    if (!any) {
      return;
    }
    family(name, "histogram", unit, help);
    for (LiveMetrics.Series s : live.series()) {
      if (which == 2) {
        if (s.firstChunk.count > 0) {
          buckets(name, s.labels, null, null, s.firstChunk);
        }
      } else if (s.prediction == (which == 1)) {
        buckets(name, s.labels, null, null, s.duration);
      }
    }
  }

  private void window(LiveMetrics live, String name, String help, boolean firstChunk, long nowNanos) {
    boolean started = false;
    for (LiveMetrics.Series s : live.series()) {
      double[] q = live.windowQuantiles(s, firstChunk, nowNanos);
      if (q == null) {
        continue;
      }
      if (!started) {
        family(name, "summary", "seconds", help);
        started = true;
      }
      for (int i = 0; i < LiveMetrics.QUANTILES.length; i++) { // no _count or _sum: a window's are not counters
        sample(name, s.labels, "quantile", Double.toString(LiveMetrics.QUANTILES[i]), q[i]);
      }
    }
  }

  private void agent(LiveMetrics live, Health health) {
    Map<List<String>, long[]> open = new LinkedHashMap<>();
    for (Alert a : health.firing()) {
      List<String> key = java.util.Arrays.asList(a.rule, a.signal, Alert.name(a.severity), a.subject.provider,
          a.subject.model, a.subject.version == null ? "" : a.subject.version,
          a.subject.deployment == null ? "" : a.subject.deployment);
      long[] n = open.get(key);
      if (n == null) {
        open.put(key, new long[] {1});
      } else {
        n[0]++;
      }
    }
    family("ai_alerts_firing", "gauge", null, "Tracelight alert episodes open now (drift, rates, volume, cost).");
    for (Map.Entry<List<String>, long[]> e : open.entrySet()) {
      List<String> k = e.getKey();
      b.append("ai_alerts_firing{ai_alert_rule=\"").append(escape(k.get(0))).append("\",ai_alert_signal=\"")
          .append(escape(k.get(1))).append("\",ai_alert_severity=\"").append(k.get(2))
          .append("\",gen_ai_provider_name=\"").append(escape(k.get(3))).append("\",gen_ai_request_model=\"")
          .append(escape(k.get(4))).append("\",ai_model_version=\"").append(escape(k.get(5)))
          .append("\",ai_deployment=\"").append(escape(k.get(6))).append("\"} ").append(e.getValue()[0]).append('\n');
    }
    counterFamily("ai_agent_dropped_calls", "Calls dropped because the agent's queue was full.");
    b.append("ai_agent_dropped_calls_total ").append(health.droppedCalls()).append('\n');
    counterFamily("ai_agent_internal_errors", "Failures inside the agent (the application never sees them).");
    b.append("ai_agent_internal_errors_total ").append(health.internalErrors()).append('\n');
    counterFamily("ai_agent_metric_series_folded",
        "Calls counted under 'other' because tracelight.metrics.max-series label sets were taken.");
    b.append("ai_agent_metric_series_folded_total ").append(live.folded()).append('\n');
    family("ai_agent_queue_depth", "gauge", null, "Calls waiting in the agent's queue.");
    b.append("ai_agent_queue_depth ").append(health.queueDepth()).append('\n');
    family("ai_agent_capture_bytes", "gauge", "bytes", "Bytes of request and response bodies held by calls under way.");
    b.append("ai_agent_capture_bytes ").append(health.bytesInFlight()).append('\n');
  }

  private void counterFamily(String base, String help) {
    family(openMetrics ? base : base + "_total", "counter", null, help);
  }

  private void family(String name, String type, String unit, String help) {
    b.append("# HELP ").append(name).append(' ').append(help).append('\n');
    b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    if (openMetrics && unit != null) {
      b.append("# UNIT ").append(name).append(' ').append(unit).append('\n');
    }
  }

  private void buckets(String name, String[] labels, String extraName, String extraValue, io.tracelight.core.metrics.ExplicitBuckets h) {
    if (h.count == 0) {
      return;
    }
    long cumulative = 0;
    String[] le = LE.get(h.bounds);
    int start = b.length();
    b.append(name).append("_bucket");
    labels(labels, extraName, extraValue);
    b.setLength(b.length() - 1); // the braces reopened for le
    String prefix = b.substring(start); // name and labels, once per histogram
    b.setLength(start);
    for (int i = 0; i <= h.bounds.length; i++) {
      cumulative += h.counts[i];
      b.append(prefix).append(le[i]).append(cumulative).append('\n');
    }
    sample(name + "_sum", labels, extraName, extraValue, h.sum);
    b.append(name).append("_count");
    labels(labels, extraName, extraValue);
    b.append(' ').append(h.count).append('\n');
  }

  private String[] lastValues;
  private String lastLabels;

  private void sample(String name, String[] labels, String extraName, String extraValue, double value) {
    b.append(name);
    labels(labels, extraName, extraValue);
    b.append(' ').append(number(value)).append('\n');
  }

  private void sample(String name, String[] labels, String extraName, String extraValue, long value) {
    b.append(name);
    labels(labels, extraName, extraValue);
    b.append(' ').append(value).append('\n');
  }

  private void labels(String[] values, String extraName, String extraValue) {
    b.append('{');
    if (values != lastValues) { // a series' lines come together: its labels are escaped once
      StringBuilder l = new StringBuilder(160);
      for (int i = 0; i < values.length; i++) {
        l.append(LiveMetrics.LABELS[i]).append("=\"").append(escape(values[i])).append("\",");
      }
      lastValues = values;
      lastLabels = l.toString();
    }
    b.append(lastLabels);
    if (extraName != null) {
      b.append(extraName).append("=\"").append(escape(extraValue)).append("\",");
    }
    b.setCharAt(b.length() - 1, '}');
  }

  /** A float as both formats read it: integers without a fraction, the rest as Java prints doubles. */
  static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return Double.toString(v);
  }

  /** A label value escaped: backslash, double quote and line feed. */
  static String escape(String v) {
    if (v.indexOf('\\') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) {
      return v;
    }
    return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
