package io.tracelight.core.config;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Every configuration key, declared once: key (without the {@code tracelight.} prefix), type,
 * default and what it does. The README's table is checked against this list by a test.
 */
public enum ConfigOption {
  ENABLED("enabled", Type.BOOLEAN, "true", "Set to false and the agent does nothing at all."),
  CONFIG_FILE("config.file", Type.STRING, "",
      "A properties file with more `tracelight.*` keys; system properties and environment win over it."),
  OUTPUT_DIR("output.dir", Type.STRING, "./tracelight",
      "Directory for `calls.jsonl` and `summary.json`; created if missing."),
  EXPORTERS("exporters", Type.STRING, "jsonl",
      "Where records go, comma separated: `jsonl` (the file `calls.jsonl` in `output.dir`), `otlp` (spans to an OpenTelemetry collector over OTLP/HTTP, set by the standard `OTEL_EXPORTER_OTLP_*` variables, see below), `otel` (extension mode only, and its default there: spans and metrics through the OpenTelemetry agent's own pipeline), or `none`. Metrics and the summary do not depend on it."),
  SUMMARY("summary", Type.BOOLEAN, "true",
      "Print a per-model table on stderr at JVM exit and write `summary.json`."),
  MAX_BODY_BYTES("capture.max-body-bytes", Type.SIZE, "4194304",
      "Bytes of a request or non-streamed response body kept for decoding; larger bodies give a record without body fields (`ai.capture.truncated`). Accepts `KB`/`MB` suffixes."),
  MAX_INFLIGHT_BYTES("capture.max-inflight-bytes", Type.SIZE, "67108864",
      "Bytes of bodies held for decoding across all calls in flight; past it, new captures are skipped (`ai.capture.truncated`), never waited for."),
  PROVIDER_HOSTS("provider.hosts", Type.STRING, "",
      "Extra `host:provider` pairs, comma separated, naming `gen_ai.provider.name` for calls to that host whatever the protocol (`*.example.com` matches subdomains)."),
  OTEL_AI_SPANS("otel.ai-spans", Type.STRING, "tracelight",
      "Extension mode only: who records the AI calls that the OpenTelemetry agent's own GenAI instrumentations (OpenAI Java SDK, Bedrock Runtime) also see. `tracelight` switches those off (unless `otel.instrumentation.<name>.enabled` says otherwise); `opentelemetry` keeps them, and Tracelight records nothing for a call made inside one of their spans."),
  PROPAGATION("propagation", Type.STRING, "none",
      "`tracecontext` adds a W3C `traceparent` header naming the AI call's span to AI requests that carry none, so a traced model server continues the trace under it; `none` (the default) sends the application's requests unchanged. Standalone only: inside the OpenTelemetry agent, propagation is the agent's."),
  HASH_KEY("hash.key", Type.STRING, "",
      "A secret that makes every content hash (`ai.prompt.system_hash`, `ai.output.hash`) an HMAC-SHA-256 with it: hashes stay comparable inside the deployment and cannot be reversed by hashing candidate texts outside it. Best set through the environment (`TRACELIGHT_HASH_KEY`); never printed. A model file's `sha256:` stays a plain hash."),
  CAPTURE_CONTENT("capture.content", Type.STRING, "hash",
      "What records keep of the text of generative calls: `none` (metadata only, no hashes), `hash` (metadata and the SHA-256 of system prompt, input and output), `redacted` (the text too, as `gen_ai.system_instructions`, `gen_ai.input.messages`, `gen_ai.output.messages`, with personal data replaced by typed tokens such as `[EMAIL]`), `full` (the raw text). Secrets (API keys, tokens) are replaced at every level, and `ai.pii.input`/`ai.pii.output` count what was found at every level."),
  MAX_CONTENT_CHARS("capture.max-content-chars", Type.INT, "32768",
      "Characters of text kept per call for each of system prompt, input and output (and scanned for personal data); longer text is cut and the record says `ai.content.truncated`. The hashes cover the whole text."),
  PII_PATTERN("pii.pattern.<type>", Type.STRING, "(none)",
      "An extra kind of personal data to count and redact, as a regular expression (RE2 syntax: matched in linear time whatever the pattern), e.g. `tracelight.pii.pattern.customer_id=CUST-[0-9]{8}`; matches become `[CUSTOMER_ID]`. System property or config file."),
  FIDELITY_RULES("fidelity.rules", Type.STRING, "",
      "Rules giving calls a fidelity level, first match wins, separated by `;`: `conditions => level [ratio=r]`, conditions joined by `&`, each `provider=`, `model=`, `host=`, `path=`, `operation=` or `header.<name>=` with a glob (`*`). Levels: `0` every call with its text (redacted unless `capture.content=full`), `1` every call with metadata and hashes (as `capture.content` says), `2` sampled records, `3` metrics only, no record. Example: `path=/score/credit* => 0; header.x-workload=labelling => 2 ratio=0.01`."),
  FIDELITY_RULES_FILE("fidelity.rules-file", Type.STRING, "",
      "A file of fidelity rules, one per line (`#` comments), read at start and tried after `fidelity.rules`."),
  FIDELITY_DEFAULT_LEVEL("fidelity.default-level", Type.INT, "1",
      "The level of calls no rule matches: 0 to 3, as above."),
  SAMPLING_RATIO("sampling.ratio", Type.STRING, "0.1",
      "Level 2: the share of traces kept, decided by trace id (so a trace is kept or dropped whole, and alike in every JVM); a rule's `ratio=` wins."),
  SAMPLING_FLOOR("sampling.floor-per-minute", Type.INT, "1",
      "Level 2: records always kept per model and finish reason each minute (stratified), before the ratio; 0 for none."),
  SAMPLING_RESERVOIR("sampling.reservoir", Type.INT, "0",
      "Level 2: records chosen uniformly at random from each interval's calls that nothing else kept, written when the interval ends; 0 for none."),
  SAMPLING_RESERVOIR_SECONDS("sampling.reservoir-seconds", Type.INT, "60",
      "Level 2: the reservoir's interval."),
  SAMPLING_SLOW_MS("sampling.slow-ms", Type.INT, "10000",
      "Level 2: a call slower than this is always kept (`ai.sample.reason=slow`), as are calls that failed, were refused, blocked for safety or held personal data; 0 turns the slow rule off."),
  SAMPLING_TRACE_BUFFER("sampling.trace-buffer", Type.INT, "256",
      "Level 2: calls not kept wait here (the most recent ones) so that a tail rule firing later in the same trace keeps them too (`ai.sample.reason=trace:<reason>`); 0 for none."),
  CAPTURE_FEATURES("capture.features", Type.BOOLEAN, "false",
      "Predictions: keep a bounded sketch (HdrHistogram, per model, at most 64 features) of each numeric input feature the agent can read (PMML arguments, Tribuo examples, ONNX Runtime's first input, the JSON rows of KServe v2, TF Serving, MLflow and Seldon requests), in `summary.json`. Values are copied on the application's thread for in-JVM runtimes."),
  PREDICTION_WINDOW_CALLS("prediction.window-calls", Type.INT, "1000",
      "Predictions (model servers, in-JVM models): calls per window of each model's predicted classes, confidences and values in the summary and `summary.json`; the first window and the last eight are kept."),
  QUEUE_CAPACITY("queue.capacity", Type.INT, "8192",
      "Finished calls waiting for decoding and export; when full, calls are dropped and counted."),
  SHUTDOWN_FLUSH_MILLIS("shutdown.flush-millis", Type.INT, "2000",
      "At JVM exit, how long the agent waits for queued calls to be written."),
  INSTRUMENTATION_DEFAULT_ENABLED("instrumentation.default-enabled", Type.BOOLEAN, "true",
      "Default for every `instrumentation.<name>.enabled`."),
  INSTRUMENTATION_ENABLED("instrumentation.<name>.enabled", Type.BOOLEAN, "(default-enabled)",
      "Switches one instrumentation: `jdk-httpclient`, `okhttp`, `apache-httpclient-4`, `apache-httpclient-5`, `url-connection`, `netty-4.1`, `netty-4.1-http2`, `onnxruntime`, `tribuo`, `pmml`, `djl`, `xgboost4j`, `grpc`. A disabled one installs no transformer.");

