package io.tracelight.core.export.otlp;

import io.tracelight.core.AgentThread;
import io.tracelight.core.AgentVersion;
import io.tracelight.core.InternalErrors;
import io.tracelight.core.Log;
import io.tracelight.core.export.Exporter;
import io.tracelight.core.model.AiCall;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.GZIPOutputStream;

/**
 * Sends every record as a span, and the GenAI client metrics every {@code OTEL_METRIC_EXPORT_INTERVAL}
 * and at exit, to an OTLP/HTTP collector ({@code http/protobuf}). The pipeline
 * thread hands calls to a bounded queue and never waits; the {@code tracelight-otlp} thread sends
 * what is queued in batches of up to {@value #MAX_BATCH}, retrying 429, 502, 503, 504 and failed
 * connections with backoff (a {@code Retry-After} in seconds is honoured). Every call is counted
 * once, as sent or as dropped (queue full, not delivered, or still queued or in flight when
 * {@link #close} gives up); the first failure is said once, the totals at exit. So a collector
 * that is down or slow costs the application nothing and the JSONL file nothing.
 * Threads: {@link #export} and {@link #flush} by the pipeline thread, {@link #close} by the thread
 * stopping the pipeline, the sending by the agent's own thread.
 */
public final class OtlpExporter implements Exporter {
  static final int QUEUE_CAPACITY = 2048;
  static final int MAX_BATCH = 512;
  static final int ALERT_QUEUE_CAPACITY = 256;
  private static final int MAX_ATTEMPTS = 5;
  private static final long FIRST_BACKOFF_MILLIS = 1000;
  /** Queued by {@link #close} so that an idle sender, asleep until its next metrics export, wakes at once; never sent. */
  private static final AiCall WAKE = new AiCall();
  private static final long MAX_BACKOFF_MILLIS = 5000;

  private final OtlpSettings settings;
  /** How long {@link #close} lets the sender deliver what is queued. */
  private final long closeMillis;
  private final OtlpTraceEncoder encoder;
  private final OtlpMetrics metrics;
  private final OtlpLogEncoder logEncoder;
  /** Alert events waiting to go out as log records; small, as alerts are few. */
  private final ArrayBlockingQueue<io.tracelight.core.alert.Alert> alerts = new ArrayBlockingQueue<>(ALERT_QUEUE_CAPACITY);
  private final LongAdder alertsSent = new LongAdder();
  private final LongAdder alertsDropped = new LongAdder();
  /** The alert batch being delivered: counted by whoever takes it out, as for spans. */
  private final AtomicReference<List<io.tracelight.core.alert.Alert>> alertsInFlight = new AtomicReference<>();
  private final LongAdder metricExportsFailed = new LongAdder();
  private final ArrayBlockingQueue<AiCall> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
  private final LongAdder sent = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  /** The batch being delivered: whoever takes it out (the sender when done, close when it gives up) counts it. */
  private final AtomicReference<List<AiCall>> inFlight = new AtomicReference<>();
  private volatile HttpURLConnection connection;
  private final AgentThread sender;
  private volatile boolean closing;
  private volatile boolean stopped;
  private volatile String lastFailure;

  private OtlpExporter(OtlpSettings settings, long closeMillis) {
    this.settings = settings;
    this.closeMillis = Math.max(1, closeMillis);
    this.encoder = new OtlpTraceEncoder(settings.resource, AgentVersion.VALUE);
    this.logEncoder = new OtlpLogEncoder(settings.resource, AgentVersion.VALUE);
    this.metrics = new OtlpMetrics(settings.resource, AgentVersion.VALUE, settings.deltaTemporality,
        System.currentTimeMillis() * 1_000_000L);
    this.sender = new AgentThread("tracelight-otlp") { // no lambda: see docs/architecture.md, rules
      @Override
      public void run() {
        sendUntilStopped();
      }
    };
  }

  /** @param closeMillis how long {@link #close} waits for queued spans to be delivered (at exit) */
  public static OtlpExporter start(OtlpSettings settings, long closeMillis) {
    OtlpExporter exporter = new OtlpExporter(settings, closeMillis);
    exporter.sender.start();
    return exporter;
  }

