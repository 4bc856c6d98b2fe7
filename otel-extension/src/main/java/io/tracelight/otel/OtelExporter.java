package io.tracelight.otel;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.tracelight.core.InternalErrors;
import io.tracelight.core.Log;
import io.tracelight.core.export.Exporter;
import io.tracelight.core.export.SpanExtras;
import io.tracelight.core.metrics.GenAiMetrics;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.Pipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Every call as a span of the OpenTelemetry agent's tracer and as the GenAI client metrics of its
 * meter: the agent's sampler, resource, processors and exporters take it from there. The span is
 * the child of the span current when the application made the call (else of the request's
 * {@code traceparent}); its ids become the call's, so a JSONL record written after it names the same
 * span. Pipeline thread only.
 */
final class OtelExporter implements Exporter {
  private static final String SCOPE = "io.tracelight";
  private final Tracer tracer;
  private final Meter meter;
  private final LongCounter calls;
  private final DoubleHistogram duration;
  private final DoubleHistogram firstChunk;
  private final DoubleHistogram predictionDuration;
  private final LongHistogram tokens;
  private final io.opentelemetry.api.metrics.DoubleCounter cost;
  private final DoubleHistogram perChunk;
  private final LongCounter flagged;
  private static final AttributeKey<Long> THREAD_ID = AttributeKey.longKey("thread.id");
  private static final AttributeKey<String> THREAD_NAME = AttributeKey.stringKey("thread.name");
  private final List<Object> pairs = new ArrayList<>(14);
  private long notRecorded;

  OtelExporter(OpenTelemetry otel, String version) {
    tracer = otel.tracerBuilder(SCOPE).setInstrumentationVersion(version).build();
    meter = otel.meterBuilder(SCOPE).setInstrumentationVersion(version).build();
    calls = meter.counterBuilder(GenAiMetrics.CALLS).setUnit("{call}").setDescription("AI calls recorded, by outcome.")
        .build();
    cost = meter.counterBuilder(GenAiMetrics.COST).ofDoubles().setUnit("USD")
        .setDescription("Spend on AI calls from the price table, by token type.").build();
    duration = meter.histogramBuilder(GenAiMetrics.DURATION).setDescription("GenAI operation duration.").setUnit("s")
        .setExplicitBucketBoundariesAdvice(doubles(GenAiMetrics.SECONDS_BOUNDS)).build();
    predictionDuration = meter.histogramBuilder(GenAiMetrics.PREDICTION_DURATION)
        .setDescription("Duration of a prediction by a model that is not generative.").setUnit("s")
        .setExplicitBucketBoundariesAdvice(doubles(GenAiMetrics.PREDICTION_SECONDS_BOUNDS)).build();
    firstChunk = meter.histogramBuilder(GenAiMetrics.TIME_TO_FIRST_CHUNK)
        .setDescription("Time to receive the first chunk in a streaming operation.").setUnit("s")
        .setExplicitBucketBoundariesAdvice(doubles(GenAiMetrics.SECONDS_BOUNDS)).build();
    tokens = meter.histogramBuilder(GenAiMetrics.TOKEN_USAGE).ofLongs()
        .setDescription("Number of input and output tokens used.").setUnit("{token}")
        .setExplicitBucketBoundariesAdvice(longs(GenAiMetrics.TOKEN_BOUNDS)).build();
    perChunk = meter.histogramBuilder(GenAiMetrics.TIME_PER_OUTPUT_CHUNK)
        .setDescription("Time between consecutive chunks of a streaming response.").setUnit("s")
        .setExplicitBucketBoundariesAdvice(doubles(GenAiMetrics.SECONDS_BOUNDS)).build();
    flagged = meter.counterBuilder(GenAiMetrics.ANSWERS_FLAGGED).setUnit("{call}")
        .setDescription("AI calls whose answer was refused, truncated, empty, not the JSON asked for, had invalid "
            + "tool calls or was flagged by the provider's safety system.").build();
  }

