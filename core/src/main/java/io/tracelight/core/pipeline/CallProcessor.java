package io.tracelight.core.pipeline;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.InferenceCall;
import io.tracelight.core.exchange.InferenceDetails;
import io.tracelight.core.prediction.OutputSummary;
import io.tracelight.core.exchange.TraceIds;
import io.tracelight.core.exchange.TraceParent;
import io.tracelight.core.export.Exporter;
import io.tracelight.core.export.RecordWriter;
import io.tracelight.core.metrics.Metrics;
import io.tracelight.core.metrics.Summary;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.policy.CaptureLevel;
import io.tracelight.core.policy.ContentStage;
import io.tracelight.core.policy.RecordPolicy;
import io.tracelight.core.privacy.Redactor;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.ProviderHosts;
import io.tracelight.core.protocol.Sha256;
import io.tracelight.core.protocol.StreamDecoder;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Turns an ended {@link Exchange} into an {@link AiCall} (the protocol decodes the captured
 * bodies), records its metrics and hands it to the exporters. Runs on the pipeline's agent thread.
 */
public final class CallProcessor {
  private final Metrics metrics;
  private final List<Exporter> exporters;
  private final ProviderHosts hosts;
  private final LongAdder notAiCalls = new LongAdder();
  private final LongAdder leftToHost = new LongAdder();
  private final RecordPolicy policy;
  private final RecordPolicy.Out toExporters = new RecordPolicy.Out() {
    @Override
    public void export(AiCall call) {
      for (Exporter exporter : exporters) {
        try {
          exporter.export(call);
        } catch (Throwable t) {
          InternalErrors.report("exporter " + exporter.name(), t);
        }
      }
    }
  };

  /** Hands alert events to every exporter (OTLP sends them as log records and counts them as metrics). */
  private final io.tracelight.core.alert.AlertBook.Sink alertsToExporters = new io.tracelight.core.alert.AlertBook.Sink() {
    @Override
    public void alert(io.tracelight.core.alert.Alert alert) {
      for (Exporter exporter : exporters) {
        try {
          exporter.alert(alert);
        } catch (Throwable t) {
          InternalErrors.report("exporter " + exporter.name(), t);
        }
      }
    }
  };

  /** The sink giving alert events to the exporters; the alert book is told of it before the pipeline starts. */
  public io.tracelight.core.alert.AlertBook.Sink alertsToExporters() {
    return alertsToExporters;
  }

  public CallProcessor(Metrics metrics, List<Exporter> exporters, ProviderHosts hosts) {
    this(metrics, exporters, hosts, RecordPolicy.keepAll(CaptureLevel.HASH, new ContentStage(Redactor.builtIn())));
  }

  public CallProcessor(Metrics metrics, List<Exporter> exporters, ProviderHosts hosts, RecordPolicy policy) {
    this.metrics = metrics;
    this.exporters = exporters;
    this.hosts = hosts;
    this.policy = policy;
  }

  public RecordPolicy policy() {
    return policy;
  }

  /** Prices calls before metrics count them; set before the pipeline starts. */
  private io.tracelight.core.cost.Pricing pricing;
  /** The answer checks; replaced before the pipeline starts when the user configured refusal phrases. */
  private io.tracelight.core.quality.OutputSignals signals =
      new io.tracelight.core.quality.OutputSignals(io.tracelight.core.quality.RefusalPhrases.defaults());

  public void signals(io.tracelight.core.quality.OutputSignals checks) {
    this.signals = checks;
  }

  public void pricing(io.tracelight.core.cost.Pricing prices) {
    this.pricing = prices;
  }

  public io.tracelight.core.cost.Pricing pricing() {
    return pricing;
  }

  /** Where user and session ids come from; set before the pipeline starts. */
  private io.tracelight.core.policy.Identity identity = io.tracelight.core.policy.Identity.none();

