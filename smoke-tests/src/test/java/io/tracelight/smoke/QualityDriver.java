package io.tracelight.smoke;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;

/**
 * The application of the answer-quality smoke test: the official OpenAI and Anthropic SDKs ask mock
 * models that refuse in words, refuse in the provider's fields, stop at the token limit and break
 * the JSON they were asked for. Prints what the application got, one line per call.
 */
public final class QualityDriver {
  static final String USER = "Plan a visit to the lighthouse at Cabo da Roca.";

  public static void main(String[] args) {
    String root = args[0].endsWith("/v1") ? args[0].substring(0, args[0].length() - 3) : args[0];
    OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(root + "/v1").apiKey("sk-smoke-secret").maxRetries(0).build();
    ChatCompletionCreateParams base = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
        .addSystemMessage("Answer briefly.").addUserMessage(USER).build();
    print("openai plain", text(openai.chat().completions().create(base)));
    print("openai sorry", text(openai.chat().completions().create(base.toBuilder().model("mock-sorry").build())));
    print("openai refusal", openai.chat().completions().create(base.toBuilder().model("mock-refusal").build())
        .choices().get(0).message().refusal().orElse(""));
    print("openai bad json", text(openai.chat().completions().create(base.toBuilder().model("mock-bad-json")
        .responseFormat(ResponseFormatJsonObject.builder().build()).build())));
    StringBuilder streamed = new StringBuilder();
    try (com.openai.core.http.StreamResponse<ChatCompletionChunk> s = openai.chat().completions().createStreaming(
        base.toBuilder().model("mock-length").streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
            .putAdditionalHeader("x-mock-chunk-delay-ms", "15").build())) {
      s.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(streamed::append)));
    }
    print("openai length stream", streamed);
    openai.close();

    AnthropicClient anthropic = AnthropicOkHttpClient.builder().baseUrl(root).apiKey("sk-ant-smoke-secret").maxRetries(0)
        .build();
    MessageCreateParams params = MessageCreateParams.builder().model("mock-sorry").maxTokens(300L)
        .system("Answer briefly.").addUserMessage(USER).build();
    print("anthropic sorry", anthropic.messages().create(params).content().get(0).text().map(t -> t.text()).orElse(""));
    print("anthropic refusal", anthropic.messages().create(params.toBuilder().model("mock-refusal").build()).stopReason()
        .map(Object::toString).orElse(""));
    StringBuilder text = new StringBuilder();
    try (StreamResponse<RawMessageStreamEvent> s = anthropic.messages().createStreaming(
        params.toBuilder().model("mock-length").putAdditionalHeader("x-mock-chunk-delay-ms", "15").build())) {
      s.stream().forEach(e -> e.contentBlockDelta().ifPresent(d -> d.delta().text().ifPresent(t -> text.append(t.text()))));
    }
    print("anthropic length stream", text);
    anthropic.close();
  }

  private static String text(ChatCompletion c) {
    return c.choices().get(0).message().content().orElse("");
  }

  private static void print(String what, Object answer) {
    System.out.println(what + ": " + answer);
  }
}
