package io.tracelight.smoke;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.Content;
import com.google.genai.types.EmbedContentResponse;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.Part;
import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.client.okhttp.OpenAIOkHttpClientAsync;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.embeddings.CreateEmbeddingResponse;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.anthropic.AnthropicStreamingChatModel;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The application the provider smoke tests run in a forked JVM: the official SDKs, LangChain4j
 * and plain HTTP clients calling each provider's API on the mock server. It prints what the
 * application itself observes (answers, the usage the library reports), so the runs with and
 * without the agent must print the same. Keys are planted secrets the records must never hold.
 */
public final class ProviderDriver {
  static final String SYSTEM_PROMPT = "You are the provider smoke-test assistant. Answer briefly.";
  static final String USER = "Say hello to the observability agent.";
  static final List<String> SECRETS = List.of("sk-smoke-openai-secret", "sk-ant-smoke-secret", "AIzaSmokeHeaderSecret",
      "AIzaSmokeQuerySecret", "AKIASMOKESECRETKEY", "smoke-session-token-secret", "smoke-signature-secret",
      "smoke-azure-api-key-secret");

  private final String root;
  private final HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final OkHttpClient okhttp = new OkHttpClient();

  private ProviderDriver(String root) {
    this.root = root;
  }

  public static void main(String[] args) throws Exception {
    ProviderDriver d = new ProviderDriver(args[1]);
    switch (args[0]) {
      case "openai-sdk":
        d.openAiSdk();
        break;
      case "anthropic-sdk":
        d.anthropicSdk();
        break;
      case "genai-sdk":
        d.genAiSdk();
        break;
      case "langchain4j":
        d.langChain4j();
        break;
      case "ollama-http":
        d.ollamaHttp();
        break;
      case "bedrock-http":
        d.bedrockHttp();
        break;
      default:
        throw new IllegalArgumentException(args[0]);
    }
    d.okhttp.dispatcher().executorService().shutdown();
    d.okhttp.connectionPool().evictAll();
  }

  private static void print(String what, Object observed) {
    System.out.println(what + ": " + observed);
  }