  public void identity(io.tracelight.core.policy.Identity sources) {
    this.identity = sources;
  }

  /** What {@code /metrics} serves, every call before sampling; null when the endpoint is off. Set before the pipeline starts. */
  private io.tracelight.core.metrics.LiveMetrics live;

  public void live(io.tracelight.core.metrics.LiveMetrics metrics) {
    this.live = metrics;
  }

  /** The drift stage, after metrics and before sampling; null when it is off. Set before the pipeline starts. */
  private io.tracelight.core.drift.DriftMonitor drift;

  public void drift(io.tracelight.core.drift.DriftMonitor monitor) {
    this.drift = monitor;
  }

  public io.tracelight.core.drift.DriftMonitor drift() {
    return drift;
  }

  /** Joins the application's feedback to calls; null when off. Set before the pipeline starts. */
  private io.tracelight.core.feedback.FeedbackStage feedback;

  public void feedback(io.tracelight.core.feedback.FeedbackStage stage) {
    this.feedback = stage;
  }

  public io.tracelight.core.feedback.FeedbackStage feedback() {
    return feedback;
  }

  /** Feedback or an outcome the application reported. */
  public void process(io.tracelight.core.feedback.FeedbackEvent event) {
    if (feedback == null) {
      return;
    }
    try {
      feedback.accept(event, System.nanoTime());
    } catch (RuntimeException e) {
      InternalErrors.report("feedback stage", e);
      return;
    }
    for (Exporter exporter : exporters) {
      try {
        exporter.feedback(event);
      } catch (Throwable t) {
        InternalErrors.report("exporter " + exporter.name(), t);
      }
    }
  }

  /** Where a call's deployment label comes from; set before the pipeline starts. */
  private io.tracelight.core.drift.DeploymentLabel deployment = io.tracelight.core.drift.DeploymentLabel.none();

  public void deployment(io.tracelight.core.drift.DeploymentLabel label) {
    this.deployment = label;
  }

  /** The audit trail every call is written to before sampling; set before the pipeline starts. */
  private io.tracelight.core.audit.AuditTrail audit;

  public void audit(io.tracelight.core.audit.AuditTrail trail) {
    this.audit = trail;
  }

  public io.tracelight.core.audit.AuditTrail audit() {
    return audit;
  }

  public void process(Exchange exchange) {
    AiCall call;
    try {
      if (exchange.recordedByHost()) {
        leftToHost.increment();
        return;
      }
      call = decode(exchange, hosts);
      call.requestPath = exchange.request.path();
      for (String header : policy.headers()) {
        call.requestHeader(header, exchange.recordedHeader(header));
      }
      io.tracelight.core.policy.Identity id = identity;
      identify(call, exchange, id.userHeader() == null ? null : exchange.recordedHeader(id.userHeader()),
          id.sessionHeader() == null ? null : exchange.recordedHeader(id.sessionHeader()));
      io.tracelight.core.drift.DeploymentLabel label = deployment;
      label.apply(call, label.header() == null ? null : exchange.recordedHeader(label.header()));
    } catch (Throwable t) {
      InternalErrors.report("call decoding", t);
      return;
    } finally {
      exchange.releaseCaptures();
    }
    if (call.isNotAiCall()) {
      notAiCalls.increment();
      return;
    }
    emit(call);
  }

  /**
   * Sets the call's user and session: from the request's headers when configured, else the
   * application's {@code Tracelight.session} scope, else its logging context.
   */
  private void identify(AiCall call, io.tracelight.core.exchange.CallStart start, String userHeader,
      String sessionHeader) {
    io.tracelight.core.policy.Identity id = identity;
    String apiUser = start.apiUserId();
    String apiSession = start.apiSessionId();
    id.apply(call, userHeader,
        apiUser != null ? apiUser : id.userLogKey() == null ? null : start.logContext(id.userLogKey()), sessionHeader,
        apiSession != null ? apiSession : id.sessionLogKey() == null ? null : start.logContext(id.sessionLogKey()));
  }