  /** The agent's own health, read by the meter's collection thread when it exports. */
  @Override
  public void watch(Pipeline pipeline) {
    meter.counterBuilder(GenAiMetrics.DROPPED_RECORDS).setUnit("{call}")
        .setDescription("Calls dropped because the agent's queue was full.")
        .buildWithCallback(m -> m.record(pipeline.dropped()));
    meter.counterBuilder(GenAiMetrics.INTERNAL_ERRORS).setUnit("{error}")
        .setDescription("Failures inside the agent (the application never sees them).")
        .buildWithCallback(m -> m.record(InternalErrors.count()));
  }

  @Override
  public String name() {
    return OtelHost.EXPORTER;
  }

  @Override
  public void export(AiCall call) {
    span(call);
    metrics(call);
  }

  private void span(AiCall call) {
    Context parent = parent(call);
    String name = call.name();
    SpanBuilder builder = tracer.spanBuilder(name == null ? "unknown" : name).setParent(parent)
        .setSpanKind(SpanKind.CLIENT).setStartTimestamp(call.startEpochNanos, TimeUnit.NANOSECONDS);
    try {
      call.forEach(new AiCall.Visitor() { // no lambda: see docs/architecture.md, rules
        @Override
        public void visit(io.tracelight.core.model.AttributeKey<?> key, Object value) {
          attribute(builder, key.name, value);
        }
      });
    } catch (java.io.IOException cannotHappen) {
      throw new IllegalStateException(cannotHappen);
    }
    String completionStart = SpanExtras.completionStart(call);
    if (completionStart != null) {
      builder.setAttribute(SpanExtras.LANGFUSE_COMPLETION_START, completionStart);
    }
    Span span = builder.startSpan();
    if (call.error) {
      String type = call.get(Keys.ERROR_TYPE);
      span.setStatus(StatusCode.ERROR, type == null ? "" : type);
    }
    if (call.hostContext instanceof Captured) {
      // the agent stamps the thread that starts a span, which here is Tracelight's pipeline thread
      Thread caller = ((Captured) call.hostContext).thread;
      if (span.isRecording()) {
        span.setAttribute(THREAD_ID, caller.getId());
        span.setAttribute(THREAD_NAME, caller.getName());
      }
    }
    SpanContext made = span.getSpanContext();
    SpanContext parentSpan = Span.fromContext(parent).getSpanContext();
    // after shutdown the tracer hands back the parent, or an invalid span for a root
    boolean lost = !span.isRecording() && (!made.isValid() || made.getSpanId().equals(parentSpan.getSpanId()));
    span.end(call.startEpochNanos + call.durationNanos, TimeUnit.NANOSECONDS);
    if (made.isValid() && !made.getSpanId().equals(parentSpan.getSpanId())) {
      call.traceId = made.getTraceId();
      call.spanId = made.getSpanId();
      call.sampled = made.isSampled();
    }
    if (lost) {
      notRecorded++;
    }
  }

  /** The span current when the call started, else the request's traceparent, else a new trace. */
  private static Context parent(AiCall call) {
    if (call.hostContext instanceof Captured) {
      Context current = ((Captured) call.hostContext).context;
      SpanContext app = OtelContextCapture.appSpan(current);
      if (app.isValid()) {
        return app == Span.fromContext(current).getSpanContext() ? current : current.with(Span.wrap(app));
      }
    }
    if (call.parentSpanId != null) {
      SpanContext remote = SpanContext.createFromRemoteParent(call.traceId, call.parentSpanId,
          call.sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(), TraceState.getDefault());
      return Context.root().with(Span.wrap(remote));
    }
    return Context.root();
  }

