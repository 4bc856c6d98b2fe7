package io.tracelight.mock;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * A loopback server that speaks the wire formats of the main LLM providers, with deterministic
 * answers, and keeps every answer it gave in {@link #sent()} so tests can compare what a client
 * recorded with what the server really said.
 *
 * <p>Protocols, dispatched by method and path:
 * <ul>
 *   <li>OpenAI, under any prefix ({@code /v1}, Azure {@code /openai/deployments/{d}} and {@code /openai/v1}):
 *       {@code POST .../chat/completions}, {@code .../responses}, {@code .../embeddings}, {@code .../completions};
 *   <li>Anthropic: {@code POST /v1/messages}, {@code /v1/messages/count_tokens};
 *   <li>Gemini: {@code POST /{v1|v1beta}/models/{m}:generateContent}, {@code :streamGenerateContent} (SSE with
 *       {@code alt=sse}, else a streamed JSON array), {@code :embedContent}, {@code :batchEmbedContents},
 *       {@code :countTokens}; Vertex AI: {@code /{v1|v1beta1}/projects/{p}/locations/{l}/publishers/google/models/{m}:...}
 *       (also {@code :predict});
 *   <li>Ollama: {@code POST /api/chat}, {@code /api/generate} (NDJSON streams unless {@code "stream": false}),
 *       {@code /api/embed}, {@code /api/embeddings}; {@code GET /api/tags}, {@code /api/version}, {@code /};
 *   <li>Bedrock Runtime: {@code POST /model/{id}/converse}, {@code /converse-stream}, {@code /invoke},
 *       {@code /invoke-with-response-stream} (event-stream frames), for the Anthropic, Nova, Titan, Llama,
 *       Mistral and Cohere families;
 *   <li>model servers (see {@link ServingHandler}): KServe v2 {@code POST /v2/models/{m}[/versions/{v}]/infer}
 *       (JSON and binary tensors), TF Serving / KServe v1 {@code /v1/models/{m}[/versions/{v}]:predict},
 *       {@code :classify}, {@code :regress}, TorchServe {@code /predictions/{m}[/{v}]}, MLflow {@code /invocations},
 *       Seldon {@code [/seldon/{ns}/{d}]/api/v1.0/predictions}, and Hugging Face TGI {@code /generate},
 *       {@code /generate_stream}.
 * </ul>
 *
 * <p>Answers are a function of the request: the text is {@link #answer(String, int)} for the model
 * and the number of messages (a system prompt counts as one), prompt tokens are 8 plus one per 4
 * characters of text, completion tokens one per word. Ids come from a per-server counter.
 *
 * <p>Model names that misbehave, on every protocol (a vendor prefix, path or {@code :tag} around the
 * name is allowed, e.g. {@code anthropic.mock-tools}, {@code mock-tools:latest}):
 * <ul>
 *   <li>{@code mock-error-500}, {@code mock-error-429} (rate limit), {@code mock-overloaded} (Anthropic 529,
 *       others 503), any {@code *-no-such-model} (404): errors in the provider's own envelope;
 *   <li>{@code mock-malformed} (half a JSON body), {@code mock-empty} (no body), {@code mock-non-utf8};
 *   <li>{@code mock-big}: a 50 MB answer;
 *   <li>{@code mock-truncated}: a stream that stops after two pieces without its end; {@code mock-reset}: a
 *       stream whose connection is dropped there; {@code mock-stream-error}: an error inside the 200 stream
 *       there, in the provider's form. Whole answers to these three are normal;
 *   <li>{@code mock-refusal}: a refusal in the provider's form (OpenAI {@code refusal}, Anthropic
 *       {@code stop_reason: refusal}, Gemini a blocked prompt, Bedrock {@code guardrail_intervened});
 *   <li>{@code mock-pii}: an answer holding an e-mail address and a phone number.
 *   <li>{@code mock-sorry}: a refusal in words only; the provider's fields show an ordinary stop.
 *   <li>{@code mock-length}: half of the ordinary answer, stopped at the token limit (OpenAI {@code length},
 *       Anthropic {@code max_tokens}).
 *   <li>{@code mock-bad-json}: JSON cut in the middle of a member, with an ordinary stop.
 *   <li>{@code mock-drift-<n>}: ordinary answers after 30 ms for the name's first n calls; then 90 ms, three
 *       in ten a refusal in words and the others the ordinary answer three times over (a model that drifted).
 *   <li>{@code mock-tools}: a call of the first tool offered (or {@code get_weather}), with arguments that fit
 *       its schema; once the conversation carries the tool's result, a text answer.
 * </ul>
 * Headers {@code x-mock-delay-ms} and {@code x-mock-chunk-delay-ms} delay the first byte (chunk) and
 * each following stream piece.
 */
public final class MockLlmServer implements AutoCloseable {
  /** A tool call the server answered with. */
  public static final class ToolCall {
    /** The call id as sent, or null where the provider sends none (Gemini). */
    public final String id;
    public final String name;
    /** The arguments as JSON text. */
    public final String arguments;

    ToolCall(String id, String name, String arguments) {
      this.id = id;
      this.name = name;
      this.arguments = arguments;
    }

    @Override
    public String toString() {
      return name + "(" + arguments + ")" + (id == null ? "" : " " + id);
    }
  }

  /**
   * What the server answered to one successful request. Counts are -1 when the answer did not carry
   * them (a stream without usage, an API that reports none).
   */
  public static final class Sent {
    /** The response id the client can see (Bedrock: the {@code x-amzn-RequestId} header); null if none (Ollama, embeddings). */
    public final String id;
    public final String model;
    public final boolean stream;
    /** Same as {@link #inputTokens}; on OpenAI chat, {@code prompt_tokens}. */
    public final long promptTokens;
    /** Same as {@link #outputTokens}; on OpenAI chat, {@code completion_tokens}. */
    public final long completionTokens;
    /** Same as {@link #cacheReadTokens}; on OpenAI chat, {@code cached_tokens}. */
    public final long cachedTokens;
    /** The text the client got; null for embeddings and answers over 1 MB. */
    public final String text;
    /** The OpenTelemetry provider name: openai, azure.ai.openai, anthropic, gcp.gemini, gcp.vertex_ai, aws.bedrock, ollama. */
    public final String provider;
    /** The OpenTelemetry operation: chat, text_completion, embeddings, generate_content. */
    public final String operation;
    /** All input tokens, cache reads and writes included, as OpenTelemetry counts them. */
    public final long inputTokens;
    /** All output tokens, reasoning included. */
    public final long outputTokens;
    public final long cacheReadTokens;
    public final long cacheCreationTokens;
    public final long reasoningTokens;
    /** The finish reason as the provider spells it (the status for the Responses API); null if none. */
    public final String finishReason;
    public final int embeddingDimensions;
    public final List<ToolCall> toolCalls;
    /** The request's W3C {@code traceparent} header as the server received it; null if none. */
    public final String traceparent;
    /** Predictions: the model version the server answered for, or null. */
    public final String modelVersion;
    /** Predictions: the rows scored, or -1. */
    public final long batchSize;
    /** Predictions of a classifier: the class of each row, in order. */
    public final List<String> classes;
    /** Predictions of a classifier: each row's top-1 probability as sent (NaN where none was sent). */
    public final List<Double> confidences;
    /** Predictions of a regressor: each row's value as sent. */
    public final List<Double> values;

    private Sent(Builder b) {
      id = b.id;
      model = b.model;
      stream = b.stream;
      provider = b.provider;
      operation = b.operation;
      inputTokens = b.input;
      outputTokens = b.output;
      cacheReadTokens = b.cacheRead;
      cacheCreationTokens = b.cacheCreation;
      reasoningTokens = b.reasoning;
      promptTokens = b.input;
      completionTokens = b.output;
      cachedTokens = b.cacheRead;
      text = b.text == null || b.text.length() > 1_000_000 ? null : b.text; // the 50 MB answer is not kept
      finishReason = b.finishReason;
      embeddingDimensions = b.dimensions;
      toolCalls = Collections.unmodifiableList(new ArrayList<>(b.toolCalls));
      traceparent = b.traceparent;
      modelVersion = b.modelVersion;
      batchSize = b.batchSize;
      classes = Collections.unmodifiableList(new ArrayList<>(b.classes));
      confidences = Collections.unmodifiableList(new ArrayList<>(b.confidences));
      values = Collections.unmodifiableList(new ArrayList<>(b.values));
    }

    static Builder builder(String provider, String operation, String model, boolean stream) {
      return new Builder(provider, operation, model, stream);
    }

    @Override
    public String toString() {
      if ("predict".equals(operation)) {
        return provider + " predict " + model + (modelVersion == null ? "" : " v" + modelVersion) + " batch=" + batchSize
            + (classes.isEmpty() ? "" : " classes=" + classes) + (values.isEmpty() ? "" : " values=" + values);
      }
      return provider + " " + operation + " " + model + (stream ? " stream" : "") + " id=" + id + " in=" + inputTokens
          + " out=" + outputTokens + " cacheRead=" + cacheReadTokens + " cacheCreation=" + cacheCreationTokens
          + " reasoning=" + reasoningTokens + " finish=" + finishReason
          + (embeddingDimensions >= 0 ? " dims=" + embeddingDimensions : "") + (toolCalls.isEmpty() ? "" : " tools=" + toolCalls);
    }

    /** Collects what a handler sent; every count starts as "not sent". */
    static final class Builder {
      private final String provider;
      private final String operation;
      private final String model;
      private final boolean stream;
      private String id;
      private String text;
      private long input = -1;
      private long output = -1;
      private long cacheRead = -1;
      private long cacheCreation = -1;
      private long reasoning = -1;
      private String finishReason;
      private int dimensions = -1;
      private final List<ToolCall> toolCalls = new ArrayList<>();
      private String traceparent;
      private String modelVersion;
      private long batchSize = -1;
      private final List<String> classes = new ArrayList<>();
      private final List<Double> confidences = new ArrayList<>();
      private final List<Double> values = new ArrayList<>();

      private Builder(String provider, String operation, String model, boolean stream) {
        this.provider = provider;
        this.operation = operation;
        this.model = model;
        this.stream = stream;
      }

      Builder id(String id) {
        this.id = id;
        return this;
      }

      Builder text(String text) {
        this.text = text;
        return this;
      }

      Builder tokens(long input, long output) {
        this.input = input;
        this.output = output;
        return this;
      }

      Builder cache(long read, long creation) {
        this.cacheRead = read;
        this.cacheCreation = creation;
        return this;
      }

      Builder reasoning(long reasoning) {
        this.reasoning = reasoning;
        return this;
      }

      Builder finish(String finishReason) {
        this.finishReason = finishReason;
        return this;
      }

      Builder dimensions(int dimensions) {
        this.dimensions = dimensions;
        return this;
      }

      Builder tool(String id, String name, String arguments) {
        toolCalls.add(new ToolCall(id, name, arguments));
        return this;
      }

      Builder traceparent(String traceparent) {
        this.traceparent = traceparent;
        return this;
      }

      Builder prediction(String version, long batch) {
        this.modelVersion = version;
        this.batchSize = batch;
        return this;
      }

      Builder classified(String cls, double confidence) {
        classes.add(cls);
        confidences.add(confidence);
        return this;
      }

      Builder regressed(double value) {
        values.add(value);
        return this;
      }

      Sent build() {
        return new Sent(this);
      }
    }
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final List<Sent> sent = Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong ids = new AtomicLong();
  private final LongAdder handleNanos = new LongAdder();
  private final LongAdder handled = new LongAdder();
  private final OpenAiHandler openAi = new OpenAiHandler();
  private final AnthropicHandler anthropic = new AnthropicHandler();
  private final GeminiHandler gemini = new GeminiHandler();
  private final OllamaHandler ollama = new OllamaHandler();
  private final BedrockHandler bedrock = new BedrockHandler();
  private final ServingHandler serving = new ServingHandler();
  private volatile Consumer<Sent> listener;

  private MockLlmServer(int port) throws IOException {
    System.setProperty("sun.net.httpserver.nodelay", "true");
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
    executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "mock-llm-server");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  public static MockLlmServer start(int port) throws IOException {
    return new MockLlmServer(port);
  }

  /** Base URL in the form OpenAI clients take, ending in {@code /v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port() + "/v1";
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<Sent> sent() {
    synchronized (sent) {
      return new ArrayList<>(sent);
    }
  }

  /** Calls back on every answer recorded (the standalone server logs them); null for none. */
  public void onSent(Consumer<Sent> listener) {
    this.listener = listener;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** The deterministic answer to a request: the same for streamed and whole responses. */
  public static String answer(String model, int messages) {
    return Answers.text(model, messages);
  }

  /** A whole {@code chat.completion} body, as this server sends it; for scripted servers. */
  public static String wholeResponse(String id, String model, String text, long prompt, long completion, long cached) {
    return OpenAiHandler.wholeResponse(id, model, text, prompt, completion, cached);
  }

  /** A whole SSE body with usage and {@code [DONE]}, as this server streams it; for scripted servers. */
  public static String streamResponse(String id, String model, String text, long prompt, long completion, long cached) {
    return OpenAiHandler.streamResponse(id, model, text, prompt, completion, cached);
  }

  /**
   * Mean time the server spent on a request, from reading it to sending the last byte (delays
   * asked for by headers included), so benchmarks can show the server is not what they measure.
   */
  public double meanHandleMicros() {
    long n = handled.sum();
    return n == 0 ? 0 : handleNanos.sum() / 1000.0 / n;
  }

  public long handled() {
    return handled.sum();
  }

  private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicLong> callsByModel =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Counts a call of a model name; returns its number (1 for the first). */
  long countCall(String model) {
    return callsByModel.computeIfAbsent(model, k -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
  }

  long nextId() {
    return ids.incrementAndGet();
  }

  void record(Sent s) {
    sent.add(s);
    Consumer<Sent> l = listener;
    if (l != null) {
      l.accept(s);
    }
  }

  private void handle(HttpExchange ex) throws IOException {
    long start = System.nanoTime();
    try {
      handleAndClose(ex);
    } finally {
      handleNanos.add(System.nanoTime() - start);
      handled.increment();
    }
  }

  private void handleAndClose(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      Call call = new Call(this, ex, in.readAllBytes());
      handlerFor(call).handle(call);
    } catch (Call.DropConnection drop) {
      throw drop; // the HTTP server closes the socket without ending the chunked body
    } catch (IOException | RuntimeException e) {
      ex.close();
      throw e;
    }
    ex.close();
  }

  private Handler handlerFor(Call c) {
    String p = c.path;
    if (ServingHandler.matches(c)) {
      return serving;
    }
    if (p.equals("/") || p.startsWith("/api/")) {
      return ollama;
    }
    if (c.rawPath.startsWith("/model/")) {
      return bedrock;
    }
    if (GeminiHandler.matches(p)) {
      return gemini;
    }
    if (p.equals("/v1/messages") || p.startsWith("/v1/messages/")) {
      return anthropic;
    }
    return openAi; // which answers unknown paths with an OpenAI 404, as it always did
  }

  /** Runs the server standalone: {@code java -jar mock-server.jar --port 8089}, or {@code MockLlmServer [port]}. */
  public static void main(String[] args) throws Exception {
    Cli.main(args);
  }
}
