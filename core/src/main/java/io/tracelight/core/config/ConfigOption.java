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
  OUTPUT_MAX_FILE_BYTES("output.max-file-bytes", Type.SIZE, "104857600",
      "`calls.jsonl` is rotated, between records, when it reaches this size: renamed to `calls-<yyyy-MM-dd>-<pid>-<id>-<n>.jsonl` and started again; 0 never rotates by size. When several JVMs share `output.dir`, the first writes `calls.jsonl` and each other `calls-<pid>-<id>.jsonl` (`<id>`: six random hex digits)."),
  OUTPUT_ROTATE_DAILY("output.rotate-daily", Type.BOOLEAN, "true",
      "Rotate `calls.jsonl` when the UTC day changes, as above."),
  RETENTION_MAX_AGE("retention.max-age", Type.STRING, "",
      "Delete rotated calls (and content) files older than this (`90d`, `12h`, `30m`), and other JVMs' files nobody wrote for that long; never a file being written, never an audit file. Checked at start, at rotation and hourly. Empty keeps them all."),
  RETENTION_MAX_BYTES("retention.max-bytes", Type.SIZE, "0",
      "Delete the oldest rotated calls files while all of them together exceed this size; 0 for no limit."),
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
      "Characters of text kept per call for each of system prompt, input and output (and scanned for personal data); longer text is cut before the word the cap splits and the record says `ai.content.truncated`. The hashes cover the whole text."),
  CAPTURE_STORE("capture.store", Type.STRING, "record",
      "Where kept text (`redacted`, `full`, level 0) goes: `record` (the record's `gen_ai.*` message attributes, and so every exporter) or `file` (`content.jsonl` in `output.dir`, readable by its owner only, rotated and retained like `calls.jsonl`; the record, OTLP included, keeps only `ai.content.ref`)."),
  CONTENT_KEY("content.key", Type.STRING, "",
      "With `capture.store=file`: a secret that seals each line of `content.jsonl` with AES-256-GCM (key: its SHA-256). Set it through the environment (`TRACELIGHT_CONTENT_KEY`); `java -jar tracelight-agent.jar content <file> [ref]` opens the lines with it."),
  PII_PATTERN("pii.pattern.<type>", Type.STRING, "(none)",
      "An extra kind of personal data to count and redact, as a regular expression (RE2 syntax: matched in linear time whatever the pattern), e.g. `tracelight.pii.pattern.customer_id=CUST-[0-9]{8}`; matches become `[CUSTOMER_ID]`. System property or config file."),
  FIDELITY_RULES("fidelity.rules", Type.STRING, "",
      "Rules giving calls a fidelity level, first match wins, separated by `;`: `conditions => level [ratio=r]`, conditions joined by `&`, each `provider=`, `model=`, `host=`, `path=`, `operation=` or `header.<name>=` with a glob (`*`). Levels: `0` every call with its text (redacted unless `capture.content=full`), `1` every call with metadata and hashes (as `capture.content` says), `2` sampled records, `3` metrics only, no record. Example: `path=/score/credit* => 0; header.x-workload=labelling => 2 ratio=0.01`."),
  FIDELITY_RULES_FILE("fidelity.rules-file", Type.STRING, "",
      "A file of fidelity rules, one per line (`#` comments), read at start and tried after `fidelity.rules`."),
  FIDELITY_DEFAULT_LEVEL("fidelity.default-level", Type.INT, "1",
      "The level of calls no rule matches: 0 to 3, as above."),
  SAMPLING_RATIO("sampling.ratio", Type.STRING, "0.1",
      "Level 2: the share of conversations (calls with a `session.id`) and traces kept, decided by that id (so a conversation or a trace is kept or dropped whole, and alike in every JVM); a rule's `ratio=` wins."),
  SAMPLING_FLOOR("sampling.floor-per-minute", Type.INT, "1",
      "Level 2: records always kept per model and finish reason each minute (stratified), before the ratio; 0 for none."),
  SAMPLING_RESERVOIR("sampling.reservoir", Type.INT, "0",
      "Level 2: records chosen uniformly at random from each interval's calls that nothing else kept, written when the interval ends; 0 for none."),
  SAMPLING_RESERVOIR_SECONDS("sampling.reservoir-seconds", Type.INT, "60",
      "Level 2: the reservoir's interval."),
  SAMPLING_SLOW_MS("sampling.slow-ms", Type.INT, "10000",
      "Level 2: a call slower than this is always kept (`ai.sample.reason=slow`), as are calls that failed, were refused, blocked for safety or held personal data; 0 turns the slow rule off."),
  SAMPLING_TRACE_BUFFER("sampling.trace-buffer", Type.INT, "256",
      "Level 2: calls not kept wait here (the most recent ones) so that a tail rule firing later in the same conversation or trace keeps them too (`ai.sample.reason=trace:<reason>`); 0 for none."),
  AUDIT_ENABLED("audit.enabled", Type.BOOLEAN, "false",
      "Write `audit.jsonl` in `output.dir`: a line for every call whatever the sampling (time, ids, user hash, model and version, system/input/output hashes, finish reasons, status), each carrying the SHA-256 of the line before it; check it with `java -jar tracelight-agent.jar verify <file or dir>`. Rotated like `calls.jsonl` (a seal line ends each file), never deleted by retention."),
  AUDIT_KEY("audit.key", Type.STRING, "",
      "A secret that adds an HMAC-SHA-256 to every audit line, so the trail cannot be rewritten without it. Set it through the environment (`TRACELIGHT_AUDIT_KEY`), which `verify` reads too; never printed."),
  AUDIT_DURABILITY("audit.durability", Type.STRING, "batch",
      "`batch`: audit lines go to the operating system whenever the call queue runs empty (within ~100 ms) and to the disk at rotation and exit; `record`: each line is written and synced to the disk (fsync) before the next call is processed."),
  AUDIT_MAX_FILE_BYTES("audit.max-file-bytes", Type.SIZE, "104857600",
      "`audit.jsonl` is sealed and rotated to `audit-<yyyy-MM-dd>-<pid>-<id>-<n>.jsonl` at this size (and daily with `output.rotate-daily`); 0 never by size."),
  USER_HEADER("user.header", Type.STRING, "",
      "A request header holding the end user's id (e.g. `x-user-id`), read from AI requests only and recorded as `user.id`, a salted hash; never a secret header."),
  USER_MDC_KEY("user.mdc-key", Type.STRING, "",
      "A key of the application's logging context (SLF4J `MDC` or Log4j 2 `ThreadContext`, e.g. `user_id`) holding the user's id, read on the calling thread when an AI call starts; the header wins when both are set."),
  USER_SALT("user.salt", Type.STRING, "",
      "The secret `user.id` hashes are made with (HMAC-SHA-256, the first 128 bits); defaults to `hash.key`, else a random one per run. Best set through the environment (`TRACELIGHT_USER_SALT`); never printed."),
  SESSION_HEADER("session.header", Type.STRING, "",
      "A request header holding the session or conversation id, recorded as `session.id` and `gen_ai.conversation.id`."),
  SESSION_MDC_KEY("session.mdc-key", Type.STRING, "",
      "A logging-context key holding the session or conversation id, as above."),
  PRICING_FILE("pricing.file", Type.STRING, "",
      "A JSON price table (the format of the one in the jar, see docs/schema.md) whose entries come before the shipped ones: your negotiated prices, models the jar does not know. Read again when it changes (looked at every 10 s)."),
  PRICING_ALIASES("pricing.aliases", Type.STRING, "",
      "`name=model` pairs, comma separated: a model or deployment name priced as another model, e.g. an Azure deployment `my-gpt4o-deploy=gpt-4o`."),
  REFUSAL_PHRASES("refusal.phrases", Type.STRING, "",
      "More phrases that mark an answer as a refusal when its opening contains one (`ai.output.refusal_rule=phrase:...`), separated by `|`, matched case-insensitively, e.g. `we can't process that request|ne peut pas traiter`."),
  REFUSAL_DEFAULT_PHRASES("refusal.default-phrases", Type.BOOLEAN, "true",
      "Match the built-in refusal phrases (whole openings such as \"I can't help with\" in nine languages, listed in docs/schema.md); `false` keeps only `refusal.phrases` and the providers' own refusal signals."),
  REFUSAL_WINDOW_CHARS("refusal.window-chars", Type.INT, "300",
      "How many characters of an answer's opening the refusal phrases are looked for in; the cost of the check does not grow with the answer."),
  SAMPLING_COST_USD("sampling.cost-usd", Type.STRING, "0",
      "Level 2: a call that cost more than this many USD is always kept (`ai.sample.reason=cost`); 0 turns the rule off."),
  CAPTURE_FEATURES("capture.features", Type.BOOLEAN, "false",
      "Predictions: keep a bounded sketch (HdrHistogram, per model, at most 64 features) of each numeric input feature the agent can read (PMML arguments, Tribuo examples, ONNX Runtime's first input, the JSON rows of KServe v2, TF Serving, MLflow and Seldon requests), in `summary.json`. Values are copied on the application's thread for in-JVM runtimes."),
  PREDICTION_WINDOW_CALLS("prediction.window-calls", Type.INT, "1000",
      "Predictions (model servers, in-JVM models): calls per window of each model's predicted classes, confidences and values in the summary and `summary.json`; the first window and the last eight are kept."),
  DEPLOYMENT("deployment", Type.STRING, "",
      "A deployment label for every call (`ai.deployment`), e.g. `canary` or a release name; drift references and alerts are kept apart per label. Empty: `service.version` from `OTEL_RESOURCE_ATTRIBUTES`, if any."),
  DEPLOYMENT_HEADER("deployment.header", Type.STRING, "",
      "A request header whose value, when a request carries it, is the call's deployment label instead (a flag the router sets on canary traffic, for example)."),
  DRIFT_ENABLED("drift.enabled", Type.BOOLEAN, "true",
      "Watch each model's calls for drift against a reference and raise alerts (`alerts.jsonl`, the summary). Per provider, model, version, deployment label and system prompt."),
  DRIFT_REFERENCE_CALLS("drift.reference-calls", Type.INT, "500",
      "Calls of a model (after start, a new system prompt, tools or request shape) that make its reference distribution."),
  DRIFT_WINDOW_CALLS("drift.window-calls", Type.INT, "500",
      "Calls in the sliding window compared with the reference, checked each time a fifth of it has passed."),
  DRIFT_ALPHA("drift.alpha", Type.STRING, "0.0001",
      "A distribution (Kolmogorov-Smirnov) or category mix (chi-square) change alerts only with a p-value below this, besides its size."),
  DRIFT_PSI_THRESHOLD("drift.psi-threshold", Type.STRING, "0.2",
      "The population stability index at which a numeric signal (latency, time to first chunk, tokens, length, cost, log probability, confidence) has drifted; 0.2 is the usual \"significant\"; five times it is `critical`."),
  DRIFT_JSD_THRESHOLD("drift.jsd-threshold", Type.STRING, "0.01",
      "The Jensen-Shannon divergence (bits) at which a category mix (finish reasons, response model, predicted class) has drifted; 0.01 is a minority class going from 5% to 15% of calls."),
  DRIFT_MIN_CHANGE("drift.min-change", Type.STRING, "0.25",
      "A numeric signal alerts only when its median also moved by this fraction of the reference's (0.25: 25%), so a statistically clear but small shift stays quiet. Latency, time to first chunk and cost alert only when they grew (times by at least 1 ms as well)."),
  DRIFT_MIN_EVENTS("drift.min-events", Type.INT, "5",
      "A rate (errors, refusals, safety flags, truncations, invalid JSON) alerts only with at least this many such calls in the window, above its p-chart's 3-sigma limit."),
  DRIFT_MAX_MODELS("drift.max-models", Type.INT, "100",
      "Subjects (model, version, label, system prompt) watched at most; calls of more are counted in the summary, not watched."),
  DRIFT_BASELINE("drift.baseline", Type.STRING, "",
      "A drift baseline file to read at start (`drift-baseline.json`, written at exit into the output directory, or made by the `baseline` command): models found in it are watched from their first call, against the saved reference."),
  DRIFT_RUNAWAY_FACTOR("drift.runaway-factor", Type.INT, "10",
      "One call costing more than this many times the reference's most expensive call raises a `critical` `cost_runaway` alert at once."),
  BUDGET_DAILY_USD("budget.daily-usd", Type.STRING, "0",
      "A daily AI budget in USD for this JVM's priced calls (UTC days): the spend forecast at the last hour's rate over it alerts (`warning`), the spend itself over it too (`critical`); 0 turns it off."),
  ALERTS_COOLDOWN("alerts.cooldown", Type.STRING, "15m",
      "After an alert's episode resolved, the same signal of the same subject does not fire again for this long (`30s`, `15m`, `1h`); breaches meanwhile are counted."),
  ALERTS_RUNBOOK("alerts.runbook", Type.STRING, "",
      "A link every alert carries, `{rule}` replaced by its rule (`drift`, `rate`, `cost_runaway`, `new_system_prompt`, ...), e.g. `https://wiki.example.com/ai-alerts#{rule}`."),
  ALERTS_RAISE_FIDELITY_FOR("alerts.raise-fidelity-for", Type.STRING, "15m",
      "A `warning` or `critical` alert's first response: every call of its model gets a record (fidelity level 1, `ai.sample.reason=alert`, text as `capture.content` says) for this long, so the evidence is there when a person looks; said in the alert's `response`. Empty: off."),
  ALERTS_WEBHOOK_URL("alerts.webhook.url", Type.STRING, "",
      "POST every alert event as JSON to this http(s) URL, from an agent thread of its own: three tries, a second and two apart; a full queue (256) drops and counts. Empty: no webhook."),
  ALERTS_WEBHOOK_FORMAT("alerts.webhook.format", Type.STRING, "json",
      "The webhook's body: `json` (the event as in `alerts.jsonl`), `alertmanager` (Alertmanager's `/api/v2/alerts`: labels `alertname` (`TracelightDrift`, `TracelightRate`, ...), `severity`, `signal`, `provider`, `model`, `model_version`, `deployment`; open episodes sent again every minute; announcements not sent) or `slack` (an incoming webhook's `text`)."),
  HTTP_PORT("http.port", Type.STRING, "",
      "Serve Prometheus metrics at `/metrics` on this port (0: any free port, said on stderr); off when empty. A port in use is said once and the agent carries on without it."),
  HTTP_HOST("http.host", Type.STRING, "127.0.0.1",
      "The address the metrics endpoint binds: loopback by default; `0.0.0.0` for a Prometheus on another machine (the endpoint has no authentication: expose it only on a network you trust)."),
  METRICS_MAX_SERIES("metrics.max-series", Type.INT, "200",
      "Label sets (provider, model, operation, status, version, deployment label) the metrics endpoint keeps; calls of further ones count under `other`, and the fold is counted (`ai_agent_metric_series_folded_total`)."),
  QUEUE_CAPACITY("queue.capacity", Type.INT, "8192",
      "Finished calls waiting for decoding and export; when full, calls are dropped and counted."),
  SHUTDOWN_FLUSH_MILLIS("shutdown.flush-millis", Type.INT, "2000",
      "At JVM exit, how long the agent waits for queued calls to be written."),
  INSTRUMENTATION_DEFAULT_ENABLED("instrumentation.default-enabled", Type.BOOLEAN, "true",
      "Default for every `instrumentation.<name>.enabled`."),
  INSTRUMENTATION_ENABLED("instrumentation.<name>.enabled", Type.BOOLEAN, "(default-enabled)",
      "Switches one instrumentation: `jdk-httpclient`, `okhttp`, `apache-httpclient-4`, `apache-httpclient-5`, `url-connection`, `netty-4.1`, `netty-4.1-http2`, `onnxruntime`, `tribuo`, `pmml`, `djl`, `xgboost4j`, `grpc`, `tracelight-api` (the application's `Tracelight` calls). A disabled one installs no transformer.");

  public enum Type {
    BOOLEAN, INT, SIZE, STRING
  }

  public static final String PREFIX = "tracelight.";

  /** Instrumentation names the per-instrumentation toggle accepts. */
  public static final List<String> INSTRUMENTATIONS =
      Collections.unmodifiableList(Arrays.asList("jdk-httpclient", "okhttp", "apache-httpclient-4", "apache-httpclient-5", "url-connection", "netty-4.1", "netty-4.1-http2", "onnxruntime", "tribuo", "pmml", "djl", "xgboost4j", "grpc", "tracelight-api"));

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
