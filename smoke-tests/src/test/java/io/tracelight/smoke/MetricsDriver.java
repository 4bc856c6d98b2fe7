package io.tracelight.smoke;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The application of the metrics endpoint's smoke test: with the official OpenAI SDK, {@code plain}
 * calls, {@code streamed} streamed ones and two that fail (HTTP 500), then it stays up (so
 * Prometheus can scrape it) until the file {@code args[3]} appears, at most two minutes.
 */
public final class MetricsDriver {
  public static void main(String[] args) throws Exception {
    String root = args[0].endsWith("/v1") ? args[0] : args[0] + "/v1";
    int plain = Integer.parseInt(args[1]);
    int streamed = Integer.parseInt(args[2]);
    Path stop = Paths.get(args[3]);
    OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(root).apiKey("sk-smoke-secret").maxRetries(0).build();
    ChatCompletionCreateParams ask = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
        .addUserMessage("Which ferry goes to Cacilhas?").build();
    for (int i = 0; i < plain; i++) {
      openai.chat().completions().create(ask);
    }
    for (int i = 0; i < streamed; i++) {
      try (StreamResponse<ChatCompletionChunk> stream = openai.chat().completions().createStreaming(ask)) {
        stream.stream().forEach(chunk -> { });
      }
    }
    int failed = 0;
    for (int i = 0; i < 2; i++) {
      try {
        openai.chat().completions().create(ask.toBuilder().model("mock-error-500").build());
      } catch (RuntimeException e) {
        failed++;
      }
    }
    openai.close();
    System.out.println("calls done, failed " + failed);
    System.out.flush();
    for (int i = 0; i < 1200 && !Files.exists(stop); i++) {
      Thread.sleep(100);
    }
  }
}