  /** An in-JVM prediction: its record, metrics and export, as for an exchange. */
  public void process(InferenceCall inference) {
    AiCall call;
    try {
      call = decode(inference);
      identify(call, inference, null, null);
      deployment.apply(call, null);
    } catch (Throwable t) {
      InternalErrors.report("inference decoding", t);
      return;
    }
    emit(call);
  }

  /**
   * The stages in order: metrics (every call), then the record policy (fidelity, sampling, the
   * content stage), which hands the records it keeps to every exporter.
   */
  private void emit(AiCall call) {
    if (pricing != null) {
      try {
        pricing.price(call, System.nanoTime());
      } catch (RuntimeException e) {
        InternalErrors.report("cost stage", e);
      }
    }
    try {
      signals.apply(call);
    } catch (RuntimeException e) {
      InternalErrors.report("output signals", e);
    }
    io.tracelight.core.metrics.ModelStats stats = metrics.record(call);
    if (live != null) {
      try {
        live.record(call, System.nanoTime());
      } catch (RuntimeException e) {
        InternalErrors.report("metrics endpoint", e);
      }
    }
    io.tracelight.core.drift.ModelDrift subject = null;
    if (drift != null) {
      try {
        long now = System.nanoTime();
        subject = drift.observe(call, now);
        drift.tick(Clock.epochNanos(now), now); // at most once a second: under load the queue is never idle
      } catch (RuntimeException e) {
        InternalErrors.report("drift stage", e);
      }
    }
    if (feedback != null) {
      feedback.remember(call, stats, subject);
    }
    if (audit != null) {
      try {
        audit.record(call); // every call, before sampling, with the hashes the capture level may drop
      } catch (RuntimeException e) {
        InternalErrors.report("audit trail", e);
      }
    }
    try {
      policy.admit(call, System.nanoTime(), toExporters);
    } catch (RuntimeException e) {
      InternalErrors.report("record policy", e); // no record: none may leave with text the stage did not pass
    }
  }

  /**
   * Runs, once and on this thread while the application starts, everything a call's record and the
   * exit summary need the first time: the JSON parser and generator (about 90 classes), SHA-256,
   * the histograms and the summary's table, all on throwaway objects written nowhere. An application
   * whose first statement is an AI call and which then exits would otherwise wait for that class
   * loading at exit. Costs the same CPU as doing it then (a few ms more when no call ever comes).
   */
  void warmUp() {
    try {
      try (JsonParser p = Json.parser(WARM_UP, 0, WARM_UP.length)) {
        while (p.nextToken() != null) {
          p.getText();
        }
      }
      Sha256 sha = new Sha256();
      sha.update("warm-up");
      AiCall call = new AiCall();
      call.traceId = sha.hex();
      call.durationNanos = 1_000_000;
      call.set(Keys.PROVIDER, "warm-up");
      call.set(Keys.REQUEST_MODEL, "warm-up");
      call.set(Keys.OPERATION, "chat");
      call.set(Keys.INPUT_TOKENS, 1L);
      call.set(Keys.TIME_TO_FIRST_CHUNK, 0.001);
      call.set(Keys.STREAM, Boolean.TRUE);
      call.set(Keys.FINISH_REASONS, Collections.singletonList("stop"));
      if (pricing != null) {
        pricing.price(call, System.nanoTime()); // reads the price table now, not at the first call
        pricing.unpriced().clear();
      }
      signals.apply(call);
      io.tracelight.core.protocol.RequestShape.of(WARM_UP, WARM_UP.length);
      Metrics scratch = new Metrics();
      scratch.record(call);
      try (JsonGenerator g = Json.FACTORY.createGenerator(OutputStream.nullOutputStream())) {
        RecordWriter.write(call, g);
      }
      Summary summary = new Summary(scratch.all(), 0, 0, 0, 0, 0, 0);
      summary.print(new PrintStream(OutputStream.nullOutputStream()), "-");
      summary.writeJson(OutputStream.nullOutputStream());
    } catch (Throwable t) {
      InternalErrors.report("pipeline warm-up", t);
    }
  }

