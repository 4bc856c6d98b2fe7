package io.tracelight.otel;

import io.opentelemetry.api.OpenTelemetry;
import io.tracelight.core.AgentVersion;
import io.tracelight.core.HostAgent;
import io.tracelight.core.Log;
import io.tracelight.core.config.Config;
import io.tracelight.core.config.ConfigOption;
import io.tracelight.core.exchange.ContextCapture;
import io.tracelight.core.export.Exporter;
import io.tracelight.core.pipeline.Pipeline;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** The OpenTelemetry Java agent as Tracelight's host. Used once, by the thread that installs the extension. */
final class OtelHost implements HostAgent {
  static final String EXPORTER = "otel";
  private final OpenTelemetry otel;
  private final boolean preferOtelGenAi;

  OtelHost(OpenTelemetry otel, boolean preferOtelGenAi) {
    this.otel = otel;
    this.preferOtelGenAi = preferOtelGenAi;
  }

  /**
   * {@code tracelight.otel.ai-spans=opentelemetry}, as a system property or environment variable
   * only: the agent asks for it while configuring its SDK, before Tracelight's config is read.
   */
  static boolean preferOtelGenAi() {
    String v = System.getProperty(ConfigOption.PREFIX + ConfigOption.OTEL_AI_SPANS.key);
    if (v == null) {
      v = System.getenv("TRACELIGHT_OTEL_AI_SPANS");
    }
    if (v == null || v.trim().equalsIgnoreCase("tracelight")) {
      return false;
    }
    if (v.trim().equalsIgnoreCase("opentelemetry")) {
      return true;
    }
    Log.warnOnce("otel-ai-spans", "tracelight.otel.ai-spans=" + v + " is not known (tracelight, opentelemetry); using tracelight");
    return false;
  }

  @Override
  public String name() {
    return "the OpenTelemetry agent";
  }

  /**
   * Spans and metrics go to the agent's pipeline only (a file appears only when asked for), and the
   * agent's own style of switch, {@code otel.instrumentation.tracelight-<name>.enabled}, turns a
   * Tracelight module off or on when {@code tracelight.instrumentation.<name>.enabled} is not set.
   */
  @Override
  public Map<String, String> configDefaults() {
    Map<String, String> defaults = new HashMap<>();
    defaults.put(ConfigOption.EXPORTERS.key, EXPORTER);
    for (String module : ConfigOption.INSTRUMENTATIONS) {
      String v = otelSetting("otel.instrumentation.tracelight-" + module + ".enabled");
      if (v != null) {
        defaults.put("instrumentation." + module + ".enabled", v);
      }
    }
    return defaults;
  }

  /** A setting the OpenTelemetry way: system property, else its environment variable. */
  static String otelSetting(String property) {
    String v = System.getProperty(property);
    if (v == null) {
      v = System.getenv(property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }
    return v;
  }

  @Override
  public ContextCapture contextCapture() {
    return new OtelContextCapture(preferOtelGenAi);
  }

  @Override
  public Exporter exporter(String name, Config config) {
    return EXPORTER.equals(name) ? new OtelExporter(otel, AgentVersion.VALUE) : null;
  }

  @Override
  public String exporterNames() {
    return EXPORTER;
  }

  @Override
  public void installed(Pipeline pipeline, long drainMillis) {
    OtelAutoConfiguration.drain = new Runnable() {
      @Override
      public void run() {
        pipeline.drain(drainMillis);
      }
    };
  }
}
