package io.tracelight.core.export.otlp;

import io.tracelight.core.AgentVersion;
import io.tracelight.core.Log;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The OpenTelemetry exporter settings, read the way the OpenTelemetry SDK reads them: a system
 * property ({@code otel.exporter.otlp.endpoint}) wins over its environment twin
 * ({@code OTEL_EXPORTER_OTLP_ENDPOINT}), and a signal's own key ({@code ..._TRACES_...},
 * {@code ..._METRICS_...}) over the general one. One difference: a signal's headers are added to the
 * general ones (its own winning per name), where the SDK takes the signal's alone. Header values are
 * never printed.
 */
public final class OtlpSettings {
  static final String DEFAULT_ENDPOINT = "http://localhost:4318";

  /** Where and how one signal (traces, metrics, logs) is sent. Immutable. */
  static final class Signal {
    final URI endpoint;
    final Map<String, String> headers;
    final boolean gzip;
    final int timeoutMillis;
    /** {@code http/json}; {@code http/protobuf} otherwise. */
    final boolean json;

    Signal(URI endpoint, Map<String, String> headers, boolean gzip, int timeoutMillis, boolean json) {
      this.endpoint = endpoint;
      this.headers = headers;
      this.gzip = gzip;
      this.timeoutMillis = timeoutMillis;
      this.json = json;
    }
  }

  final Signal traces;
  final Signal metrics;
  /** Where alerts go as log records ({@code /v1/logs}). */
  final Signal logs;
  /** False with {@code OTEL_LOGS_EXPORTER=none}: alerts are then metrics only. */
  final boolean logsEnabled;
  /** How often metrics are sent ({@code OTEL_METRIC_EXPORT_INTERVAL}); also once at exit. */
  final long metricsIntervalMillis;
  /**
   * How long the sender gathers spans after the first one before it sends a batch that is not full
   * ({@code OTEL_BSP_SCHEDULE_DELAY}, the SDK's batch span processor setting; 1000 ms by default, as there).
   */
  final long scheduleDelayMillis;
  /** {@code OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=delta}; cumulative otherwise. */
  final boolean deltaTemporality;
  /** The traces endpoint as it may be printed: no user information, no query (either may hold a key). */
  final String endpointForLogs;
  final Map<String, Object> resource;

  private OtlpSettings(Signal traces, Signal metrics, Signal logs, boolean logsEnabled, long metricsIntervalMillis,
      long scheduleDelayMillis,
      boolean deltaTemporality, Map<String, Object> resource) {
    this.traces = traces;
    this.metrics = metrics;
    this.logs = logs;
    this.logsEnabled = logsEnabled;
    this.metricsIntervalMillis = metricsIntervalMillis;
    this.scheduleDelayMillis = scheduleDelayMillis;
    this.deltaTemporality = deltaTemporality;
    this.endpointForLogs = forLogs(traces.endpoint);
    this.resource = resource;
  }

  /** Reads the process's settings; {@code env} and {@code props} are the environment and system properties. */
  public static OtlpSettings read(Map<String, String> env, Map<String, String> props) {
    URI endpoint = endpoint(env, props, "traces", true);
    URI metricsEndpoint = endpoint(env, props, "metrics", false); // a bad general endpoint is said once
    URI logsEndpoint = endpoint(env, props, "logs", false);

    Map<String, String> general = new LinkedHashMap<>();
    pairs(value(env, props, "otel.exporter.otlp.headers"), general, "otel.exporter.otlp.headers");
    Signal traces = signal(env, props, "traces", endpoint, general);
    Signal metrics = signal(env, props, "metrics", metricsEndpoint, general);
    Signal logs = signal(env, props, "logs", logsEndpoint, general);
    long interval = Math.max(100, millis(env, props, "otel.metric.export.interval", 60_000));
    long delay = Math.max(0, millis(env, props, "otel.bsp.schedule.delay", 1000));
    String temporality = value(env, props, "otel.exporter.otlp.metrics.temporality.preference");
    boolean delta = "delta".equalsIgnoreCase(temporality);
    if (temporality != null && !delta && !"cumulative".equalsIgnoreCase(temporality)) {
      Log.warn("otel.exporter.otlp.metrics.temporality.preference '" + temporality
          + "' is not known (cumulative, delta); using cumulative");
    }
    boolean logsEnabled = !"none".equalsIgnoreCase(value(env, props, "otel.logs.exporter"));
    return new OtlpSettings(traces, metrics, logs, logsEnabled, interval, delay, delta, resource(env, props));
  }