  /** Chat and Responses, whole and streamed, sync and async; embeddings; a stream without usage. */
  private void openAiSdk() throws Exception {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(root + "/v1").apiKey("sk-smoke-openai-secret")
        .maxRetries(0).build();
    ChatCompletionCreateParams chat = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
        .addSystemMessage(SYSTEM_PROMPT).addUserMessage(USER).temperature(0.3).maxCompletionTokens(200L).build();
    ChatCompletion completion = client.chat().completions().create(chat);
    print("chat", completion.choices().get(0).message().content().orElse("") + " | usage "
        + completion.usage().map(u -> u.promptTokens() + "/" + u.completionTokens()).orElse("none"));

    ChatCompletion toolCall = client.chat().completions().create(chat.toBuilder().model("mock-tools")
        .addFunctionTool(com.openai.models.FunctionDefinition.builder().name("get_weather")
            .parameters(com.openai.models.FunctionParameters.builder()
                .putAdditionalProperty("type", com.openai.core.JsonValue.from("object"))
                .putAdditionalProperty("properties", com.openai.core.JsonValue.from(
                    java.util.Map.of("city", java.util.Map.of("type", "string")))).build())
            .build())
        .build());
    print("chat tool call", toolCall.choices().get(0).finishReason() + " "
        + toolCall.choices().get(0).message().toolCalls().map(List::size).orElse(0) + " call(s)");

    StringBuilder text = new StringBuilder();
    ChatCompletionCreateParams withUsage = chat.toBuilder()
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build();
    try (com.openai.core.http.StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(withUsage)) {
      s.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
    }
    print("chat stream", text);

    text.setLength(0);
    ChatCompletionCreateParams noUsage = chat.toBuilder().model("gpt-4o").build();
    try (com.openai.core.http.StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(noUsage)) {
      s.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
    }
    print("chat stream without usage", text);

    ResponseCreateParams responses = ResponseCreateParams.builder().model("gpt-4.1-mini").instructions(SYSTEM_PROMPT)
        .input(USER).maxOutputTokens(300L).build();
    com.openai.models.responses.Response response = client.responses().create(responses);
    print("responses", response.id() + " | usage "
        + response.usage().map(u -> u.inputTokens() + "/" + u.outputTokens()).orElse("none"));

    text.setLength(0);
    try (com.openai.core.http.StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(responses)) {
      s.stream().forEach(e -> e.outputTextDelta().ifPresent(d -> text.append(d.delta())));
    }
    print("responses stream", text);

    CreateEmbeddingResponse embeddings = client.embeddings().create(EmbeddingCreateParams.builder()
        .model("text-embedding-3-small").input("Observability for AI calls").dimensions(64L).build());
    print("embeddings", embeddings.data().get(0).embedding().size() + " dims | usage "
        + embeddings.usage().promptTokens());
    client.close();

    OpenAIClientAsync async = OpenAIOkHttpClientAsync.builder().baseUrl(root + "/v1").apiKey("sk-smoke-openai-secret")
        .maxRetries(0).build();
    ChatCompletion asyncCompletion = async.chat().completions().create(chat.toBuilder().model("gpt-4o-mini-async").build())
        .get(30, TimeUnit.SECONDS);
    print("async chat", asyncCompletion.choices().get(0).message().content().orElse(""));
    StringBuilder asyncText = new StringBuilder();
    AsyncStreamResponse<ChatCompletionChunk> stream = async.chat().completions().createStreaming(
        withUsage.toBuilder().model("gpt-4o-mini-async").build());
    stream.subscribe(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(asyncText::append)));
    stream.onCompleteFuture().get(30, TimeUnit.SECONDS);
    print("async chat stream", asyncText);
    async.close();
  }

  /** Messages whole and streamed, and a tool call. */
  private void anthropicSdk() {
    AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(root).apiKey("sk-ant-smoke-secret").maxRetries(0)
        .build();
    MessageCreateParams params = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(300L)
        .system(SYSTEM_PROMPT).addUserMessage(USER).build();
    Message message = client.messages().create(params);
    print("messages", message.content().get(0).text().map(t -> t.text()).orElse("") + " | usage "
        + message.usage().inputTokens() + "+" + message.usage().cacheReadInputTokens().orElse(0L) + "+"
        + message.usage().cacheCreationInputTokens().orElse(0L) + "/" + message.usage().outputTokens());

    StringBuilder text = new StringBuilder();
    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params)) {
      s.stream().forEach(e -> e.contentBlockDelta().ifPresent(d -> d.delta().text().ifPresent(t -> text.append(t.text()))));
    }
    print("messages stream", text);

    MessageCreateParams tools = params.toBuilder().model("mock-tools")
        .addTool(com.anthropic.models.messages.Tool.builder().name("get_weather")
            .inputSchema(com.anthropic.models.messages.Tool.InputSchema.builder()
                .properties(com.anthropic.core.JsonValue.from(java.util.Map.of("city", java.util.Map.of("type", "string"))))
                .build())
            .build())
        .build();
    Message toolUse = client.messages().create(tools);
    print("tool use", toolUse.stopReason().map(Object::toString).orElse("") + " " + toolUse.content().size() + " blocks");
    client.close();
  }

  /** The Google Gen AI SDK on the Gemini API: generate, stream (SSE), embed. */
  private void genAiSdk() {
    try (Client client = Client.builder().apiKey("AIzaSmokeHeaderSecret")
        .httpOptions(HttpOptions.builder().baseUrl(root).apiVersion("v1beta").build()).build()) {
      GenerateContentConfig config = GenerateContentConfig.builder()
          .systemInstruction(Content.fromParts(Part.fromText(SYSTEM_PROMPT))).temperature(0.4f).maxOutputTokens(256)
          .build();
      GenerateContentResponse whole = client.models.generateContent("gemini-2.5-flash", USER, config);
      print("generate", whole.text() + " | usage "
          + whole.usageMetadata().map(u -> u.promptTokenCount().orElse(-1) + "/" + u.candidatesTokenCount().orElse(-1)
              + "+" + u.thoughtsTokenCount().orElse(0)).orElse("none"));
      StringBuilder text = new StringBuilder();
      try (ResponseStream<GenerateContentResponse> s = client.models.generateContentStream("gemini-2.5-flash", USER, config)) {
        for (GenerateContentResponse r : s) {
          text.append(r.text() == null ? "" : r.text());
        }
      }
      print("generate stream", text);
      GenerateContentResponse function = client.models.generateContent("mock-tools", USER, config.toBuilder()
          .tools(com.google.genai.types.Tool.builder().functionDeclarations(com.google.genai.types.FunctionDeclaration
              .builder().name("get_weather").parametersJsonSchema(java.util.Map.of("type", "object", "properties",
                  java.util.Map.of("city", java.util.Map.of("type", "string")))).build()).build())
          .build());
      print("function call", function.functionCalls() == null ? 0 : function.functionCalls().size());
      EmbedContentResponse embedding = client.models.embedContent("gemini-embedding-001", "Observability for AI calls",
          null);
      print("embed", embedding.embeddings().map(e -> e.get(0).values().map(List::size).orElse(0)).orElse(0) + " dims");
    }
  }

  /** LangChain4j's chat and streaming chat models for OpenAI, Anthropic, Gemini and Ollama. */
  private void langChain4j() throws Exception {
    ChatModel[] chat = {
        OpenAiChatModel.builder().baseUrl(root + "/v1").apiKey("sk-smoke-openai-secret").modelName("gpt-4o-mini")
            .maxRetries(0).build(),
        AnthropicChatModel.builder().baseUrl(root + "/v1").apiKey("sk-ant-smoke-secret").modelName("claude-haiku-4-5")
            .maxTokens(300).maxRetries(0).build(),
        GoogleAiGeminiChatModel.builder().baseUrl(root + "/v1beta").apiKey("AIzaSmokeHeaderSecret")
            .modelName("gemini-2.5-flash").maxRetries(0).build(),
        OllamaChatModel.builder().baseUrl(root).modelName("llama3.2:3b").maxRetries(0).build()};
    StreamingChatModel[] streaming = {
        OpenAiStreamingChatModel.builder().baseUrl(root + "/v1").apiKey("sk-smoke-openai-secret")
            .modelName("gpt-4o-mini").build(),
        AnthropicStreamingChatModel.builder().baseUrl(root + "/v1").apiKey("sk-ant-smoke-secret")
            .modelName("claude-haiku-4-5").maxTokens(300).build(),
        GoogleAiGeminiStreamingChatModel.builder().baseUrl(root + "/v1beta").apiKey("AIzaSmokeHeaderSecret")
            .modelName("gemini-2.5-flash").build(),
        OllamaStreamingChatModel.builder().baseUrl(root).modelName("llama3.2:3b").build()};
    String[] names = {"openai", "anthropic", "gemini", "ollama"};
    for (int i = 0; i < names.length; i++) {
      ChatResponse response = chat[i].chat(SystemMessage.from(SYSTEM_PROMPT), UserMessage.from(USER));
      print("lc4j " + names[i], response.aiMessage().text() + " | usage " + response.tokenUsage());
      CompletableFuture<ChatResponse> done = new CompletableFuture<>();
      StringBuilder text = new StringBuilder();
      streaming[i].chat(List.of(SystemMessage.from(SYSTEM_PROMPT), UserMessage.from(USER)),
          new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
              text.append(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse complete) {
              done.complete(complete);
            }

            @Override
            public void onError(Throwable error) {
              done.completeExceptionally(error);
            }
          });
      ChatResponse streamed = done.get(60, TimeUnit.SECONDS);
      print("lc4j " + names[i] + " stream", text + " | usage " + streamed.tokenUsage());
    }
  }

  private static final MediaType JSON = MediaType.get("application/json");

  private HttpRequest.Builder post(String path, String body) {
    return HttpRequest.newBuilder(URI.create(root + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private static String sha(String text) {
    return ClientDriver.sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Ollama's native API over the JDK client and OkHttp: chat and generate streams, a whole chat, embed. */
  private void ollamaHttp() throws Exception {
    String chat = "{\"model\":\"llama3.2:3b\",\"messages\":[{\"role\":\"system\",\"content\":\"" + SYSTEM_PROMPT
        + "\"},{\"role\":\"user\",\"content\":\"" + USER + "\"}],\"options\":{\"temperature\":0.5,\"num_predict\":128}";
    HttpResponse<String> stream = jdk.send(post("/api/chat", chat + "}").build(), HttpResponse.BodyHandlers.ofString());
    print("ollama chat stream", stream.statusCode() + " " + sha(stream.body()));
    HttpResponse<String> whole = jdk.send(post("/api/chat", chat + ",\"stream\":false}").build(),
        HttpResponse.BodyHandlers.ofString());
    print("ollama chat", whole.statusCode() + " " + sha(whole.body()));
    String generate = "{\"model\":\"qwen2.5:7b\",\"system\":\"" + SYSTEM_PROMPT + "\",\"prompt\":\"" + USER + "\"}";
    try (Response r = okhttp.newCall(new Request.Builder().url(root + "/api/generate")
        .post(RequestBody.create(generate, JSON)).build()).execute()) {
      print("ollama generate stream", r.code() + " " + sha(r.body().string()));
    }
    // the app's own chat endpoint happens to share Ollama's path: not an AI call
    HttpResponse<String> own = jdk.send(post("/api/chat", "{\"room\":\"lobby\",\"text\":\"hi all\"}").build(),
        HttpResponse.BodyHandlers.ofString());
    print("own /api/chat", own.statusCode());
    HttpResponse<String> embed = jdk.send(post("/api/embed",
        "{\"model\":\"nomic-embed-text\",\"input\":[\"one\",\"two\"]}").build(), HttpResponse.BodyHandlers.ofString());
    print("ollama embed", embed.statusCode() + " " + sha(embed.body()));
  }

  /**
   * Bedrock Runtime over the JDK client and OkHttp, with SigV4-looking headers (planted secrets):
   * Converse, ConverseStream, InvokeModel and its response stream for two families.
   */
  private void bedrockHttp() throws Exception {
    String converse = "{\"system\":[{\"text\":\"" + SYSTEM_PROMPT + "\"}],\"messages\":[{\"role\":\"user\",\"content\":"
        + "[{\"text\":\"" + USER + "\"}]}],\"inferenceConfig\":{\"maxTokens\":256,\"temperature\":0.2}}";
    String anthropic = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":256,\"system\":\"" + SYSTEM_PROMPT
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + USER + "\"}]}";
    String llama = "{\"prompt\":\"" + USER + "\",\"max_gen_len\":128,\"temperature\":0.5}";
    String[][] calls = {
        {"/model/us.anthropic.claude-3-5-haiku-20241022-v1%3A0/converse", converse},
        {"/model/amazon.nova-lite-v1%3A0/converse-stream", converse},
        {"/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke", anthropic},
        {"/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/invoke-with-response-stream", anthropic},
        {"/model/meta.llama3-1-8b-instruct-v1%3A0/invoke", llama},
        {"/model/meta.llama3-1-8b-instruct-v1%3A0/invoke-with-response-stream", llama}};
    for (String[] call : calls) {
      HttpResponse<byte[]> r = jdk.send(post(call[0], call[1])
          .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIASMOKESECRETKEY/20261126/us-east-1/bedrock/aws4_request, "
              + "SignedHeaders=host;x-amz-date, Signature=smoke-signature-secret")
          .header("X-Amz-Date", "20261126T120000Z").header("X-Amz-Security-Token", "smoke-session-token-secret")
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      print("bedrock " + call[0], r.statusCode() + " " + ClientDriver.sha256(r.body()));
    }
    try (Response r = okhttp.newCall(new Request.Builder()
        .url(root + "/model/amazon.nova-lite-v1%3A0/converse-stream?X-Amz-Signature=smoke-signature-secret")
        .post(RequestBody.create(converse, JSON)).build()).execute()) {
      print("bedrock okhttp converse-stream", r.code() + " " + ClientDriver.sha256(r.body().bytes()));
    }
    // Azure OpenAI with its api-key header and a SAS-style sig= parameter
    HttpResponse<String> azure = jdk.send(post("/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21"
        + "&sig=smoke-signature-secret", "{\"messages\":[{\"role\":\"system\",\"content\":\"" + SYSTEM_PROMPT
        + "\"},{\"role\":\"user\",\"content\":\"" + USER + "\"}]}").header("api-key", "smoke-azure-api-key-secret")
        .build(), HttpResponse.BodyHandlers.ofString());
    print("azure openai", azure.statusCode() + " " + sha(azure.body()));
    // Gemini with its key in the query, the way many hand-written clients send it
    HttpResponse<String> gemini = jdk.send(post("/v1beta/models/gemini-2.0-flash:generateContent?key=AIzaSmokeQuerySecret",
        "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + USER + "\"}]}]}").build(),
        HttpResponse.BodyHandlers.ofString());
    print("gemini key in query", gemini.statusCode() + " " + sha(gemini.body()));
  }
}
