package io.tracelight.core;

import io.tracelight.core.config.Config;
import io.tracelight.core.exchange.ContextCapture;
import io.tracelight.core.export.Exporter;
import io.tracelight.core.pipeline.Pipeline;
import java.util.Map;

/**
 * The agent Tracelight runs inside when it is not standalone: the OpenTelemetry Java agent, which
 * loads Tracelight as an extension. It gives the current span, exporters into its own pipeline and
 * configuration defaults; everything else (instrumentations, decoders, metrics) is the same code.
 * Called once, on the thread that installs the agent.
 */
public interface HostAgent {
  /** For messages: "the OpenTelemetry agent". */
  String name();

  /** Tracelight settings the host decides unless the user set them (keys without the prefix). */
  Map<String, String> configDefaults();

  ContextCapture contextCapture();

  /** The exporter this host provides under {@code name}, or null when it has none by that name. */
  Exporter exporter(String name, Config config);

  /** The names {@link #exporter} answers, for the message about an unknown one. */
  String exporterNames();

  /**
   * Tracelight is running: the host may {@link Pipeline#drain} it at exit, up to {@code drainMillis},
   * before it flushes its own exporters.
   */
  void installed(Pipeline pipeline, long drainMillis);
}