  public enum Type {
    BOOLEAN, INT, SIZE, STRING
  }

  public static final String PREFIX = "tracelight.";

  /** Instrumentation names the per-instrumentation toggle accepts. */
  public static final List<String> INSTRUMENTATIONS =
      Collections.unmodifiableList(Arrays.asList("jdk-httpclient", "okhttp", "apache-httpclient-4", "apache-httpclient-5", "url-connection", "netty-4.1", "netty-4.1-http2", "onnxruntime", "tribuo", "pmml", "djl", "xgboost4j", "grpc"));

  public final String key;
  public final Type type;
  public final String defaultValue;
  public final String description;

  /** The README's configuration table, rendered from these declarations. */
  public static String markdownTable() {
    StringBuilder b = new StringBuilder();
    b.append("| System property | Environment variable | Default | What it does |\n");
    b.append("|---|---|---|---|\n");
    for (ConfigOption o : values()) {
      b.append("| `").append(PREFIX).append(o.key).append("` | `")
          .append("TRACELIGHT_").append(Config.envName(o.key)).append("` | ")
          .append(o.defaultValue.isEmpty() ? "(none)" : "`" + o.defaultValue + "`").append(" | ")
          .append(o.description).append(" |\n");
    }
    return b.toString();
  }

  ConfigOption(String key, Type type, String defaultValue, String description) {
    this.key = key;
    this.type = type;
    this.defaultValue = defaultValue;
    this.description = description;
  }
}
