package io.tracelight.core.model;

import java.util.List;

/**
 * The attributes every protocol may set: the OpenTelemetry GenAI semantic conventions
 * ({@code gen_ai.*}, with {@code server.*}, {@code http.*}, {@code error.type}) and Tracelight's
 * own ({@code ai.*}). Records list them in this order.
 */
public final class Keys {
  private Keys() {}

  public static final AttributeKey<String> OPERATION = AttributeKey.string("gen_ai.operation.name", "",
      "every call to a generative model: `chat`, `text_completion`, `embeddings` or `generate_content`, as the protocol table below says (a prediction has `ai.operation.name` instead)");
  public static final AttributeKey<String> PROVIDER = AttributeKey.string("gen_ai.provider.name", "",
      "every call to a generative model: the first of `tracelight.provider.hosts` for the host; what the URL proves (an Azure deployment path `azure.ai.openai`, "
          + "a Vertex AI path `gcp.vertex_ai`, a Bedrock path `aws.bedrock`); the built-in host table (`api.openai.com` `openai`, "
          + "`*.openai.azure.com` and `*.cognitiveservices.azure.com` `azure.ai.openai`, `api.anthropic.com` `anthropic`, "
          + "`generativelanguage.googleapis.com` `gcp.gemini`, `*aiplatform.googleapis.com` `gcp.vertex_ai`, `api.deepseek.com` `deepseek`, "
          + "`api.groq.com` `groq`, `api.mistral.ai` `mistral_ai`, `api.x.ai` `x_ai`, `api.perplexity.ai` `perplexity`); the protocol's "
          + "default (`openai_compatible`, `anthropic`, `gcp.gemini`, `aws.bedrock`, `ollama`, `tgi`)");
  public static final AttributeKey<String> REQUEST_MODEL = AttributeKey.string("gen_ai.request.model", "",
      "when the request named a model, in its body or its path (an Azure deployment name, a Bedrock model id or inference profile, URL-decoded)");
  public static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.string("gen_ai.response.model", "",
      "when the response named a model");
  public static final AttributeKey<String> RESPONSE_ID = AttributeKey.string("gen_ai.response.id", "",
      "when the response carried an id (for Bedrock, the `x-amzn-RequestId` response header)");
  public static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.strings("gen_ai.response.finish_reasons",
      "when the response gave finish reasons, as the provider spelt them: one per choice or candidate, in order (for streams, in order of arrival)");
  public static final AttributeKey<Double> TEMPERATURE = AttributeKey.number("gen_ai.request.temperature", "",
      "when the request set it");
  public static final AttributeKey<Double> TOP_P = AttributeKey.number("gen_ai.request.top_p", "",
      "when the request set it");
  public static final AttributeKey<Double> TOP_K = AttributeKey.number("gen_ai.request.top_k", "",
      "when the request set it");
  public static final AttributeKey<Long> MAX_TOKENS = AttributeKey.integer("gen_ai.request.max_tokens", "tokens",
      "when the request capped the answer (`max_completion_tokens` or else `max_tokens`, `max_output_tokens`, `maxOutputTokens`, `maxTokens`, `num_predict`, ...)");
  public static final AttributeKey<Double> FREQUENCY_PENALTY = AttributeKey.number("gen_ai.request.frequency_penalty", "",
      "when the request set it");
  public static final AttributeKey<Double> PRESENCE_PENALTY = AttributeKey.number("gen_ai.request.presence_penalty", "",
      "when the request set it");
  public static final AttributeKey<Long> SEED = AttributeKey.integer("gen_ai.request.seed", "",
      "when the request set it");
  public static final AttributeKey<Long> CHOICE_COUNT = AttributeKey.integer("gen_ai.request.choice.count", "",
      "when the request asked for more than one choice or candidate");
  public static final AttributeKey<Boolean> STREAM = AttributeKey.bool("gen_ai.request.stream",
      "when the request body was read or the operation says (false when no stream was asked for), and for every streamed response");
  public static final AttributeKey<List<String>> ENCODING_FORMATS = AttributeKey.strings("gen_ai.request.encoding_formats",
      "embeddings: when the request named the vector encoding (`float`, `base64`)");
  public static final AttributeKey<Long> EMBEDDING_DIMENSIONS = AttributeKey.integer("gen_ai.embeddings.dimension.count", "",
      "embeddings: the length of the first vector returned (or, when the response was not read, the dimensions the request asked for)");
  public static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.integer("gen_ai.usage.input_tokens", "tokens",
      "when the server sent usage (or `ai.usage.estimated` says it was counted): every input token, cached ones included, so Anthropic's and Bedrock's cache reads and writes are added to their `input_tokens`");
  public static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.integer("gen_ai.usage.output_tokens", "tokens",
      "when the server sent usage: every output token, reasoning included, so Gemini's `thoughtsTokenCount` is added to its `candidatesTokenCount`");
  public static final AttributeKey<Long> CACHE_READ_TOKENS = AttributeKey.integer("gen_ai.usage.cache_read.input_tokens", "tokens",
      "when the server said how many input tokens came from its cache (part of `gen_ai.usage.input_tokens`)");
  public static final AttributeKey<Long> CACHE_CREATION_TOKENS = AttributeKey.integer("gen_ai.usage.cache_creation.input_tokens", "tokens",
      "when the server said how many input tokens it wrote to its cache (part of `gen_ai.usage.input_tokens`)");
  public static final AttributeKey<Long> REASONING_TOKENS = AttributeKey.integer("gen_ai.usage.reasoning.output_tokens", "tokens",
      "when the server said how many output tokens were reasoning or thinking (part of `gen_ai.usage.output_tokens`)");
  public static final AttributeKey<Double> TIME_TO_FIRST_CHUNK = AttributeKey.number("gen_ai.response.time_to_first_chunk", "seconds",
      "streamed responses: from the request to the first body bytes the application read");
  public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.string("server.address", "",
      "every call over HTTP: the host the request went to");
  public static final AttributeKey<Long> SERVER_PORT = AttributeKey.integer("server.port", "",
      "every call over HTTP: the port (80/443 when the URL gave none)");
  public static final AttributeKey<Long> HTTP_STATUS = AttributeKey.integer("http.response.status_code", "",
      "when a response arrived");
  public static final AttributeKey<String> ERROR_TYPE = AttributeKey.string("error.type", "",
      "when `status` is `error`, see below");
  public static final AttributeKey<String> ERROR_CODE = AttributeKey.string("ai.error.code", "",
      "when an error body carried a second, finer code than its type (OpenAI's `code`, Gemini's numeric `code`)");
  public static final AttributeKey<Double> COST_USD = AttributeKey.number("ai.cost.usd", "USD",
      "generative calls with token counts whose model the price table knows: uncached input, output, cache-read and cache-write tokens times their prices (the long-context prices when the input is over the model's threshold)");
  public static final AttributeKey<Boolean> COST_BATCH_RATE = AttributeKey.bool("ai.cost.batch_rate",
      "only when `true`: priced at the provider's batch rate (the price table's `batch_factor`), because the provider says the call was processed at it: OpenAI's `service_tier` `flex` (in the response, else the request)");
  public static final AttributeKey<String> OPENAI_REQUEST_SERVICE_TIER = AttributeKey.string("openai.request.service_tier", "",
      "OpenAI chat and Responses: the `service_tier` the request asked for (`auto`, `default`, `flex`, `priority`)");
  public static final AttributeKey<String> OPENAI_RESPONSE_SERVICE_TIER = AttributeKey.string("openai.response.service_tier", "",
      "OpenAI chat and Responses: the `service_tier` the response says served it");
  public static final AttributeKey<String> COST_STATUS = AttributeKey.string("ai.cost.status", "",
      "generative calls without `ai.cost.usd`: `unknown_model` (no price for the model: add it with `tracelight.pricing.file` or `tracelight.pricing.aliases`) or `no_usage` (the answer carried no token counts, e.g. an error)");
  public static final AttributeKey<Boolean> COST_ESTIMATED = AttributeKey.bool("ai.cost.estimated",
      "only when `true`: the cost comes from token counts the agent estimated (`ai.usage.estimated`)");
  public static final AttributeKey<String> SYSTEM_HASH = AttributeKey.string("ai.prompt.system_hash", "lowercase hex SHA-256 (HMAC-SHA-256 with `tracelight.hash.key`)",
      "when the request carried a system prompt: the hash of its UTF-8 text as sent (text parts concatenated; several system or developer messages or blocks joined by `\\n`)");
  public static final AttributeKey<String> OUTPUT_HASH = AttributeKey.string("ai.output.hash", "lowercase hex SHA-256 (HMAC-SHA-256 with `tracelight.hash.key`)",
      "when the answer had text: the hash of the first choice's or candidate's UTF-8 text (for a stream, all its pieces concatenated), so a streamed and a whole answer with the same text hash the same");
  public static final AttributeKey<String> INPUT_HASH = AttributeKey.string("ai.input.hash", "lowercase hex SHA-256 (HMAC-SHA-256 with `tracelight.hash.key`)",
      "when the request had input messages (not system) with text and `tracelight.capture.content` is not `none`: the hash of their UTF-8 texts joined by `\\n`, in order, whole even when the kept text is cut; the same input sent to two models hashes the same");
  public static final AttributeKey<String> SYSTEM_INSTRUCTIONS = AttributeKey.string("gen_ai.system_instructions", "JSON",
      "`tracelight.capture.content` `redacted` or `full` (or a fidelity rule's level 0) and the request had a system prompt: a JSON array of text parts, `[{\"type\":\"text\",\"content\":...}]`, one per system or developer message or block");
  public static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.string("gen_ai.input.messages", "JSON",
      "as above, for the request's other messages: a JSON array of `{\"role\":...,\"parts\":[{\"type\":\"text\",\"content\":...}]}` (text parts only; images, audio and tool payloads are left out)");
  public static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.string("gen_ai.output.messages", "JSON",
      "as above, for the answer's first choice or candidate: `[{\"role\":\"assistant\",\"parts\":[...],\"finish_reason\":...}]`");
  public static final AttributeKey<String> CONTENT_REF = AttributeKey.string("ai.content.ref", "",
      "with `tracelight.capture.store=file`, when text was kept: the reference (`<trace_id>-<span_id>`) of the line in `content.jsonl` holding it, instead of the three attributes above");
  public static final AttributeKey<Boolean> CONTENT_TRUNCATED = AttributeKey.bool("ai.content.truncated",
      "only when `true`: some captured text (system, input or output) was longer than `tracelight.capture.max-content-chars` and was cut there; PII counts cover the kept part");
  public static final AttributeKey<String> CONTENT_CAPTURE = AttributeKey.string("ai.content.capture", "",
      "every generative call: the capture level its record got (`none`, `hash`, `redacted`, `full`), after fidelity rules");
  public static final AttributeKey<List<String>> PII_INPUT = AttributeKey.strings("ai.pii.input",
      "when the request's text (system and input messages) held personal data or secrets, at every capture level: `type:count` per type found (`email`, `phone`, `payment_card`, `iban`, `us_ssn`, `ip_address`, `openai_key`, `anthropic_key`, `aws_access_key`, `google_api_key`, `jwt`, `bearer_token`, `basic_credentials`, and each `tracelight.pii.pattern.<type>`), by type name");
  public static final AttributeKey<List<String>> PII_OUTPUT = AttributeKey.strings("ai.pii.output",
      "as above, for the answer's text");
  public static final AttributeKey<Long> FIDELITY_LEVEL = AttributeKey.integer("ai.fidelity.level", "",
      "every record: the fidelity level that kept it (0 every call with its text, 1 every call, 2 sampled), from the first matching `tracelight.fidelity.rules` rule or `tracelight.fidelity.default-level`");
  public static final AttributeKey<String> SAMPLE_REASON = AttributeKey.string("ai.sample.reason", "",
      "every record: why it was kept: `all` (levels 0 and 1 keep every call), `alert` (a call of a model whose alert raised it to level 1 for a while, `tracelight.alerts.raise-fidelity-for`); at level 2 a tail rule (`error`, `slow`, `cost`, `refusal`, `safety`, `pii`), `floor` (the first records of its model and finish reason this minute), `ratio` (its `session.id`, or else its trace id, fell in the sampled ratio, so a conversation or a trace is kept whole), `reservoir` (chosen uniformly among the interval's calls), or `trace:` and the reason of a later call of the same conversation or trace that a tail rule kept");
  public static final AttributeKey<String> CALL_ID = AttributeKey.string("ai.call.id", "lowercase hex, 32 digits",
      "every call: 128 random bits drawn when the call started; the application gets it from `Tracelight.lastCall()` (the `tracelight-api` jar) to send feedback and outcomes later (`feedback.jsonl` joins them by it)");
  public static final AttributeKey<String> USER_ID = AttributeKey.string("user.id", "lowercase hex, 32 digits",
      "when `tracelight.user.header` or `tracelight.user.mdc-key` found the user: the first 128 bits of HMAC-SHA-256 of the id with `tracelight.user.salt` (or the hash key), so calls of one user can be grouped without naming them");
  public static final AttributeKey<String> SESSION_ID = AttributeKey.string("session.id", "",
      "when `tracelight.session.header` or `tracelight.session.mdc-key` found the session: its id as the application set it");
  public static final AttributeKey<String> DEPLOYMENT = AttributeKey.string("ai.deployment", "",
      "when a label is configured: the request's `tracelight.deployment.header` value (e.g. a canary flag routing set), else `tracelight.deployment`, else `service.version` from `OTEL_RESOURCE_ATTRIBUTES`; drift references and alerts are kept apart by it");
  public static final AttributeKey<String> CONVERSATION_ID = AttributeKey.string("gen_ai.conversation.id", "",
      "as `session.id` (the conventions' name for the conversation a call belongs to)");
  public static final AttributeKey<Boolean> OUTPUT_TRUNCATED = AttributeKey.bool("ai.output.truncated",
      "only when `true`: the answer was cut by a token limit (a finish reason `length`, `max_tokens`, `MAX_TOKENS`, `max_output_tokens` or `model_context_window_exceeded`)");
  public static final AttributeKey<Boolean> OUTPUT_EMPTY = AttributeKey.bool("ai.output.empty",
      "only when `true`: a chat, completion or generate-content call that succeeded with no answer text, no tool call, no refusal and no safety block");
  public static final AttributeKey<Long> OUTPUT_CHARS = AttributeKey.integer("ai.output.chars", "characters",
      "when the answer had text: its length (the first choice or candidate; for a stream, all its pieces), whatever the capture level");
  public static final AttributeKey<String> TOOLS_HASH = AttributeKey.string("ai.request.tools_hash", "lowercase hex SHA-256",
      "when the request offered tools: the hash of its `tools` array as sent (top level, or Bedrock's `toolConfig.tools`), so a changed tool schema shows as a new hash");
  public static final AttributeKey<String> SHAPE_HASH = AttributeKey.string("ai.request.shape_hash", "lowercase hex SHA-256",
      "when the request body was a whole JSON object: the hash of its shape, members and value types without values (members sorted, an array as the set of its elements' shapes), so a changed request contract shows as a new hash");
  public static final AttributeKey<Long> REQUEST_TOOLS = AttributeKey.integer("ai.request.tools", "",
      "when the request offered tools (functions) to the model: how many");
  public static final AttributeKey<Long> RESPONSE_TOOL_CALLS = AttributeKey.integer("ai.response.tool_calls", "",
      "when the answer asked for tool calls: how many");
  public static final AttributeKey<Boolean> REFUSAL = AttributeKey.bool("ai.output.refusal",
      "only when `true`: the model declined to answer; `ai.output.refusal_rule` says how that was known");
  public static final AttributeKey<String> REFUSAL_RULE = AttributeKey.string("ai.output.refusal_rule", "",
      "with `ai.output.refusal`: `refusal_field` (OpenAI's `refusal` in the message or output), `stop_reason:refusal` (Anthropic, Bedrock), `block:<reason>` (a safety block: Azure's `content_filter` finish reason, Gemini's `blockReason` or safety finish reason, Bedrock's `guardrail_intervened`), or `phrase:<phrase>` (the answer's first `refusal.window-chars` characters contain a refusal phrase: lower-cased, typographic apostrophes and whitespace runs made plain; the defaults are whole openings in English, Spanish, French, German, Portuguese, Italian, Dutch, Japanese and Chinese, see `refusal.phrases`)");
  public static final AttributeKey<List<String>> SAFETY_FLAGS = AttributeKey.strings("ai.safety.flags",
      "when the provider's safety system flagged the prompt or answer: the categories, those of the prompt prefixed `prompt:`. Azure: each `content_filter_results` category `filtered`, `detected`, or of `medium`/`high` severity (`violence`, `prompt:jailbreak`); Gemini: each `safetyRatings` category rated `MEDIUM`/`HIGH` or `blocked`, without `HARM_CATEGORY_` (`dangerous_content`); Bedrock guardrail traces (sent with `X-Amzn-Bedrock-Trace: ENABLED` or Converse's `trace`): each policy entry that acted or `detected`: content filter type (`misconduct`), `topic:<name>`, `word`, managed list type (`profanity`), `pii:<type>`, `regex:<name>`, `grounding:<type>`. Written on failed calls too (a prompt the filter refused)");
  public static final AttributeKey<Boolean> OUTPUT_INVALID_JSON = AttributeKey.bool("ai.output.invalid_json",
      "only when `true`: the request asked for JSON (OpenAI `response_format` or Responses `text.format` `json_object`/`json_schema`, Gemini `responseMimeType: application/json`, Ollama `format`) and the answer is not one JSON value, or not an object with the schema's top-level `required` members; not judged when the answer outgrew `capture.max-content-chars`");
  public static final AttributeKey<Long> OUTPUT_INVALID_TOOL_CALLS = AttributeKey.integer("ai.output.invalid_tool_calls", "",
      "when some of the answer's tool calls have arguments that are not a JSON object or miss a parameter the tool's schema (as the request declared it) requires: how many. Arguments longer than 64 KiB are not judged");
  public static final AttributeKey<String> OUTPUT_FORMAT_ERROR = AttributeKey.string("ai.output.format_error", "",
      "with `ai.output.invalid_json` or `ai.output.invalid_tool_calls`: the first problem, by kind and schema names only: `not_json`, `not_object`, `missing:<member>`, or `tool:<name>:` and one of those");
  public static final AttributeKey<Double> LOGPROB_MEAN = AttributeKey.number("ai.output.logprob.mean", "natural log",
      "when the app asked for log probabilities: the mean over the answer's tokens (OpenAI chat `logprobs.content[].logprob`, legacy completions `token_logprobs`, Gemini `logprobsResult.chosenCandidates[].logProbability`; the first choice or candidate)");
  public static final AttributeKey<Double> LOGPROB_MIN = AttributeKey.number("ai.output.logprob.min", "natural log",
      "as above: the least likely token's");
  public static final AttributeKey<Double> TOKENS_PER_SECOND = AttributeKey.number("ai.output.tokens_per_second", "tokens/s",
      "output tokens over the seconds they took: after the first chunk for a stream, the whole call otherwise (so it includes the prompt's processing); one decimal");
  public static final AttributeKey<String> BLOCK_REASON = AttributeKey.string("ai.safety.block_reason", "",
      "when the provider's safety system blocked the prompt or answer: Gemini's `promptFeedback.blockReason`, a `SAFETY`-type finish reason, Bedrock's guardrail stop reason, Azure's `content_filter`");
  public static final AttributeKey<Long> EMBEDDING_INPUTS = AttributeKey.integer("ai.embeddings.input_count", "",
      "embeddings: how many inputs the request asked to embed");
  public static final AttributeKey<Boolean> USAGE_ESTIMATED = AttributeKey.bool("ai.usage.estimated",
      "only when `true`: the server sent no usage, and `gen_ai.usage.*_tokens` were counted by the agent with the model family's tokenizer (OpenAI models only)");
  public static final AttributeKey<String> INSTRUMENTATION = AttributeKey.string("ai.instrumentation", "",
      "always: the instrumentation that saw the call (its module's name, e.g. `jdk-httpclient`, `okhttp`, `onnxruntime`)");
  public static final AttributeKey<Boolean> CAPTURE_TRUNCATED = AttributeKey.bool("ai.capture.truncated",
      "only when `true`: a body was not (wholly) decoded: over `tracelight.capture.max-body-bytes` or `tracelight.capture.max-inflight-bytes`, "
          + "a request that was not sent whole, an unreadable request, or a stream event longer than the cap; fields from the part read are kept");