  private static final byte[] WARM_UP =
      "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":1.5,\"stream\":true}"
          .getBytes(StandardCharsets.UTF_8);

  /** Requests whose path looked like an AI call but whose body said otherwise; not recorded. */
  public long notAiCalls() {
    return notAiCalls.sum();
  }

  /** Calls the host agent's own GenAI instrumentation records (extension mode, when it is preferred). */
  public long leftToHost() {
    return leftToHost.sum();
  }

  public void flush() {
    if (audit != null) {
      audit.flush();
    }
    if (drift != null) {
      try {
        long now = System.nanoTime();
        drift.tick(Clock.epochNanos(now), now);
      } catch (RuntimeException e) {
        InternalErrors.report("drift stage", e);
      }
    }
    try {
      policy.tick(System.nanoTime(), toExporters);
    } catch (RuntimeException e) {
      InternalErrors.report("record policy", e);
    }
    for (Exporter exporter : exporters) {
      try {
        exporter.flush();
      } catch (Throwable t) {
        InternalErrors.report("exporter " + exporter.name(), t);
      }
    }
  }

  public void close() {
    try {
      policy.close(toExporters);
    } catch (RuntimeException e) {
      InternalErrors.report("record policy", e);
    }
    if (audit != null) {
      audit.close();
    }
    for (Exporter exporter : exporters) {
      try {
        exporter.close();
      } catch (Throwable t) {
        InternalErrors.report("exporter " + exporter.name(), t);
      }
    }
  }

  /** Pure: the record for one in-JVM prediction. */
  public static AiCall decode(InferenceCall inference) {
    AiCall call = new AiCall();
    call.startEpochNanos = Clock.epochNanos(inference.startNanos);
    call.durationNanos = inference.endNanos() - inference.startNanos;
    call.hostContext = inference.hostContext();
    TraceParent parent = inference.parent();
    if (parent != null) {
      call.traceId = parent.traceId;
      call.parentSpanId = parent.parentSpanId;
      call.sampled = parent.sampled;
    } else {
      call.traceId = TraceIds.newTraceId();
    }
    call.spanId = TraceIds.newSpanId();
    inference.callIdTo(call);
    call.set(Keys.PREDICT_OPERATION, "predict");
    call.set(Keys.MODEL_RUNTIME, inference.runtime);
    InferenceDetails details = inference.details();
    if (details != null) {
      OutputSummary output = new OutputSummary();
      try {
        details.writeTo(call, output);
      } catch (RuntimeException e) {
        InternalErrors.report(inference.instrumentation + " details", e); // a record with less, still
      }
      output.writeTo(call);
      call.outputSummary = output.rows() > 0 ? output : null;
    }
    call.set(Keys.INSTRUMENTATION, inference.instrumentation);
    if (inference.failure() != null) {
      call.fail(inference.failure().getClass().getName());
    }
    return call;
  }

