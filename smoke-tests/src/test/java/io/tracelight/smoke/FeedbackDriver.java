package io.tracelight.smoke;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tracelight.api.Tracelight;

/**
 * The application of the feedback smoke test: the official OpenAI SDK for the calls, the
 * {@code tracelight-api} jar for their ids, a session scope, people's ratings and later outcomes.
 * Its first {@code calls / 2} answers are rated well but one in ten; the rest are rejected six times
 * in ten. Prints every call id it got, and what it rated.
 */
public final class FeedbackDriver {
  public static void main(String[] args) {
    String root = args[0].endsWith("/v1") ? args[0] : args[0] + "/v1";
    int calls = Integer.parseInt(args[1]);
    OpenAIClient openai = OpenAIOkHttpClient.builder().baseUrl(root).apiKey("sk-smoke-secret").maxRetries(0).build();
    ChatCompletionCreateParams ask = ChatCompletionCreateParams.builder().model("gpt-4o-mini")
        .addSystemMessage("You recommend walks.").addUserMessage("A walk near Sintra?").build();
    System.out.println("before any call: " + Tracelight.lastCall());
    String[] ids = new String[calls];
    try (Tracelight.Scope scope = Tracelight.session("conv-42", "user-7")) {
      for (int i = 0; i < 3; i++) {
        openai.chat().completions().create(ask);
        ids[i] = Tracelight.lastCall();
      }
    }
    for (int i = 3; i < calls; i++) {
      openai.chat().completions().create(ask);
      ids[i] = Tracelight.lastCall();
    }
    int accepted = 0;
    for (int i = 0; i < calls; i++) {
      boolean rejected = i < calls / 2 ? i % 10 == 9 : i % 10 < 6;
      Tracelight.feedback(ids[i], rejected ? 0.0 : 1.0, rejected ? "thumbs_down" : "thumbs_up");
      accepted += rejected ? 0 : 1;
    }
    Tracelight.outcome(ids[0], "booked");
    Tracelight.outcome(ids[1], 12.5);
    Tracelight.feedback("not-a-call-id", 1.0, null); // refused: counted and said once
    Tracelight.feedback(ids[2], 7.0, "stars"); // refused: the score is not 0..1
    openai.close();
    for (String id : ids) {
      System.out.println("call " + id);
    }
    System.out.println("accepted " + accepted);
  }
}