  // Predictions: a model that is not generative (a classifier, a regressor), served or in the JVM.

  public static final AttributeKey<String> PREDICT_OPERATION = AttributeKey.string("ai.operation.name", "",
      "every prediction (a call to a model server's predict or infer endpoint, or an in-JVM runtime's predict): `predict`");
  public static final AttributeKey<String> MODEL_RUNTIME = AttributeKey.string("ai.model.runtime", "",
      "every prediction: the server protocol (`kserve_v2`, `tf_serving`, `torchserve`, `mlflow`, `sagemaker`, `seldon`; over HTTP or gRPC) or the in-JVM runtime (`onnxruntime`, `djl`, `pmml`, `tribuo`, `xgboost4j`)");
  public static final AttributeKey<String> MODEL_NAME = AttributeKey.string("ai.model.name", "",
      "predictions: the model's name, from the URL path of a model server, or the runtime's own name for the model (an ONNX graph name, a PMML `modelName`, a DJL model name)");
  public static final AttributeKey<String> MODEL_VERSION = AttributeKey.string("ai.model.version", "",
      "predictions: when the path or the response named a version, or the runtime's model carries one");
  public static final AttributeKey<String> MODEL_ID = AttributeKey.string("ai.model.id", "",
      "predictions in the JVM: where the model came from: `sha256:` and the lowercase hex SHA-256 of the bytes an ONNX Runtime session was made from, else the file (ONNX Runtime) or directory (DJL) it was loaded from");
  public static final AttributeKey<String> MODEL_PRODUCER = AttributeKey.string("ai.model.producer", "",
      "predictions in the JVM: what made the model, as the model says (an ONNX model's producer name, e.g. `skl2onnx`, `Tribuo`; a PMML header's application and its version); for Tribuo, `Tribuo` and its version");
  public static final AttributeKey<String> MODEL_ENGINE = AttributeKey.string("ai.model.engine", "",
      "DJL predictions: the engine that ran the model, with its version (e.g. `OnnxRuntime 1.21.1`, `PyTorch 2.5.1`)");
  public static final AttributeKey<String> MODEL_FUNCTION = AttributeKey.string("ai.model.function", "",
      "predictions: `classification` or `regression`, when the model declares it (PMML's `functionName`, TF Serving's `:classify` and `:regress`) or its output shows it (class probabilities, labels)");
  public static final AttributeKey<Long> BATCH_SIZE = AttributeKey.integer("ai.batch.size", "rows",
      "predictions: how many rows (instances, examples) the call scored: the first dimension of the first input's shape, the length of `instances`, of a batch list");
  public static final AttributeKey<List<String>> MODEL_INPUTS = AttributeKey.strings("ai.model.inputs",
      "predictions: each input as `name:DATATYPE[shape]` (the parts the request gave; `-1` for a dimension the runtime leaves open)");
  public static final AttributeKey<List<String>> MODEL_OUTPUTS = AttributeKey.strings("ai.model.outputs",
      "predictions: each output the response carried, as `name` or `name:DATATYPE[shape]`");
  public static final AttributeKey<String> PREDICTED_CLASS = AttributeKey.string("ai.prediction.class", "",
      "classifier predictions: the predicted class (a label, or the index of the highest probability); for a batch, the class predicted most often");
  public static final AttributeKey<Double> PREDICTED_CONFIDENCE = AttributeKey.number("ai.prediction.confidence", "probability 0..1",
      "classifier predictions with probabilities or scores: the top-1 probability; for a batch, its mean over the rows");
  public static final AttributeKey<Double> PREDICTED_CONFIDENCE_MIN = AttributeKey.number("ai.prediction.confidence.min", "probability 0..1",
      "classifier predictions with probabilities: the lowest top-1 probability of the batch's rows");
  public static final AttributeKey<Double> PREDICTED_ENTROPY = AttributeKey.number("ai.prediction.entropy", "bits",
      "classifier predictions with a probability per class: the Shannon entropy of the distribution (0 when certain, log2 of the class count when uniform); for a batch, its mean");
  public static final AttributeKey<Double> PREDICTED_VALUE = AttributeKey.number("ai.prediction.value", "",
      "regressor predictions: the predicted value; for a batch, the mean over the rows");
  public static final AttributeKey<Double> PREDICTED_VALUE_MIN = AttributeKey.number("ai.prediction.value.min", "",
      "regressor predictions of more than one row: the smallest value");
  public static final AttributeKey<Double> PREDICTED_VALUE_MAX = AttributeKey.number("ai.prediction.value.max", "",
      "regressor predictions of more than one row: the largest value");
  public static final AttributeKey<Long> PREDICTED_ROWS = AttributeKey.integer("ai.prediction.rows", "rows",
      "predictions whose output was summarised: how many rows the summary above covers (at most 4096 per call; fewer than `ai.batch.size` when the batch was larger or the output was cut)");

  /** True for a prediction record (a model that is not generative). */
  public static boolean isPrediction(io.tracelight.core.model.AiCall call) {
    return call.get(OPERATION) == null && call.get(PREDICT_OPERATION) != null;
  }
}
