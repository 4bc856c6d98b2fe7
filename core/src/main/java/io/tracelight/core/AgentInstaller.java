package io.tracelight.core;

import io.tracelight.core.config.Config;
import io.tracelight.core.config.ConfigOption;
import io.tracelight.core.exchange.CaptureBudget;
import io.tracelight.core.exchange.ContextCapture;
import io.tracelight.core.exchange.Exchanges;
import io.tracelight.core.exchange.OtelApiContext;
import io.tracelight.core.export.Exporter;
import io.tracelight.core.export.JsonlExporter;
import io.tracelight.core.export.otlp.OtlpExporter;
import io.tracelight.core.export.otlp.OtlpSettings;
import io.tracelight.core.instrumentation.InstrumentationInstaller;
import io.tracelight.core.metrics.Metrics;
import io.tracelight.core.metrics.Summary;
import io.tracelight.core.pipeline.CallProcessor;
import io.tracelight.core.pipeline.Pipeline;
import io.tracelight.core.protocol.Protocols;
import io.tracelight.core.protocol.ProviderHosts;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Wires the agent together at start: config, pipeline, exporters, shutdown report, instrumentations. */
public final class AgentInstaller {
  private AgentInstaller() {}

  public static void install(String args, Instrumentation inst, boolean lateAttach) {
    install(inst, null, lateAttach);
  }

  /** Extension mode: Tracelight inside another agent, which gives context, exporters and defaults. */
  public static void installInside(Instrumentation inst, HostAgent host) {
    install(inst, host, false);
  }