  /** Pure: the record for one exchange. */
  public static AiCall decode(Exchange ex, ProviderHosts hosts) {
    AiCall call = new AiCall();
    String host = ex.request.host();
    call.startEpochNanos = Clock.epochNanos(ex.startNanos);
    call.durationNanos = ex.endNanos() - ex.startNanos;
    TraceParent parent = ex.parent();
    call.hostContext = ex.hostContext();
    if (parent != null) {
      call.traceId = parent.traceId;
      call.parentSpanId = parent.parentSpanId;
      call.sampled = parent.sampled;
    }
    String chosenSpan = ex.chosenSpanId(); // sent with the request: the server's spans name it
    if (chosenSpan != null) {
      call.traceId = ex.chosenTraceId();
      call.spanId = chosenSpan;
    } else {
      if (parent == null) {
        call.traceId = TraceIds.newTraceId();
      }
      call.spanId = TraceIds.newSpanId();
    }

    ex.callIdTo(call);
    try {
      ex.protocol.decodeRequest(ex.request, ex.requestBytes(), ex.requestLength(), ex.requestComplete(), call);
    } catch (Exception e) {
      call.truncated(); // the app's request is its own business; we just know less
    }
    if (call.isNotAiCall()) {
      return call;
    }
    if (ex.requestTruncated()) {
      call.truncated();
    } else if (ex.requestComplete() && !Keys.isPrediction(call)) {
      io.tracelight.core.protocol.RequestShape shape =
          io.tracelight.core.protocol.RequestShape.of(ex.requestBytes(), ex.requestLength());
      if (shape != null) {
        call.set(Keys.SHAPE_HASH, shape.shapeHash);
        call.set(Keys.TOOLS_HASH, shape.toolsHash);
      }
    }
    if (!Keys.isPrediction(call)) { // a model server's prediction has no GenAI provider
      call.set(Keys.PROVIDER, hosts.providerFor(host, call.get(Keys.PROVIDER), ex.protocol.defaultProvider()));
      call.setIfAbsent(Keys.PROVIDER, "unknown"); // never a null metrics key
      call.setIfAbsent(Keys.OPERATION, "unknown");
    }
    call.set(Keys.SERVER_ADDRESS, host);
    call.set(Keys.SERVER_PORT, (long) ex.request.port());
    int status = ex.status();
    if (status > 0) {
      call.set(Keys.HTTP_STATUS, (long) status);
    }
    call.set(Keys.INSTRUMENTATION, ex.instrumentation);

    if (ex.end() == Exchange.End.FAILED) {
      call.fail(ex.failure().getClass().getName());
    } else if (ex.end() == Exchange.End.CANCELLED) {
      call.fail("cancelled");
    }
    if (status >= 400) {
      try {
        ex.protocol.decodeError(ex.request, ex, ex.responseBytes(), ex.responseLength(), call);
      } catch (Exception | LinkageError e) {
        // an error body that is not the provider's envelope: the status says enough
      }
      call.fail(Integer.toString(status));
    } else if (status >= 200 && status < 300) {
      decodeSuccess(ex, call);
    } else if (status == 0) {
      call.fail(incompleteReason(ex.end(), "no_response")); // ended before any response arrived
    }
    return call;
  }

  private static void decodeSuccess(Exchange ex, AiCall call) {
    StreamDecoder stream = ex.stream();
    if (stream != null) {
      call.set(Keys.STREAM, Boolean.TRUE);
      stream.finish(call);
      if (ex.firstChunkNanos() != 0) {
        call.set(Keys.TIME_TO_FIRST_CHUNK, (ex.firstChunkNanos() - ex.startNanos) / 1e9);
      }
      call.chunkGaps = ex.chunkGaps();
      if (!stream.sawEnd()) {
        call.fail(incompleteReason(ex.end(), "truncated_stream"));
      }
    } else if (ex.responseTruncated()) {
      call.truncated();
    } else if (!call.error) {
      if (ex.responseLength() == 0) {
        call.fail(incompleteReason(ex.end(), "empty_response"));
        return;
      }
      try {
        ex.protocol.decodeResponse(ex.request, ex, ex.responseBytes(), ex.responseLength(), call);
      } catch (Exception e) {
        call.fail(incompleteReason(ex.end(), "malformed_response"));
      }
    }
  }

  /** Why a body is incomplete: the application stopped early, or the server sent it so. */
  private static String incompleteReason(Exchange.End end, String whenComplete) {
    switch (end) {
      case CLOSED:
        return "closed_early";
      case ABANDONED:
        return "abandoned";
      default:
        return whenComplete;
    }
  }

}