  @Override
  public String name() {
    return "otlp";
  }

  @Override
  public void export(AiCall call) {
    metrics.record(call);
    if (closing) {
      dropped.increment(); // the pipeline outlived its wait at exit: too late to send
      return;
    }
    if (!queue.offer(call)) {
      dropped.increment();
      Log.warnOnce("otlp-queue-full", "OTLP export queue full (" + QUEUE_CAPACITY + " spans): the collector at "
          + settings.endpointForLogs + " is not keeping up; spans are dropped and counted");
    } else if (closing && queue.remove(call)) {
      dropped.increment(); // close drained the queue before this call reached it
    }
  }

  /** Counted in the alert metrics, and queued as a log record; the sender is woken for it. */
  @Override
  public void alert(io.tracelight.core.alert.Alert alert) {
    metrics.alert(alert);
    if (!settings.logsEnabled) {
      return; // OTEL_LOGS_EXPORTER=none: a backend without logs (Jaeger, Tempo)
    }
    if (closing) {
      alertsDropped.increment(); // after the last send, at exit
      return;
    }
    if (!alerts.offer(alert)) {
      alertsDropped.increment();
      Log.warnOnce("otlp-alert-queue-full", "OTLP alert queue full (" + ALERT_QUEUE_CAPACITY + " events): the collector at "
          + OtlpSettings.forLogs(settings.logs.endpoint) + " is not keeping up; alert log records are dropped and counted");
      return;
    }
    queue.offer(WAKE); // when the span queue is full, the sender is busy and sends the alerts next
  }

  @Override
  public void feedback(io.tracelight.core.feedback.FeedbackEvent event) {
    metrics.feedback(event);
  }

  @Override
  public void flush() {
    // the sender takes spans as soon as they are queued
  }