  private static void install(Instrumentation inst, HostAgent host, boolean lateAttach) {
    try {
      Config config = host == null ? Config.load() : Config.load(host.configDefaults());
      if (!config.getBoolean(ConfigOption.ENABLED)) {
        return;
      }
      int maxBody = (int) Math.min(Integer.MAX_VALUE - 16, config.getSize(ConfigOption.MAX_BODY_BYTES));
      Path outputDir = Paths.get(config.getString(ConfigOption.OUTPUT_DIR));

      List<Exporter> exporters = new ArrayList<>();
      JsonlExporter jsonl = null;
      int hostedCount = 0; // the host's exporters go first: they may take the host's span ids for the call
      for (String name : config.getString(ConfigOption.EXPORTERS).split(",")) {
        String exporter = name.trim();
        Exporter hosted = host == null ? null : host.exporter(exporter, config);
        if (hosted != null) {
          exporters.add(hostedCount++, hosted);
        } else if (exporter.equals("jsonl")) {
          jsonl = JsonlExporter.open(outputDir, config.getSize(ConfigOption.OUTPUT_MAX_FILE_BYTES),
              config.getBoolean(ConfigOption.OUTPUT_ROTATE_DAILY),
              retention(config));
          if (jsonl != null) {
            exporters.add(jsonl);
          }
        } else if (exporter.equals("otlp")) {
          exporters.add(OtlpExporter.start(OtlpSettings.fromProcess(), config.getInt(ConfigOption.SHUTDOWN_FLUSH_MILLIS)));
        } else if (!exporter.equals("none") && !exporter.isEmpty()) {
          Log.warn("tracelight.exporters names an unknown exporter '" + exporter + "' (known: jsonl, otlp, "
              + (host == null ? "" : host.exporterNames() + ", ") + "none); ignored");
        }
      }
      Metrics metrics = new Metrics(config.getInt(ConfigOption.PREDICTION_WINDOW_CALLS));
      io.tracelight.core.prediction.FeatureValues.enable(config.getBoolean(ConfigOption.CAPTURE_FEATURES));
      io.tracelight.core.protocol.Sha256.key(config.getString(ConfigOption.HASH_KEY));
      ProviderHosts hosts = new ProviderHosts(config.getString(ConfigOption.PROVIDER_HOSTS));
      io.tracelight.core.model.Content.maxChars(config.getInt(ConfigOption.MAX_CONTENT_CHARS));
      io.tracelight.core.policy.ContentStage contentStage = new io.tracelight.core.policy.ContentStage(
          io.tracelight.core.privacy.Redactor.withPatterns(config.piiPatterns()), contentStore(config, outputDir, retention(config)));
      io.tracelight.core.policy.RecordPolicy policy = new io.tracelight.core.policy.RecordPolicy(
          fidelityRules(config),
          io.tracelight.core.policy.CaptureLevel.parse(config.getString(ConfigOption.CAPTURE_CONTENT)), contentStage,
          sampling(config));
      CallProcessor processor = new CallProcessor(metrics, exporters, hosts, policy);
      String salt = config.getString(ConfigOption.USER_SALT);
      io.tracelight.core.policy.Identity identity = new io.tracelight.core.policy.Identity(
          config.getString(ConfigOption.USER_HEADER), config.getString(ConfigOption.USER_MDC_KEY),
          config.getString(ConfigOption.SESSION_HEADER), config.getString(ConfigOption.SESSION_MDC_KEY),
          salt.isEmpty() ? config.getString(ConfigOption.HASH_KEY) : salt);
      processor.identity(identity);
      processor.signals(new io.tracelight.core.quality.OutputSignals(io.tracelight.core.quality.RefusalPhrases.of(
          config.getBoolean(ConfigOption.REFUSAL_DEFAULT_PHRASES),
          io.tracelight.core.quality.RefusalPhrases.split(config.getString(ConfigOption.REFUSAL_PHRASES)),
          config.getInt(ConfigOption.REFUSAL_WINDOW_CHARS))));
      String pricingFile = config.getString(ConfigOption.PRICING_FILE);
      processor.pricing(new io.tracelight.core.cost.Pricing(null, pricingFile.isEmpty() ? null : Paths.get(pricingFile),
          io.tracelight.core.cost.Pricing.aliases(config.getString(ConfigOption.PRICING_ALIASES))));
      io.tracelight.core.exchange.MdcReader.keys(identity.logKeys());
      String label = config.getString(ConfigOption.DEPLOYMENT);
      io.tracelight.core.drift.DeploymentLabel deployment = new io.tracelight.core.drift.DeploymentLabel(
          label.isEmpty() ? OtlpSettings.resourceAttribute("service.version") : label,
          config.getString(ConfigOption.DEPLOYMENT_HEADER));
      processor.deployment(deployment);
      io.tracelight.core.export.EventFile alertFile = null;
      io.tracelight.core.alert.AlertWebhook webhook = null;
      if (config.getBoolean(ConfigOption.DRIFT_ENABLED)) {
        io.tracelight.core.alert.AlertBook alerts =
            new io.tracelight.core.alert.AlertBook(config.getDurationMillis(ConfigOption.ALERTS_COOLDOWN) * 1_000_000L);
        if (host == null || jsonl != null) {
          alertFile = io.tracelight.core.export.EventFile.lazy(outputDir, "alerts",
              config.getSize(ConfigOption.OUTPUT_MAX_FILE_BYTES), config.getBoolean(ConfigOption.OUTPUT_ROTATE_DAILY),
              retention(config));
          alerts.sink(io.tracelight.core.alert.AlertBook.into(alertFile));
        }
        long raiseMillis = config.getString(ConfigOption.ALERTS_RAISE_FIDELITY_FOR).isEmpty() ? 0
            : config.getDurationMillis(ConfigOption.ALERTS_RAISE_FIDELITY_FOR);
        if (raiseMillis > 0) {
          alerts.responder(new FidelityResponse(policy, raiseMillis));
        }
        webhook = io.tracelight.core.alert.AlertWebhook.configured(config.getString(ConfigOption.ALERTS_WEBHOOK_URL),
            config.getString(ConfigOption.ALERTS_WEBHOOK_FORMAT), alerts);
        if (webhook != null) {
          alerts.sink(webhook);
        }
        alerts.sink(processor.alertsToExporters());
        io.tracelight.core.drift.DriftMonitor monitor = new io.tracelight.core.drift.DriftMonitor(driftSettings(config),
            alerts, io.tracelight.core.policy.CaptureLevel.parse(config.getString(ConfigOption.CAPTURE_CONTENT))
                != io.tracelight.core.policy.CaptureLevel.NONE || io.tracelight.core.protocol.Sha256.keyed());
        String baselineFile = config.getString(ConfigOption.DRIFT_BASELINE);
        if (!baselineFile.isEmpty()) {
          try {
            monitor.baseline(io.tracelight.core.drift.DriftBaseline.read(Paths.get(baselineFile)));
          } catch (IOException | RuntimeException e) {
            Log.warn("tracelight.drift.baseline " + baselineFile + " is not read (" + (e.getMessage() != null
                ? e.getMessage() : e.getClass().getSimpleName()) + "); references are made from the first calls");
          }
        }
        double budget = dailyBudget(config);
        if (budget > 0) {
          monitor.budget(new io.tracelight.core.drift.BudgetWatch(budget, alerts, config.getString(ConfigOption.ALERTS_RUNBOOK)));
        }
        processor.drift(monitor);
      }
      processor.feedback(new io.tracelight.core.feedback.FeedbackStage(host == null || jsonl != null
          ? io.tracelight.core.export.EventFile.lazy(outputDir, "feedback", config.getSize(ConfigOption.OUTPUT_MAX_FILE_BYTES),
              config.getBoolean(ConfigOption.OUTPUT_ROTATE_DAILY), retention(config))
          : null, processor.drift()));
      if (config.getBoolean(ConfigOption.AUDIT_ENABLED)) {
        processor.audit(io.tracelight.core.audit.AuditTrail.open(outputDir, config.getSize(ConfigOption.AUDIT_MAX_FILE_BYTES),
            config.getBoolean(ConfigOption.OUTPUT_ROTATE_DAILY), config.getString(ConfigOption.AUDIT_KEY),
            auditSyncsEachRecord(config),
            io.tracelight.core.policy.CaptureLevel.parse(config.getString(ConfigOption.CAPTURE_CONTENT))
                != io.tracelight.core.policy.CaptureLevel.NONE || io.tracelight.core.protocol.Sha256.keyed()));
      }
      int httpPort = httpPort(config);
      io.tracelight.core.metrics.LiveMetrics live = httpPort < 0 ? null
          : new io.tracelight.core.metrics.LiveMetrics(config.getInt(ConfigOption.METRICS_MAX_SERIES), System.nanoTime());
      Pipeline pipeline = new Pipeline(processor, config.getInt(ConfigOption.QUEUE_CAPACITY));
      CaptureBudget budget = new CaptureBudget(config.getSize(ConfigOption.MAX_INFLIGHT_BYTES));
      final io.tracelight.core.http.AgentHttpServer http = live == null ? null
          : io.tracelight.core.http.AgentHttpServer.start(config.getString(ConfigOption.HTTP_HOST), httpPort, live,
              health(pipeline, budget, processor));
      processor.live(http == null ? null : live); // no endpoint (a port in use): nothing to keep
      pipeline.start();
      Protocols protocols = Protocols.load(AgentInstaller.class.getClassLoader());
      ContextCapture context = host == null ? OtelApiContext.install(inst, lateAttach) : host.contextCapture();
      Exchanges.Setup setup =
          new Exchanges.Setup(protocols, pipeline, maxBody, budget, context, propagates(config, host));
      List<String> recorded = new ArrayList<>(policy.headers());
      recorded.addAll(identity.headers());
      if (deployment.header() != null) {
        recorded.add(deployment.header());
      }
      Exchanges.recordHeaders(recorded);
      Exchanges.install(setup);
      for (Exporter exporter : exporters) {
        exporter.watch(pipeline);
      }
      if (host != null) {
        host.installed(pipeline, config.getInt(ConfigOption.SHUTDOWN_FLUSH_MILLIS));
      }

      long t0 = System.nanoTime();
      InstrumentationInstaller.install(inst, config, AgentInstaller.class.getClassLoader());
      if (Boolean.getBoolean("tracelight.internal.debug")) {
        Log.warn("instrumentations installed in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      }

      boolean summary = config.getBoolean(ConfigOption.SUMMARY);
      int flushMillis = config.getInt(ConfigOption.SHUTDOWN_FLUSH_MILLIS);
      JsonlExporter file = jsonl;
      io.tracelight.core.export.EventFile alertsFile = alertFile;
      io.tracelight.core.alert.AlertWebhook alertsWebhook = webhook;
      Thread hook = new Thread("tracelight-shutdown") { // no lambda: the first one costs start-up time
        @Override
        public void run() {
          if (http != null) {
            try {
              http.stop();
            } catch (Throwable t) {
              InternalErrors.report("metrics endpoint", t); // the records still get flushed below
            }
          }
          shutdown(pipeline, processor, metrics, file, budget, setup, summary, outputDir, flushMillis, exporters,
              host, alertsFile, alertsWebhook);
        }
      };
      Runtime.getRuntime().addShutdownHook(hook);
    } catch (Throwable t) {
      Log.warn("agent not started, the application runs without it: " + t);
    }
  }

  /** {@code tracelight.http.port}: -1 when off (empty), else 0 (any free port) to 65535; a bad value is said and is off. */
  static int httpPort(Config config) {
    String text = config.getString(ConfigOption.HTTP_PORT).trim();
    if (text.isEmpty()) {
      return -1;
    }
    try {
      int port = Integer.parseInt(text);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException ignored) {
      // said below
    }
    Log.warn("tracelight.http.port=" + text + " is not a port (0 to 65535); /metrics is not served");
    return -1;
  }

  /** The agent's own state, as the metrics endpoint reports it; read on the server's thread. */
  private static io.tracelight.core.http.PrometheusFormat.Health health(final Pipeline pipeline,
      final CaptureBudget budget, final CallProcessor processor) {
    return new io.tracelight.core.http.PrometheusFormat.Health() {
      @Override
      public long droppedCalls() {
        return pipeline.dropped();
      }

      @Override
      public long internalErrors() {
        return InternalErrors.count();
      }

      @Override
      public long queueDepth() {
        return pipeline.pending();
      }

      @Override
      public long bytesInFlight() {
        return budget.used();
      }

      @Override
      public List<io.tracelight.core.alert.Alert> firing() {
        io.tracelight.core.drift.DriftMonitor drift = processor.drift();
        return drift == null ? java.util.Collections.<io.tracelight.core.alert.Alert>emptyList() : drift.alerts().firing();
      }
    };
  }

  /** Raises an alerting model's fidelity level for a while: the first tier's automated response. Pipeline thread. */
  static final class FidelityResponse implements io.tracelight.core.alert.AlertBook.Responder {
    private final io.tracelight.core.policy.RecordPolicy policy;
    private final long millis;

    FidelityResponse(io.tracelight.core.policy.RecordPolicy policy, long millis) {
      this.policy = policy;
      this.millis = millis;
    }

    @Override
    public String respond(io.tracelight.core.alert.Alert alert, long nowNanos) {
      if (alert.severity == io.tracelight.core.alert.Alert.Severity.INFO) {
        return null;
      }
      policy.raise(alert.subject.provider, alert.subject.model, nowNanos + millis * 1_000_000L);
      return "every call of " + alert.subject.model + " gets a record (fidelity level 1) for the next "
          + (millis % 60_000 == 0 ? millis / 60_000 + " min" : millis / 1000 + " s");
    }
  }

  private static double dailyBudget(Config config) {
    String text = config.getString(ConfigOption.BUDGET_DAILY_USD);
    try {
      double usd = Double.parseDouble(text);
      if (usd >= 0 && !Double.isInfinite(usd)) {
        return usd;
      }
    } catch (NumberFormatException ignored) {
      // said below
    }
    Log.warn("tracelight.budget.daily-usd=" + text + " is not an amount in USD; no budget is watched");
    return 0;
  }

  private static io.tracelight.core.drift.DriftSettings driftSettings(Config config) {
    return new io.tracelight.core.drift.DriftSettings(config.getInt(ConfigOption.DRIFT_REFERENCE_CALLS),
        config.getInt(ConfigOption.DRIFT_WINDOW_CALLS), config.getFraction(ConfigOption.DRIFT_ALPHA),
        config.getFraction(ConfigOption.DRIFT_PSI_THRESHOLD), config.getFraction(ConfigOption.DRIFT_JSD_THRESHOLD),
        config.getFraction(ConfigOption.DRIFT_MIN_CHANGE), config.getInt(ConfigOption.DRIFT_MIN_EVENTS),
        config.getInt(ConfigOption.DRIFT_MAX_MODELS), config.getInt(ConfigOption.DRIFT_RUNAWAY_FACTOR),
        config.getString(ConfigOption.ALERTS_RUNBOOK));
  }

  private static io.tracelight.core.policy.FidelityRules fidelityRules(Config config) {
    String rules = config.getString(ConfigOption.FIDELITY_RULES);
    String file = config.getString(ConfigOption.FIDELITY_RULES_FILE);
    if (!file.isEmpty()) {
      try {
        rules = rules + "\n" + new String(java.nio.file.Files.readAllBytes(Paths.get(file)),
            java.nio.charset.StandardCharsets.UTF_8);
      } catch (java.io.IOException | RuntimeException e) {
        Log.warn("cannot read tracelight.fidelity.rules-file=" + file + " (" + e + "); its rules are not applied");
      }
    }
    long level = config.getLong(ConfigOption.FIDELITY_DEFAULT_LEVEL, 0);
    if (level > 3) {
      Log.warn("tracelight.fidelity.default-level=" + level + " is not 0 to 3; using 1");
      level = 1;
    }
    return io.tracelight.core.policy.FidelityRules.parse(rules, (int) level);
  }

  private static io.tracelight.core.export.RollingFile.Retention retention(Config config) {
    return new io.tracelight.core.export.RollingFile.Retention(config.getDurationMillis(ConfigOption.RETENTION_MAX_AGE),
        config.getSize(ConfigOption.RETENTION_MAX_BYTES));
  }

  /** {@code capture.store=file}: the restricted store for kept text; null keeps text in the record. */
  private static io.tracelight.core.policy.ContentStore contentStore(Config config, Path outputDir,
      io.tracelight.core.export.RollingFile.Retention retention) {
    String store = config.getString(ConfigOption.CAPTURE_STORE);
    if (store.equals("file")) {
      return io.tracelight.core.policy.ContentStore.open(outputDir, config.getString(ConfigOption.CONTENT_KEY),
          config.getSize(ConfigOption.OUTPUT_MAX_FILE_BYTES), config.getBoolean(ConfigOption.OUTPUT_ROTATE_DAILY),
          retention);
    }
    if (!store.equals("record")) {
      Log.warn("tracelight.capture.store=" + store + " is not known (known: record, file); text stays in the record");
    }
    return null;
  }

  private static boolean auditSyncsEachRecord(Config config) {
    String durability = config.getString(ConfigOption.AUDIT_DURABILITY);
    if (!durability.equals("batch") && !durability.equals("record")) {
      Log.warn("tracelight.audit.durability=" + durability + " is not known (known: batch, record); using batch");
    }
    return durability.equals("record");
  }

  private static io.tracelight.core.policy.Sampling sampling(Config config) {
    return new io.tracelight.core.policy.Sampling(config.getFraction(ConfigOption.SAMPLING_RATIO),
        (int) config.getLong(ConfigOption.SAMPLING_FLOOR, 0), (int) config.getLong(ConfigOption.SAMPLING_RESERVOIR, 0),
        config.getLong(ConfigOption.SAMPLING_RESERVOIR_SECONDS, 1) * 1_000_000_000L,
        config.getLong(ConfigOption.SAMPLING_SLOW_MS, 0) * 1_000_000L,
        (int) config.getLong(ConfigOption.SAMPLING_TRACE_BUFFER, 0), costThreshold(config));
  }

  private static double costThreshold(Config config) {
    String v = config.getString(ConfigOption.SAMPLING_COST_USD);
    try {
      double usd = Double.parseDouble(v);
      if (usd >= 0) {
        return usd;
      }
    } catch (NumberFormatException ignored) {
      // said below
    }
    Log.warn("tracelight.sampling.cost-usd=" + v + " is not an amount of USD; the cost rule is off");
    return 0;
  }

  /** {@code tracelight.propagation}: whether AI requests without a {@code traceparent} get one. */
  private static boolean propagates(Config config, HostAgent host) {
    String value = config.getString(ConfigOption.PROPAGATION).trim();
    if (value.equals("none") || value.isEmpty()) {
      return false;
    }
    if (!value.equals("tracecontext")) {
      Log.warn("tracelight.propagation=" + value + " is not known (known: tracecontext, none); nothing is propagated");
      return false;
    }
    if (host != null) {
      Log.warn("tracelight.propagation is ignored inside " + host.name() + ": its own propagators decide");
      return false;
    }
    return true;
  }

  private static void shutdown(Pipeline pipeline, CallProcessor processor, Metrics metrics, JsonlExporter jsonl,
      CaptureBudget budget, Exchanges.Setup setup,
      boolean printSummary, Path outputDir, int flushMillis, List<Exporter> exporters, HostAgent host,
      io.tracelight.core.export.EventFile alertFile, io.tracelight.core.alert.AlertWebhook webhook) {
    try {
      pipeline.drainAndStop(flushMillis);
      io.tracelight.core.drift.DriftMonitor monitor = processor.drift();
      int baselineSubjects = -1;
      if (monitor != null && alertFile != null && pipeline.finished()) { // the pipeline thread no longer touches it
        try {
          baselineSubjects = io.tracelight.core.drift.DriftBaseline.write(monitor,
              outputDir.resolve(io.tracelight.core.drift.DriftBaseline.FILE_NAME), System.currentTimeMillis() * 1_000_000L, true);
        } catch (IOException | RuntimeException e) {
          Log.warn("the drift baseline is not written to " + outputDir.resolve(io.tracelight.core.drift.DriftBaseline.FILE_NAME)
              + " (" + e + ")");
        }
      }
      if (webhook != null) {
        webhook.close(flushMillis);
      }
      if (alertFile != null) {
        alertFile.close();
      }
      if (!printSummary) {
        return;
      }
      long unwritten = pipeline.pending() + (jsonl == null ? 0 : jsonl.failed());
      Summary summary =
          new Summary(metrics.all(), pipeline.dropped(), InternalErrors.count(), unwritten, setup.underWay(),
              budget.used(), processor.notAiCalls());
      if (processor.pricing() != null) {
        summary.unpriced(processor.pricing().unpriced());
      }
      io.tracelight.core.policy.RecordPolicy policy = processor.policy();
      if (policy.drops()) { // calls seen (the table) against records kept
        summary.count("records_kept", "records kept", policy.kept());
        summary.count("records_sampled_out", "sampled out", policy.sampledOut());
        summary.count("records_metrics_only", "metrics only (fidelity level 3)", policy.metricsOnly());
      }
      io.tracelight.core.audit.AuditTrail audit = processor.audit();
      if (audit != null) {
        summary.count("audit_lines", "audit lines", audit.written());
        summary.count("audit_not_written", "audit lines not written", audit.failed());
      }
      io.tracelight.core.drift.DriftMonitor drift = processor.drift();
      if (drift != null) {
        io.tracelight.core.alert.AlertBook book = drift.alerts();
        summary.count("alerts_fired", "alerts fired", book.fired());
        summary.count("alerts_resolved", "alerts resolved", book.resolved());
        summary.count("alerts_suppressed", "alerts held back by the cooldown", book.suppressed());
        if (webhook != null) {
          summary.count("alerts_posted", "alerts posted to the webhook", webhook.sent());
          summary.count("alerts_not_posted", "alerts the webhook did not take", webhook.failed() + webhook.dropped());
        }
        summary.count("drift_unwatched_calls", "calls of models past tracelight.drift.max-models", drift.unwatched());
        summary.count("drift_baseline_restored", "models watched from the baseline file's reference", drift.restored());
        if (baselineSubjects >= 0) {
          summary.count("drift_baseline_written", "references written to " + io.tracelight.core.drift.DriftBaseline.FILE_NAME,
              baselineSubjects);
        }
        summary.alerts(book.events(), alertFile == null ? null : alertFile.location());
        if (alertFile != null) {
          summary.count("alerts_not_written", "alerts not written to alerts.jsonl", alertFile.failed());
        }
      }
      io.tracelight.core.feedback.FeedbackStage feedback = processor.feedback();
      if (feedback != null) {
        summary.count("feedback_received", "feedback and outcomes", feedback.received());
        summary.count("feedback_unmatched", "of them for calls no longer remembered", feedback.unmatched());
        summary.count("feedback_rejected", "feedback calls refused (not a call id, a score outside 0..1)",
            io.tracelight.core.feedback.Feedback.rejected());
        if (feedback.file() != null) {
          summary.count("feedback_not_written", "feedback events not written", feedback.file().failed());
          feedback.file().close();
        }
      }
      if (host != null) {
        summary.count("left_to_host_agent", "left to " + host.name() + "'s own GenAI spans", processor.leftToHost());
      }
      for (Exporter exporter : exporters) {
        exporter.report(summary);
      }
      summary.print(System.err, jsonl == null ? "(no file output)" : jsonl.file().toString());
      if (host != null && jsonl == null) {
        return; // inside another agent, no file is written unless the file output is asked for
      }
      try {
        summary.writeJson(outputDir.resolve("summary.json"));
      } catch (Exception e) {
        Log.warn("cannot write " + outputDir.resolve("summary.json") + ": " + e);
      }
    } catch (Throwable t) {
      Log.warn("shutdown report failed: " + t);
    }
  }
}