  private static void attribute(SpanBuilder builder, String key, Object value) {
    if (value instanceof String) {
      builder.setAttribute(key, (String) value);
    } else if (value instanceof Long || value instanceof Integer) {
      builder.setAttribute(key, ((Number) value).longValue());
    } else if (value instanceof Double) {
      builder.setAttribute(key, (Double) value);
    } else if (value instanceof Boolean) {
      builder.setAttribute(key, (Boolean) value);
    } else if (value instanceof List) {
      List<?> items = (List<?>) value;
      List<String> strings = new ArrayList<>(items.size());
      for (Object item : items) {
        strings.add(String.valueOf(item));
      }
      builder.setAttribute(AttributeKey.stringArrayKey(key), strings);
    } else if (value != null) {
      builder.setAttribute(key, String.valueOf(value));
    }
  }

  private void metrics(AiCall call) {
    pairs.clear();
    GenAiMetrics.attributes(call, pairs);
    AttributesBuilder b = Attributes.builder();
    for (int i = 0; i < pairs.size(); i += 2) {
      String key = (String) pairs.get(i);
      Object value = pairs.get(i + 1);
      if (value instanceof Long) {
        b.put(AttributeKey.longKey(key), (Long) value);
      } else {
        b.put(key, String.valueOf(value));
      }
    }
    Attributes attributes = b.build();
    calls.add(1, attributes.toBuilder().put(GenAiMetrics.STATUS, call.error ? "error" : "ok").build());
    if (Keys.isPrediction(call)) {
      predictionDuration.record(call.durationNanos / 1e9, attributes);
      return;
    }
    duration.record(call.durationNanos / 1e9, attributes);
    Double chunk = call.get(Keys.TIME_TO_FIRST_CHUNK);
    if (chunk != null) {
      firstChunk.record(chunk, attributes);
    }
    io.tracelight.core.model.ChunkGaps gaps = call.chunkGaps;
    if (gaps != null) {
      for (int i = 0; i < gaps.buckets(); i++) { // each gap as its bucket's mean: same buckets, same sum
        long n = gaps.count(i);
        for (long k = 0; k < n; k++) {
          perChunk.record(gaps.seconds(i) / n, attributes);
        }
      }
    }
    for (int i = 0; i < io.tracelight.core.metrics.ModelStats.QUALITY_FLAGS.length; i++) {
      if (io.tracelight.core.metrics.Metrics.qualityFlag(call, i)) {
        flagged.add(1, attributes.toBuilder().put(GenAiMetrics.FLAG, io.tracelight.core.metrics.ModelStats.QUALITY_FLAGS[i])
            .build());
      }
    }
    Long input = call.get(Keys.INPUT_TOKENS);
    if (input != null) {
      tokens.record(input, attributes.toBuilder().put(GenAiMetrics.TOKEN_TYPE, "input").build());
    }
    Long output = call.get(Keys.OUTPUT_TOKENS);
    if (output != null) {
      tokens.record(output, attributes.toBuilder().put(GenAiMetrics.TOKEN_TYPE, "output").build());
    }
    if (call.costByType != null) {
      for (int i = 0; i < call.costByType.length; i++) {
        cost.add(call.costByType[i],
            attributes.toBuilder().put(GenAiMetrics.TOKEN_TYPE, io.tracelight.core.cost.Pricing.TOKEN_TYPES[i]).build());
      }
    }
  }

  @Override
  public void flush() {}

  @Override
  public void close() {
    if (notRecorded > 0) {
      Log.warn(notRecorded + " AI spans ended after the OpenTelemetry agent's tracer had shut down; they are in "
          + "the summary and any file output, not in the agent's export");
    }
  }

  @Override
  public void report(io.tracelight.core.metrics.Summary summary) {
    summary.count("otel_spans_not_recorded", "AI spans ended after the OpenTelemetry agent shut down", notRecorded);
  }

  private static List<Double> doubles(double[] values) {
    List<Double> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(v);
    }
    return out;
  }

  private static List<Long> longs(double[] values) {
    List<Long> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add((long) v);
    }
    return out;
  }
}