  /**
   * Lets the sender deliver what is queued (one attempt per batch) for the close time, then
   * stops it, cutting a request under way, and counts what is left as dropped.
   */
  @Override
  public void close() {
    closing = true;
    queue.offer(WAKE); // when the queue is full the sender is not asleep
    try {
      sender.join(closeMillis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    stopped = true;
    sender.interrupt();
    HttpURLConnection c = connection;
    if (c != null) {
      c.disconnect();
    }
    try {
      sender.join(1000); // stopped, interrupted and cut: it only has its count left to make
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<AiCall> cut = inFlight.getAndSet(null);
    if (cut != null) {
      dropped.add(cut.size());
    }
    List<AiCall> left = new ArrayList<>();
    queue.drainTo(left);
    while (left.remove(WAKE)) {
      // an alert's wake-up, or close's
    }
    dropped.add(left.size());
    List<io.tracelight.core.alert.Alert> unsent = new ArrayList<>();
    alerts.drainTo(unsent);
    List<io.tracelight.core.alert.Alert> cutAlerts = alertsInFlight.getAndSet(null);
    alertsDropped.add(unsent.size() + (cutAlerts == null ? 0 : cutAlerts.size()));
    if (dropped.sum() > 0) {
      Log.warn("OTLP: " + sent.sum() + " spans sent to " + settings.endpointForLogs + ", " + dropped.sum()
          + " dropped" + (lastFailure != null ? " (last failure: " + lastFailure + ")" : ""));
    }
  }

  @Override
  public void watch(io.tracelight.core.pipeline.Pipeline pipeline) {
    metrics.watch(pipeline);
  }

  @Override
  public void report(io.tracelight.core.metrics.Summary summary) {
    summary.count("otlp_spans_sent", "spans sent over OTLP", sent())
        .count("otlp_spans_dropped", "OTLP spans dropped", dropped())
        .count("otlp_metric_exports_failed", "OTLP metric exports failed", metricExportsFailed())
        .count("otlp_alerts_sent", "alert events sent as OTLP log records", alertsSent.sum())
        .count("otlp_alerts_dropped", "alert events not sent over OTLP", alertsDropped.sum());
  }

  public long sent() {
    return sent.sum();
  }

  public long dropped() {
    return dropped.sum();
  }

  private void sendUntilStopped() {
    long nextMetrics = System.nanoTime() + settings.metricsIntervalMillis * 1_000_000L;
    while (!stopped) {
      if (System.nanoTime() - nextMetrics >= 0) {
        sendMetrics();
        nextMetrics += settings.metricsIntervalMillis * 1_000_000L;
      }
      if (!alerts.isEmpty()) {
        sendAlerts();
      }
      AiCall first;
      try { // idle, it sleeps until the next metrics export or work, whichever comes first
        first = queue.poll(closing ? 0 : Math.max(1, nextMetrics - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (first == WAKE) {
        continue; // closing: what is still queued goes out, then the last metrics
      }
      if (first == null) {
        if (closing) {
          sendAlerts(); // what an exporter closing in the meantime still queued
          sendMetrics(); // the last interval, at exit
          return;
        }
        continue;
      }
      List<AiCall> batch = gather(first);
      if (batch == null) {
        return; // interrupted while gathering: close counts what is queued
      }
      inFlight.set(batch);
      boolean delivered = false;
      try {
        delivered = deliver(body(encoder.encode(batch), settings.traces, OtlpJson.TRACES), settings.traces, "spans");
      } catch (Throwable t) {
        InternalErrors.report("OTLP export", t);
      }
      if (inFlight.compareAndSet(batch, null)) { // else close counted it
        (delivered ? sent : dropped).add(batch.size());
      }
    }
  }

  /**
   * A batch starting with {@code first}: full, or what came within the schedule delay (a batch per
   * call would cost a request per call), or what is queued when closing; null when interrupted.
   */
  private List<AiCall> gather(AiCall first) {
    List<AiCall> batch = new ArrayList<>(Math.min(MAX_BATCH, queue.size() + 1));
    batch.add(first);
    long sendBy = System.nanoTime() + settings.scheduleDelayMillis * 1_000_000L;
    while (true) {
      queue.drainTo(batch, MAX_BATCH - batch.size());
      long left = sendBy - System.nanoTime();
      if (batch.size() >= MAX_BATCH || closing || left <= 0 || batch.contains(WAKE)) {
        break; // (an alert's wake-up: the spans go now, the alert right after)
      }
      AiCall next;
      try {
        next = queue.poll(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        for (AiCall call : batch) {
          if (call != WAKE && !queue.offer(call)) { // back where close finds and counts it
            dropped.increment();
          }
        }
        return null;
      }
      if (next == null || next == WAKE) {
        break;
      }
      batch.add(next);
    }
    while (batch.remove(WAKE)) {
      // alerts queued meanwhile go out after this batch
    }
    return batch;
  }

  private void sendAlerts() {
    List<io.tracelight.core.alert.Alert> batch = new ArrayList<>(alerts.size());
    alerts.drainTo(batch);
    if (batch.isEmpty()) {
      return;
    }
    alertsInFlight.set(batch);
    boolean delivered = false;
    try {
      delivered = deliver(body(logEncoder.encode(batch, System.currentTimeMillis() * 1_000_000L), settings.logs,
          OtlpJson.LOGS), settings.logs, "alerts");
    } catch (Throwable t) {
      InternalErrors.report("OTLP alert export", t);
    }
    if (alertsInFlight.compareAndSet(batch, null)) { // else close counted it
      (delivered ? alertsSent : alertsDropped).add(batch.size());
    }
  }

  private void sendMetrics() {
    try {
      byte[] encoded = metrics.encode(System.currentTimeMillis() * 1_000_000L);
      if (encoded != null && !deliver(body(encoded, encoded.length, settings.metrics, OtlpJson.METRICS), settings.metrics, "metrics")) {
        metricExportsFailed.increment();
      }
    } catch (Throwable t) {
      metricExportsFailed.increment();
      InternalErrors.report("OTLP metrics export", t);
    }
  }

  /** Metric exports the collector did not take (each one interval's worth, or the totals so far). */
  public long metricExportsFailed() {
    return metricExportsFailed.sum();
  }

  /** True once the collector accepted the request; false when it was given up. */
  private boolean deliver(byte[] body, OtlpSettings.Signal signal, String what) {
    long backoff = FIRST_BACKOFF_MILLIS;
    String failure;
    for (int attempt = 1; ; attempt++) {
      Response r = post(body, signal);
      if (r.status >= 200 && r.status < 300) {
        return true;
      }
      failure = r.failure != null ? r.failure : "HTTP " + r.status;
      boolean retryable = r.retryable || r.status == 429 || r.status == 502 || r.status == 503 || r.status == 504;
      if (!retryable || attempt >= MAX_ATTEMPTS || closing || stopped) {
        break;
      }
      long wait = r.retryAfterMillis >= 0 ? r.retryAfterMillis
          : backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
      backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 3 / 2);
      try {
        Thread.sleep(Math.min(wait, signal.timeoutMillis));
      } catch (InterruptedException e) {
        break;
      }
    }
    lastFailure = failure;
    Log.warnOnce("otlp-failed-" + what, "OTLP export of " + what + " to " + OtlpSettings.forLogs(signal.endpoint)
        + " failed (" + failure + "); they are dropped and counted, the application is not affected");
    return false;
  }

  private static byte[] body(ProtoWriter encoded, OtlpSettings.Signal signal, OtlpJson.Message type)
      throws IOException {
    return body(encoded.array(), encoded.size(), signal, type);
  }

  /** The request body: protobuf or its JSON transcoding, gzipped when asked. */
  private static byte[] body(byte[] bytes, int length, OtlpSettings.Signal signal, OtlpJson.Message type)
      throws IOException {
    if (signal.json) {
      bytes = OtlpJson.transcode(bytes, length, type);
      length = bytes.length;
    }
    if (!signal.gzip) {
      return bytes.length == length ? bytes : java.util.Arrays.copyOf(bytes, length);
    }
    ByteArrayOutputStream zipped = new ByteArrayOutputStream(length / 4 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
      gzip.write(bytes, 0, length);
    }
    return zipped.toByteArray();
  }

  private static final class Response {
    final int status;
    final String failure;
    final boolean retryable;
    final long retryAfterMillis;

    Response(int status, String failure, boolean retryable, long retryAfterMillis) {
      this.status = status;
      this.failure = failure;
      this.retryable = retryable;
      this.retryAfterMillis = retryAfterMillis;
    }
  }

  private Response post(byte[] body, OtlpSettings.Signal signal) {
    HttpURLConnection c = null;
    int status;
    try {
      c = (HttpURLConnection) signal.endpoint.toURL().openConnection();
      connection = c;
      if (stopped) {
        return new Response(-1, "stopped at exit", false, -1);
      }
      c.setConnectTimeout(signal.timeoutMillis);
      c.setReadTimeout(signal.timeoutMillis);
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(body.length);
      c.setRequestProperty("Content-Type", signal.json ? "application/json" : "application/x-protobuf");
      c.setRequestProperty("User-Agent", "tracelight/" + AgentVersion.VALUE);
      if (signal.gzip) {
        c.setRequestProperty("Content-Encoding", "gzip");
      }
      for (Map.Entry<String, String> h : signal.headers.entrySet()) {
        c.setRequestProperty(h.getKey(), h.getValue());
      }
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
      status = c.getResponseCode();
    } catch (IOException e) {
      if (c != null) {
        c.disconnect();
      }
      return new Response(-1, e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : ""),
          true, -1);
    } catch (RuntimeException e) {
      // never the message: it may quote a header value
      return new Response(-1, e.getClass().getSimpleName(), false, -1);
    } finally {
      connection = null;
    }
    long retryAfter = retryAfterMillis(c.getHeaderField("Retry-After"));
    try { // the answer decides; its body is read only so that the connection is kept alive
      drain(status < 400 ? c.getInputStream() : c.getErrorStream());
    } catch (IOException e) {
      c.disconnect();
    }
    return new Response(status, null, false, retryAfter);
  }

  private static void drain(InputStream in) throws IOException {
    if (in == null) {
      return;
    }
    try (InputStream body = in) {
      byte[] skip = new byte[1024];
      while (body.read(skip) >= 0) {
        // the collector's answer is not needed
      }
    }
  }

  /** A {@code Retry-After} in seconds as milliseconds, else -1 (an HTTP date is left to the backoff). */
  static long retryAfterMillis(String header) {
    if (header == null) {
      return -1;
    }
    try {
      return Math.max(0, Long.parseLong(header.trim())) * 1000;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
