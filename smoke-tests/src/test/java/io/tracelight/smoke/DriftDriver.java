package io.tracelight.smoke;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;

/**
 * The application of the drift smoke test: the official OpenAI SDK asks one model the same kind of
 * question {@code calls} times, one call after another. Prints how many answers it got and how many
 * began with an apology, so the test can tell what the application saw.
 */
public final class DriftDriver {
  public static void main(String[] args) {
    String root = args[0].endsWith("/v1") ? args[0] : args[0] + "/v1";
    String model = args[1];
    int calls = Integer.parseInt(args[2]);
    OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(root).apiKey("sk-smoke-secret").maxRetries(0).build();
    int answers = 0;
    int apologies = 0;
    for (int i = 0; i < calls; i++) {
      String text = openai.chat().completions().create(ChatCompletionCreateParams.builder().model(model)
          .addSystemMessage("You are the lighthouse guide. Answer briefly.")
          .addUserMessage("Question " + i + ": when does the lighthouse open?").build())
          .choices().get(0).message().content().orElse("");
      answers++;
      apologies += text.startsWith("I\u2019m sorry") ? 1 : 0;
    }
    openai.close();
    System.out.println("answers: " + answers + ", apologies: " + apologies);
  }
}
