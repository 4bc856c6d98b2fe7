package io.tracelight.core.export.otlp;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.Log;
import io.tracelight.core.metrics.ExplicitBuckets;
import io.tracelight.core.metrics.GenAiMetrics;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The GenAI client metrics of the semantic conventions, aggregated from decoded calls:
 * {@code gen_ai.client.operation.duration} and {@code gen_ai.client.operation.time_to_first_chunk}
 * (seconds) and {@code gen_ai.client.token.usage} (by {@code gen_ai.token.type}), as explicit-bucket
 * histograms with the conventions' boundaries, keyed by the conventions' attributes. At most
 * {@value #MAX_SERIES} attribute sets are kept; calls beyond them are counted, not aggregated.
 * {@link #record} by the pipeline thread, {@link #encode} by the sender; both under this object's lock.
 */
final class OtlpMetrics {
  static final int MAX_SERIES = 2000;
  /** The bound of each of the alert and feedback metrics' attribute sets. */
  static final int MAX_EVENT_SERIES = 500;
  static final double[] SECONDS_BOUNDS = GenAiMetrics.SECONDS_BOUNDS;
  static final double[] TOKEN_BOUNDS = GenAiMetrics.TOKEN_BOUNDS;

  // ExportMetricsServiceRequest, ResourceMetrics, ScopeMetrics, Metric, Histogram, HistogramDataPoint
  private static final int REQUEST_RESOURCE_METRICS = 1;
  private static final int RESOURCE_METRICS_SCOPE_METRICS = 2;
  private static final int SCOPE_METRICS_METRICS = 2;
  private static final int METRIC_NAME = 1;
  private static final int METRIC_DESCRIPTION = 2;
  private static final int METRIC_UNIT = 3;
  private static final int METRIC_SUM = 7;
  private static final int METRIC_HISTOGRAM = 9;
  private static final int SUM_DATA_POINTS = 1;
  private static final int SUM_TEMPORALITY = 2;
  private static final int SUM_MONOTONIC = 3;
  private static final int NUMBER_START = 2;
  private static final int NUMBER_TIME = 3;
  private static final int NUMBER_AS_DOUBLE = 4;
  private static final int NUMBER_AS_INT = 6;
  private static final int NUMBER_ATTRIBUTES = 7;
  private static final int HISTOGRAM_DATA_POINTS = 1;
  private static final int HISTOGRAM_TEMPORALITY = 2;
  private static final int POINT_START = 2;
  private static final int POINT_TIME = 3;
  private static final int POINT_COUNT = 4;
  private static final int POINT_SUM = 5;
  private static final int POINT_BUCKET_COUNTS = 6;
  private static final int POINT_EXPLICIT_BOUNDS = 7;
  private static final int POINT_ATTRIBUTES = 9;
  private static final int POINT_MIN = 11;
  private static final int POINT_MAX = 12;
  private static final int TEMPORALITY_DELTA = 1;
  private static final int TEMPORALITY_CUMULATIVE = 2;

  /** The conventions' metric attributes of a call. */
  static final class Series {
    final Object[] attributes; // key, value, key, value ...: String values, server.port a Long
    /** A prediction's series: its duration goes to {@code ai.prediction.duration}, with finer buckets. */
    final boolean prediction;
    final ExplicitBuckets duration;
    final ExplicitBuckets firstChunk = new ExplicitBuckets(SECONDS_BOUNDS);
    final ExplicitBuckets perChunk = new ExplicitBuckets(SECONDS_BOUNDS);
    /** Calls with each answer flag ({@code ModelStats.QUALITY_FLAGS}) since the interval began. */
    final long[] flagged = new long[io.tracelight.core.metrics.ModelStats.QUALITY_FLAGS.length];
    boolean anyFlagged;
    final ExplicitBuckets inputTokens = new ExplicitBuckets(TOKEN_BOUNDS);
    final ExplicitBuckets outputTokens = new ExplicitBuckets(TOKEN_BOUNDS);
    /** USD by token type (input, output, cache read, cache write) since the interval began. */
    final double[] cost = new double[4];
    boolean priced;

    Series(Object[] attributes) {
      this.attributes = attributes;
      this.prediction = attributes.length > 0 && Keys.PREDICT_OPERATION.name.equals(attributes[0]);
      this.duration = new ExplicitBuckets(prediction ? GenAiMetrics.PREDICTION_SECONDS_BOUNDS : SECONDS_BOUNDS);
    }
  }

  private final Map<String, Object> resource;
  private final String version;
  private final boolean delta;
  private final Map<List<Object>, Series> series = new LinkedHashMap<>();
  /** Alert events by rule, signal, severity, state and subject: {@code ai.alerts}. */
  private final Map<List<Object>, long[]> alertEvents = new LinkedHashMap<>();
  /** Open episodes by rule, signal, severity and subject: {@code ai.alerts.firing}, a gauge (zero once resolved). */
  private final Map<List<Object>, long[]> firing = new LinkedHashMap<>();
  /** Feedback and outcomes by model, kind and acceptance: {@code ai.client.feedback}. */
  private final Map<List<Object>, long[]> feedback = new LinkedHashMap<>();
  private boolean eventsChanged;
  private final ProtoWriter out = new ProtoWriter(8 * 1024);
  private long startNanos;
  private final long agentStartNanos;
  private volatile Pipeline pipeline;
  /** The agent's own counters as last sent, for delta temporality. */
  private long droppedSent;
  private long errorsSent;
  private long overflow;

  OtlpMetrics(Map<String, Object> resource, String version, boolean delta, long startEpochNanos) {
    this.resource = resource;
    this.version = version;
    this.delta = delta;
    this.startNanos = startEpochNanos;
    this.agentStartNanos = startEpochNanos;
  }

  synchronized void record(AiCall call) {
    List<Object> key = new ArrayList<>(14);
    GenAiMetrics.attributes(call, key);
    Series s = series.get(key);
    if (s == null) {
      if (series.size() >= MAX_SERIES) {
        overflow++;
        Log.warnOnce("otlp-metric-series", "more than " + MAX_SERIES + " metric attribute sets (models, hosts, "
            + "errors); calls beyond them are left out of the OTLP metrics and counted");
        return;
      }
      s = new Series(key.toArray());
      series.put(key, s);
    }
    s.duration.record(call.durationNanos / 1e9);
    Double firstChunk = call.get(Keys.TIME_TO_FIRST_CHUNK);
    if (firstChunk != null) {
      s.firstChunk.record(firstChunk);
    }
    if (call.chunkGaps != null) {
      s.perChunk.add(call.chunkGaps);
    }
    for (int i = 0; i < s.flagged.length; i++) {
      if (io.tracelight.core.metrics.Metrics.qualityFlag(call, i)) {
        s.flagged[i]++;
        s.anyFlagged = true;
      }
    }
    Long input = call.get(Keys.INPUT_TOKENS);
    if (input != null) {
      s.inputTokens.record(input);
    }
    Long output = call.get(Keys.OUTPUT_TOKENS);
    if (output != null) {
      s.outputTokens.record(output);
    }
    if (call.costByType != null) {
      s.priced = true;
      for (int i = 0; i < s.cost.length; i++) {
        s.cost[i] += call.costByType[i];
      }
    }
  }

  /** An alert event: counted, and its episode's gauge raised (firing) or lowered (resolved). */
  synchronized void alert(io.tracelight.core.alert.Alert a) {
    List<Object> subject = new ArrayList<>(16);
    GenAiMetrics.add(subject, "ai.alert.rule", a.rule);
    GenAiMetrics.add(subject, "ai.alert.signal", a.signal);
    GenAiMetrics.add(subject, "ai.alert.severity", io.tracelight.core.alert.Alert.name(a.severity));
    GenAiMetrics.add(subject, "gen_ai.provider.name", a.subject.provider);
    GenAiMetrics.add(subject, "gen_ai.request.model", a.subject.model);
    GenAiMetrics.add(subject, "ai.model.version", a.subject.version);
    GenAiMetrics.add(subject, "ai.deployment", a.subject.deployment);
    List<Object> event = new ArrayList<>(subject);
    GenAiMetrics.add(event, "ai.alert.state", io.tracelight.core.alert.Alert.name(a.state));
    count(alertEvents, event, 1);
    if (a.state == io.tracelight.core.alert.Alert.State.FIRING) {
      count(firing, subject, 1);
    } else if (a.state == io.tracelight.core.alert.Alert.State.RESOLVED && firing.containsKey(subject)) {
      count(firing, subject, -1);
    }
  }

  /** Feedback (accepted or not) or an outcome, by the call's model when it was known. */
  synchronized void feedback(io.tracelight.core.feedback.FeedbackEvent e) {
    List<Object> key = new ArrayList<>(12);
    GenAiMetrics.add(key, "gen_ai.provider.name", e.provider());
    GenAiMetrics.add(key, "gen_ai.request.model", e.model());
    GenAiMetrics.add(key, "ai.model.version", e.version());
    GenAiMetrics.add(key, "ai.deployment", e.deployment());
    boolean feedbackKind = e.kind == io.tracelight.core.feedback.FeedbackEvent.Kind.FEEDBACK;
    GenAiMetrics.add(key, "ai.feedback.kind", feedbackKind ? "feedback" : "outcome");
    if (feedbackKind) {
      key.add("ai.feedback.accepted");
      key.add(e.accepted());
    }
    count(feedback, key, 1);
  }

  private void count(Map<List<Object>, long[]> points, List<Object> key, long by) {
    long[] n = points.get(key);
    if (n == null) {
      if (points.size() >= MAX_EVENT_SERIES) {
        overflow++;
        Log.warnOnce("otlp-event-series", "more than " + MAX_EVENT_SERIES + " attribute sets of alert or feedback "
            + "metrics; events beyond them are left out of the OTLP metrics and counted");
        return;
      }
      n = new long[1];
      points.put(key, n);
    }
    n[0] += by;
    eventsChanged = true;
  }

  /** Calls (and alert or feedback events) left out because their attribute sets were past the bound. */
  synchronized long overflow() {
    return overflow;
  }

  /**
   * The request for everything recorded (cumulative) or recorded since the last call (delta, which
   * then starts a new interval), or null when there is nothing to send.
   */
  synchronized byte[] encode(long nowEpochNanos) {
    boolean any = false;
    for (Series s : series.values()) {
      any |= s.duration.count > 0; // every recorded call has a duration
    }
    Pipeline p = pipeline;
    long dropped = p == null ? 0 : p.dropped();
    long errors = InternalErrors.count();
    any |= delta ? eventsChanged : !alertEvents.isEmpty() || !feedback.isEmpty();
    any |= !firing.isEmpty(); // a gauge: its current value every interval
    if (!any && dropped == droppedSent && errors == errorsSent) {
      return null;
    }
    out.reset();
    int resourceMetrics = out.begin(REQUEST_RESOURCE_METRICS);
    OtlpCommon.resource(out, resource);
    int scopeMetrics = out.begin(RESOURCE_METRICS_SCOPE_METRICS);
    OtlpCommon.scope(out, version);
    metric(GenAiMetrics.DURATION, "GenAI operation duration.", "s", nowEpochNanos, 0);
    metric(GenAiMetrics.TIME_TO_FIRST_CHUNK,
        "Time to receive the first chunk in a streaming operation.", "s", nowEpochNanos, 1);
    metric(GenAiMetrics.TOKEN_USAGE, "Number of input and output tokens used.", "{token}", nowEpochNanos, 2);
    metric(GenAiMetrics.TIME_PER_OUTPUT_CHUNK, "Time between consecutive chunks of a streaming response.", "s",
        nowEpochNanos, 4);
    metric(GenAiMetrics.PREDICTION_DURATION, "Duration of a prediction by a model that is not generative.", "s",
        nowEpochNanos, 3);
    calls(nowEpochNanos);
    cost(nowEpochNanos);
    flagged(nowEpochNanos);
    events(GenAiMetrics.ALERTS, "Alert events: an episode firing or resolved, or an announced change.", "{alert}",
        alertEvents, true, nowEpochNanos);
    events(GenAiMetrics.ALERTS_FIRING, "Alert episodes open now.", "{alert}", firing, false, nowEpochNanos);
    events(GenAiMetrics.FEEDBACK, "Feedback and outcomes the application reported, by the call's model; "
        + "the acceptance rate is the accepted share of the feedback.", "{event}", feedback, true, nowEpochNanos);
    counter(GenAiMetrics.DROPPED_RECORDS, "Calls dropped because the agent's queue was full.", "{call}",
        delta ? dropped - droppedSent : dropped, nowEpochNanos);
    counter(GenAiMetrics.INTERNAL_ERRORS, "Failures inside the agent (the application never sees them).", "{error}",
        delta ? errors - errorsSent : errors, nowEpochNanos);
    droppedSent = dropped;
    errorsSent = errors;
    out.end(scopeMetrics);
    out.end(resourceMetrics);
    byte[] bytes = out.toByteArray();
    eventsChanged = false;
    if (delta) {
      for (Series s : series.values()) {
        s.duration.reset();
        s.firstChunk.reset();
        s.perChunk.reset();
        java.util.Arrays.fill(s.flagged, 0);
        s.anyFlagged = false;
        s.inputTokens.reset();
        s.outputTokens.reset();
        java.util.Arrays.fill(s.cost, 0);
        s.priced = false;
      }
      for (long[] n : alertEvents.values()) {
        n[0] = 0;
      }
      for (long[] n : feedback.values()) {
        n[0] = 0;
      }
      startNanos = nowEpochNanos;
    }
    return bytes;
  }

  /** @param which 0 duration, 1 first chunk, 2 tokens (input and output points), 3 prediction duration, 4 chunk gaps */
  private void metric(String name, String description, String unit, long now, int which) {
    boolean any = false;
    for (Series s : series.values()) {
      if (s.prediction != (which == 3)) {
        continue;
      }
      if ((which == 0 || which == 3) && s.duration.count > 0 || which == 1 && s.firstChunk.count > 0
          || which == 4 && s.perChunk.count > 0
          || which == 2 && (s.inputTokens.count > 0 || s.outputTokens.count > 0)) {
        any = true;
        break;
      }
    }
    if (!any) {
      return;
    }
    int metric = beginMetric(name, description, unit);
    int histogram = out.begin(METRIC_HISTOGRAM);
    for (Series s : series.values()) {
      if (s.prediction != (which == 3)) {
        continue;
      }
      if (which == 0 || which == 3) {
        point(s, s.duration, null, now);
      } else if (which == 1) {
        point(s, s.firstChunk, null, now);
      } else if (which == 4) {
        point(s, s.perChunk, null, now);
      } else {
        point(s, s.inputTokens, "input", now);
        point(s, s.outputTokens, "output", now);
      }
    }
    out.varintField(HISTOGRAM_TEMPORALITY, delta ? TEMPORALITY_DELTA : TEMPORALITY_CUMULATIVE);
    out.end(histogram);
    out.end(metric);
  }

  /** {@code ai.client.calls}: each series' call count, with {@code ai.status} ok or error. */
  private void calls(long now) {
    boolean any = false;
    for (Series s : series.values()) {
      any |= s.duration.count > 0;
    }
    if (!any) {
      return;
    }
    int metric = beginMetric(GenAiMetrics.CALLS, "AI calls recorded, by outcome.", "{call}");
    int sum = out.begin(METRIC_SUM);
    for (Series s : series.values()) {
      if (s.duration.count == 0) {
        continue;
      }
      int point = out.begin(SUM_DATA_POINTS);
      boolean failed = false;
      for (int i = 0; i < s.attributes.length; i += 2) {
        OtlpCommon.attribute(out, NUMBER_ATTRIBUTES, (String) s.attributes[i], s.attributes[i + 1]);
        failed |= s.attributes[i].equals("error.type");
      }
      OtlpCommon.attribute(out, NUMBER_ATTRIBUTES, GenAiMetrics.STATUS, failed ? "error" : "ok");
      out.fixed64Field(NUMBER_START, startNanos);
      out.fixed64Field(NUMBER_TIME, now);
      out.fixed64Field(NUMBER_AS_INT, s.duration.count);
      out.end(point);
    }
    endSum(sum, metric, delta, true);
  }

  /** {@code ai.client.answers_flagged}: per series and {@code ai.output.flag}, the calls with that flag. */
  private void flagged(long now) {
    boolean any = false;
    for (Series s : series.values()) {
      any |= s.anyFlagged;
    }
    if (!any) {
      return;
    }
    int metric = beginMetric(GenAiMetrics.ANSWERS_FLAGGED, "AI calls whose answer was refused, truncated, empty, not the JSON asked for, "
        + "had invalid tool calls or was flagged by the provider's safety system.", "{call}");
    int sum = out.begin(METRIC_SUM);
    for (Series s : series.values()) {
      if (!s.anyFlagged) {
        continue;
      }
      for (int f = 0; f < s.flagged.length; f++) {
        if (s.flagged[f] == 0 && delta) {
          continue;
        }
        int point = out.begin(SUM_DATA_POINTS);
        for (int i = 0; i < s.attributes.length; i += 2) {
          OtlpCommon.attribute(out, NUMBER_ATTRIBUTES, (String) s.attributes[i], s.attributes[i + 1]);
        }
        OtlpCommon.attribute(out, NUMBER_ATTRIBUTES, GenAiMetrics.FLAG, io.tracelight.core.metrics.ModelStats.QUALITY_FLAGS[f]);
        out.fixed64Field(NUMBER_START, startNanos);
        out.fixed64Field(NUMBER_TIME, now);
        out.fixed64Field(NUMBER_AS_INT, s.flagged[f]);
        out.end(point);
      }
    }
    endSum(sum, metric, delta, true);
  }

  /** {@code ai.client.cost}: USD per series and {@code gen_ai.token.type}, for the series with a price. */
  private void cost(long now) {
    boolean any = false;
    for (Series s : series.values()) {
      any |= s.priced;
    }
    if (!any) {
      return;
    }
    int metric = beginMetric(GenAiMetrics.COST, "Spend on AI calls from the price table, by token type.", "USD");
    int sum = out.begin(METRIC_SUM);
    for (Series s : series.values()) {
      if (!s.priced) {
        continue;
      }
      for (int t = 0; t < s.cost.length; t++) {
        int point = out.begin(SUM_DATA_POINTS);
        for (int i = 0; i < s.attributes.length; i += 2) {
          OtlpCommon.attribute(out, NUMBER_ATTRIBUTES, (String) s.attributes[i], s.attributes[i + 1]);
        }
        OtlpCommon.attribute(out, NUMBER_ATTRIBUTES, GenAiMetrics.TOKEN_TYPE, io.tracelight.core.cost.Pricing.TOKEN_TYPES[t]);
        out.fixed64Field(NUMBER_START, startNanos);
        out.fixed64Field(NUMBER_TIME, now);
        out.doubleField(NUMBER_AS_DOUBLE, s.cost[t]);
        out.end(point);
      }
    }
    endSum(sum, metric, delta, true);
  }

  /**
   * A sum of event counts, a point per attribute set: monotonic (delta or cumulative, as configured;
   * a delta interval leaves out the sets that did not change) or a gauge-like non-monotonic sum,
   * always cumulative as the SDKs do for up-down counters.
   */
  private void events(String name, String description, String unit, Map<List<Object>, long[]> points,
      boolean monotonic, long now) {
    boolean deltaPoints = monotonic && delta;
    boolean any = false;
    for (long[] n : points.values()) {
      any |= !deltaPoints || n[0] != 0;
    }
    if (!any) {
      return;
    }
    int metric = beginMetric(name, description, unit);
    int sum = out.begin(METRIC_SUM);
    for (Map.Entry<List<Object>, long[]> e : points.entrySet()) {
      if (deltaPoints && e.getValue()[0] == 0) {
        continue;
      }
      int point = out.begin(SUM_DATA_POINTS);
      List<Object> attributes = e.getKey();
      for (int i = 0; i < attributes.size(); i += 2) {
        OtlpCommon.attribute(out, NUMBER_ATTRIBUTES, (String) attributes.get(i), attributes.get(i + 1));
      }
      out.fixed64Field(NUMBER_START, deltaPoints ? startNanos : agentStartNanos);
      out.fixed64Field(NUMBER_TIME, now);
      out.fixed64Field(NUMBER_AS_INT, e.getValue()[0]);
      out.end(point);
    }
    endSum(sum, metric, deltaPoints, monotonic);
  }

  /** Starts a metric of the scope: its name, description and unit; returns the mark to end it with. */
  private int beginMetric(String name, String description, String unit) {
    int metric = out.begin(SCOPE_METRICS_METRICS);
    out.stringField(METRIC_NAME, name);
    out.stringField(METRIC_DESCRIPTION, description);
    out.stringField(METRIC_UNIT, unit);
    return metric;
  }

  /** Ends a sum's points and its metric. */
  private void endSum(int sum, int metric, boolean deltaTemporality, boolean monotonic) {
    out.varintField(SUM_TEMPORALITY, deltaTemporality ? TEMPORALITY_DELTA : TEMPORALITY_CUMULATIVE);
    out.boolField(SUM_MONOTONIC, monotonic);
    out.end(sum);
    out.end(metric);
  }

  /** A monotonic counter of the agent's own, one point without attributes. */
  private void counter(String name, String description, String unit, long value, long now) {
    int metric = beginMetric(name, description, unit);
    int sum = out.begin(METRIC_SUM);
    int point = out.begin(SUM_DATA_POINTS);
    out.fixed64Field(NUMBER_START, delta ? startNanos : agentStartNanos);
    out.fixed64Field(NUMBER_TIME, now);
    out.fixed64Field(NUMBER_AS_INT, value);
    out.end(point);
    endSum(sum, metric, delta, true);
  }

  /** Where dropped calls are counted; set once the pipeline exists (it is made after the exporters). */
  void watch(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  private void point(Series s, ExplicitBuckets b, String tokenType, long now) {
    if (b.count == 0) {
      return;
    }
    int point = out.begin(HISTOGRAM_DATA_POINTS);
    for (int i = 0; i < s.attributes.length; i += 2) {
      OtlpCommon.attribute(out, POINT_ATTRIBUTES, (String) s.attributes[i], s.attributes[i + 1]);
    }
    if (tokenType != null) {
      OtlpCommon.attribute(out, POINT_ATTRIBUTES, "gen_ai.token.type", tokenType);
    }
    out.fixed64Field(POINT_START, startNanos);
    out.fixed64Field(POINT_TIME, now);
    out.fixed64Field(POINT_COUNT, b.count);
    out.doubleField(POINT_SUM, b.sum);
    out.packedFixed64Field(POINT_BUCKET_COUNTS, b.counts);
    out.packedDoubleField(POINT_EXPLICIT_BOUNDS, b.bounds);
    out.doubleField(POINT_MIN, b.min);
    out.doubleField(POINT_MAX, b.max);
    out.end(point);
  }
}
