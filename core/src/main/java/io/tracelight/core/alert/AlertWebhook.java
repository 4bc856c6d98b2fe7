package io.tracelight.core.alert;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tracelight.core.AgentThread;
import io.tracelight.core.AgentVersion;
import io.tracelight.core.InternalErrors;
import io.tracelight.core.Log;
import io.tracelight.core.export.IsoTimestamp;
import io.tracelight.core.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * POSTs alert events as JSON to {@code tracelight.alerts.webhook.url}, on an agent thread of its own
 * (started at the first event), never on the pipeline's or the application's: {@code json} (the
 * event as in {@code alerts.jsonl}), {@code alertmanager} (Alertmanager's {@code /api/v2/alerts}
 * body; open episodes are sent again every minute, since Alertmanager resolves an alert it has not
 * heard of for its {@code resolve_timeout}; announcements are not sent) or {@code slack} (an incoming webhook's {@code text}).
 * Each event is tried {@value #ATTEMPTS} times, a second and then two apart, on a network error, 429
 * or 5xx; a full queue drops and counts.
 *
 * <p>Threads: {@link #alert} on the pipeline thread; the sending thread alone posts; the counts from any thread.
 */
public final class AlertWebhook implements AlertBook.Sink {
  public enum Format { JSON, ALERTMANAGER, SLACK }

  static final int ATTEMPTS = 3;
  static final int QUEUE = 256;
  static final long RESEND_NANOS = TimeUnit.MINUTES.toNanos(1);
  private static final int TIMEOUT_MILLIS = 5000;

  private final URI url;
  private final Format format;
  private final AlertBook book;
  private final ArrayBlockingQueue<Alert> queue = new ArrayBlockingQueue<>(QUEUE);
  private final LongAdder sent = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private volatile Thread sender;
  private volatile boolean stopped;
  /** Set while the sending thread holds an event it took from the queue. */
  private volatile boolean delivering;
  /** Test-only: the backoff unit, a second in production. */
  long backoffMillis = 1000;

  public AlertWebhook(URI url, Format format, AlertBook book) {
    this.url = url;
    this.format = format;
    this.book = book;
  }

  /** The webhook a URL and format name configure; null (said once) when the URL is not http(s) or the format unknown. */
  public static AlertWebhook configured(String url, String format, AlertBook book) {
    if (url == null || url.isEmpty()) {
      return null;
    }
    Format f;
    try {
      f = Format.valueOf(format.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      Log.warn("tracelight.alerts.webhook.format=" + format + " is not json, alertmanager or slack; using json");
      f = Format.JSON;
    }
    try {
      URI uri = URI.create(url.trim());
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException("not http(s)");
      }
      return new AlertWebhook(uri, f, book);
    } catch (IllegalArgumentException e) {
      Log.warn("tracelight.alerts.webhook.url is not an http(s) URL; alerts are not posted (its text is not shown)");
      return null;
    }
  }

  @Override
  public void alert(Alert alert) {
    if (format == Format.ALERTMANAGER && alert.state == Alert.State.ANNOUNCED) {
      return; // information, not an alert to route: alerts.jsonl and the summary have it
    }
    if (stopped || !queue.offer(alert)) {
      dropped.increment();
      return;
    }
    if (sender == null) {
      start();
    }
  }

  private synchronized void start() {
    if (sender != null) {
      return;
    }
    Thread t = new AgentThread("tracelight-alerts") {
      @Override
      public void run() {
        loop();
      }
    };
    sender = t;
    t.start();
  }

  private void loop() {
    long lastResend = System.nanoTime();
    while (!stopped) {
      try {
        Alert next = queue.poll(1, TimeUnit.SECONDS);
        if (next != null) {
          delivering = true;
          try {
            deliver(body(java.util.Collections.singletonList(next)));
          } finally {
            delivering = false;
          }
        }
        if (format == Format.ALERTMANAGER && System.nanoTime() - lastResend >= RESEND_NANOS) {
          lastResend = System.nanoTime();
          List<Alert> open = book.firing();
          if (!open.isEmpty()) {
            deliver(body(open));
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        InternalErrors.report("alert webhook", t);
      }
    }
  }

  /** Sends what is queued, waiting up to {@code millis}; then the thread stops. At exit. */
  public void close(long millis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while ((!queue.isEmpty() || delivering) && sender != null && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        break;
      }
    }
    stopped = true;
    dropped.add(queue.size());
    queue.clear();
  }

  private void deliver(byte[] body) throws InterruptedException {
    String why = null;
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      int status = post(body);
      if (status >= 200 && status < 300) {
        sent.increment();
        return;
      }
      boolean retryable = status < 0 || status == 429 || status >= 500;
      why = status < 0 ? "no answer" : "HTTP " + status;
      if (!retryable || attempt == ATTEMPTS || stopped) {
        break;
      }
      Thread.sleep(backoffMillis << (attempt - 1));
    }
    failed.increment();
    Log.warnOnce("alert-webhook", "an alert could not be posted to tracelight.alerts.webhook.url (" + why
        + "); it is in alerts.jsonl and the summary; failures are counted");
  }

  private int post(byte[] body) {
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) url.toURL().openConnection();
      c.setConnectTimeout(TIMEOUT_MILLIS);
      c.setReadTimeout(TIMEOUT_MILLIS);
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(body.length);
      c.setRequestProperty("Content-Type", "application/json");
      c.setRequestProperty("User-Agent", "tracelight/" + AgentVersion.VALUE);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
      int status = c.getResponseCode();
      try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
        if (in != null) {
          byte[] skip = new byte[512];
          while (in.read(skip) >= 0) {
            // the answer's body is not needed
          }
        }
      }
      return status;
    } catch (IOException | RuntimeException e) {
      if (c != null) {
        c.disconnect();
      }
      return -1;
    }
  }

  /** The body for {@code alerts} in this webhook's format. */
  byte[] body(List<Alert> alerts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(512);
    try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
      switch (format) {
        case ALERTMANAGER:
          g.writeStartArray();
          for (Alert a : alerts) {
            alertmanager(g, a);
          }
          g.writeEndArray();
          break;
        case SLACK:
          g.writeStartObject();
          StringBuilder text = new StringBuilder();
          for (Alert a : alerts) {
            slack(text, a);
          }
          g.writeStringField("text", text.toString());
          g.writeEndObject();
          break;
        default:
          alerts.get(0).write(g);
      }
    }
    return out.toByteArray();
  }

  /** One alert in Alertmanager's v2 API form: labels identify it, a resolution sets {@code endsAt}. */
  private static void alertmanager(JsonGenerator g, Alert a) throws IOException {
    g.writeStartObject();
    g.writeObjectFieldStart("labels");
    g.writeStringField("alertname", "Tracelight" + camel(a.rule));
    g.writeStringField("severity", Alert.name(a.severity));
    g.writeStringField("signal", a.signal);
    g.writeStringField("provider", a.subject.provider);
    g.writeStringField("model", a.subject.model);
    if (a.subject.version != null) {
      g.writeStringField("model_version", a.subject.version);
    }
    if (a.subject.deployment != null) {
      g.writeStringField("deployment", a.subject.deployment);
    }
    g.writeEndObject();
    g.writeObjectFieldStart("annotations");
    g.writeStringField("summary", a.message);
    if (a.runbook != null && !a.runbook.isEmpty()) {
      g.writeStringField("runbook_url", a.runbook);
    }
    if (a.statistic != null) {
      g.writeStringField("statistic", a.statistic + " " + a.value + " (threshold " + a.threshold + ")");
    }
    g.writeEndObject();
    if (a.state == Alert.State.FIRING) {
      g.writeStringField("startsAt", IsoTimestamp.format(a.epochNanos));
    } else {
      g.writeStringField("endsAt", IsoTimestamp.format(a.epochNanos)); // same labels: Alertmanager resolves it
    }
    g.writeEndObject();
  }

  private static void slack(StringBuilder text, Alert a) {
    if (text.length() > 0) {
      text.append('\n');
    }
    text.append(a.state == Alert.State.RESOLVED ? "resolved" : Alert.name(a.severity).toUpperCase(java.util.Locale.ROOT))
        .append(": ").append(a.message);
    if (a.runbook != null && !a.runbook.isEmpty()) {
      text.append(" <").append(a.runbook).append("|runbook>");
    }
  }

  private static String camel(String rule) {
    StringBuilder b = new StringBuilder();
    boolean up = true;
    for (char ch : rule.toCharArray()) {
      if (ch == '_') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(ch) : ch);
        up = false;
      }
    }
    return b.toString();
  }

  public long sent() {
    return sent.sum();
  }

  public long failed() {
    return failed.sum();
  }

  public long dropped() {
    return dropped.sum();
  }
}