  private static long millis(Map<String, String> env, Map<String, String> props, String key, long otherwise) {
    String text = value(env, props, key);
    if (text == null) {
      return otherwise;
    }
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      Log.warn(key + " '" + text + "' is not a number of milliseconds; using " + otherwise);
      return otherwise;
    }
  }

  /**
   * One signal's headers, compression, timeout and protocol: its own variable ({@code ..._TRACES_...},
   * {@code ..._METRICS_...}) over the general one; headers merge, the signal's winning per key.
   */
  private static Signal signal(Map<String, String> env, Map<String, String> props, String signal, URI endpoint,
      Map<String, String> generalHeaders) {
    Map<String, String> headers = new LinkedHashMap<>(generalHeaders);
    String own = "otel.exporter.otlp." + signal + ".headers";
    pairs(value(env, props, own), headers, own);
    String compression = first(value(env, props, "otel.exporter.otlp." + signal + ".compression"),
        value(env, props, "otel.exporter.otlp.compression"));
    boolean gzip = "gzip".equalsIgnoreCase(compression);
    if (compression != null && !gzip && !"none".equalsIgnoreCase(compression)) {
      Log.warnOnce("otlp-compression-" + compression,
          "OTLP compression '" + compression + "' is not known (gzip, none); sending uncompressed");
    }
    int timeout = 10_000;
    String timeoutText = first(value(env, props, "otel.exporter.otlp." + signal + ".timeout"),
        value(env, props, "otel.exporter.otlp.timeout"));
    if (timeoutText != null) {
      try {
        timeout = Math.max(1, Integer.parseInt(timeoutText.trim()));
      } catch (NumberFormatException e) {
        Log.warnOnce("otlp-timeout-" + timeoutText,
            "OTLP timeout '" + timeoutText + "' is not a number of milliseconds; using 10000");
      }
    }
    String protocol = first(value(env, props, "otel.exporter.otlp." + signal + ".protocol"),
        value(env, props, "otel.exporter.otlp.protocol"));
    boolean json = "http/json".equals(protocol);
    if (protocol != null && !json && !"http/protobuf".equals(protocol)) {
      Log.warnOnce("otlp-protocol-" + protocol, "OTLP protocol '" + protocol
          + "' is not supported (http/protobuf, http/json); sending http/protobuf");
    }
    return new Signal(endpoint, Collections.unmodifiableMap(headers), gzip, timeout, json);
  }

  /** An endpoint as it may be printed: no user information, no query (either may hold a key). */
  static String forLogs(URI endpoint) {
    return endpoint.getScheme() + "://" + (endpoint.getHost() != null ? endpoint.getHost() : "?")
        + (endpoint.getPort() >= 0 ? ":" + endpoint.getPort() : "") + endpoint.getRawPath();
  }

  /** The signal's own endpoint as given, else the general one with {@code /v1/<signal>} appended. */
  private static URI endpoint(Map<String, String> env, Map<String, String> props, String signal,
      boolean sayGeneral) {
    String own = value(env, props, "otel.exporter.otlp." + signal + ".endpoint");
    String base = value(env, props, "otel.exporter.otlp.endpoint");
    try {
      URI endpoint;
      if (own != null) {
        endpoint = URI.create(own);
      } else {
        String b = base != null ? base : DEFAULT_ENDPOINT;
        endpoint = URI.create(b.endsWith("/") ? b + "v1/" + signal : b + "/v1/" + signal);
      }
      if (!"http".equals(endpoint.getScheme()) && !"https".equals(endpoint.getScheme())) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
      return endpoint;
    } catch (IllegalArgumentException e) {
      if (own == null && !sayGeneral) {
        return URI.create(DEFAULT_ENDPOINT + "/v1/" + signal);
      }
      Log.warn("the OTLP endpoint (" + (own != null ? "otel.exporter.otlp." + signal + ".endpoint" : "otel.exporter.otlp.endpoint")
          + ") is not an http(s) URL; using " + DEFAULT_ENDPOINT + "/v1/" + signal);
      return URI.create(DEFAULT_ENDPOINT + "/v1/" + signal);
    }
  }

  /** service.name, the telemetry.sdk.* and process and host attributes, then OTEL_RESOURCE_ATTRIBUTES. */
  static Map<String, Object> resource(Map<String, String> env, Map<String, String> props) {
    Map<String, String> given = new LinkedHashMap<>();
    pairs(value(env, props, "otel.resource.attributes"), given, "otel.resource.attributes");
    Map<String, Object> resource = new LinkedHashMap<>();
    String service = first(value(env, props, "otel.service.name"), given.get("service.name"));
    resource.put("service.name", service != null ? service : "unknown_service:java");
    resource.put("telemetry.sdk.name", "tracelight");
    resource.put("telemetry.sdk.language", "java");
    resource.put("telemetry.sdk.version", AgentVersion.VALUE);
    resource.put("process.pid", io.tracelight.core.ProcessId.current());
    resource.put("process.runtime.name", String.valueOf(props.get("java.runtime.name")));
    resource.put("process.runtime.version", String.valueOf(props.get("java.runtime.version")));
    String host = hostName(env);
    if (host != null) {
      resource.put("host.name", host);
    }
    for (Map.Entry<String, String> e : given.entrySet()) {
      if (!e.getKey().equals("service.name")) {
        resource.put(e.getKey(), e.getValue());
      }
    }
    return Collections.unmodifiableMap(resource);
  }

  /** {@code HOSTNAME}, else the kernel's name for the host; never a DNS lookup, which can stall start-up. */
  private static String hostName(Map<String, String> env) {
    String h = env.get("HOSTNAME");
    if (h != null && !h.trim().isEmpty()) {
      return h.trim();
    }
    try {
      String kernel = new String(Files.readAllBytes(Paths.get("/proc/sys/kernel/hostname")), StandardCharsets.UTF_8).trim();
      return kernel.isEmpty() ? null : kernel;
    } catch (Exception e) {
      return null;
    }
  }

  /**
   * {@code key=value} pairs, comma separated, values percent-decoded (the OpenTelemetry format); a bad
   * entry is left out and said, naming {@code name}, unless {@code name} is null.
   */
  private static void pairs(String text, Map<String, String> into, String name) {
    if (text == null) {
      return;
    }
    for (String pair : text.split(",")) {
      if (pair.trim().isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        warn(name, " has an entry without key=value; it is ignored (its text is not shown)");
        continue;
      }
      try {
        String key = pair.substring(0, eq).trim();
        String value = percentDecoded(pair.substring(eq + 1).trim());
        if (hasControlCharacter(key) || hasControlCharacter(value)) {
          warn(name, " has an entry with a control character (a line break?); it is ignored (its text is not shown)");
          continue;
        }
        into.put(key, value);
      } catch (IllegalArgumentException e) {
        warn(name, " has a value that is not percent-encoded properly; that entry is ignored (its text is not shown)");
      }
    }
  }

  private static void warn(String name, String what) {
    if (name != null) {
      Log.warn(name + what);
    }
  }

  /** One attribute of {@code OTEL_RESOURCE_ATTRIBUTES} (or {@code otel.resource.attributes}), or null; says nothing about bad entries (the exporter does). */
  public static String resourceAttribute(String name) {
    Map<String, String> props = new java.util.HashMap<>();
    String given = System.getProperty("otel.resource.attributes");
    if (given != null) {
      props.put("otel.resource.attributes", given);
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    pairs(value(System.getenv(), props, "otel.resource.attributes"), attributes, null);
    String v = attributes.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  /** The system property, else its environment twin (upper case, dots as underscores). */
  static String value(Map<String, String> env, Map<String, String> props, String property) {
    String v = props.get(property);
    if (v == null) {
      v = env.get(property.toUpperCase(Locale.ROOT).replace('.', '_'));
    }
    return v == null || v.trim().isEmpty() ? null : v.trim();
  }

  private static String first(String a, String b) {
    return a != null ? a : b;
  }

  /** The settings of this process. */
  public static OtlpSettings fromProcess() {
    Map<String, String> props = new LinkedHashMap<>();
    for (String name : System.getProperties().stringPropertyNames()) {
      props.put(name, System.getProperty(name));
    }
    return read(System.getenv(), props);
  }

  private static boolean hasControlCharacter(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  /** {@code %XX} sequences decoded as UTF-8; a {@code +} stays a plus (tokens carry them). */
  static String percentDecoded(String text) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    int i = 0;
    while (i < text.length()) {
      int escape = text.indexOf('%', i);
      int runEnd = escape < 0 ? text.length() : escape;
      byte[] run = text.substring(i, runEnd).getBytes(StandardCharsets.UTF_8);
      bytes.write(run, 0, run.length);
      if (escape < 0) {
        break;
      }
      int high = escape + 2 < text.length() ? Character.digit(text.charAt(escape + 1), 16) : -1;
      int low = high < 0 ? -1 : Character.digit(text.charAt(escape + 2), 16);
      if (low < 0) {
        throw new IllegalArgumentException("bad percent escape");
      }
      bytes.write(high << 4 | low);
      i = escape + 3;
    }
    return new String(bytes.toByteArray(), StandardCharsets.UTF_8);
  }
}
