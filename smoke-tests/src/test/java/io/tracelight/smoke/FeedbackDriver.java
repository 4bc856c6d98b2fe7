package io.tracelight.smoke;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.tracelight.api.Tracelight;

/**
 * The application of the feedback smoke test: the official OpenAI SDK for the calls, the
 * {@code tracelight-api} jar for their ids, a session scope, people's ratings and later outcomes.
 * Its first {@code calls / 2} answers are rated well but one in ten; the rest are rejected six times
 * in ten. Prints every call id it got, and what it rated; then makes {@value #ASYNC_CALLS} asynchronous
 * calls on each of three clients and prints each answer's id with the call id the app got for it.
 */
public final class FeedbackDriver {
  /** Asynchronous calls per client (the SDK's, the JDK's, Apache's). */
  static final int ASYNC_CALLS = 3;
  static final String SLOW_BODY =
      "{\"model\":\"mock-drift-1000000\",\"messages\":[{\"role\":\"user\",\"content\":\"A walk near Porto?\"}]}";
  private static final java.util.regex.Pattern ANSWER_ID = java.util.regex.Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"");

  private static java.net.http.HttpRequest post(String root) {
    return java.net.http.HttpRequest.newBuilder(java.net.URI.create(root + "/chat/completions"))
        .header("Content-Type", "application/json").header("Authorization", "Bearer sk-smoke-secret")
        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(SLOW_BODY)).build();
  }

  private static String answerId(String body) {
    java.util.regex.Matcher m = ANSWER_ID.matcher(body);
    return m.find() ? m.group(1) : "?";
  }

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
    // asynchronous calls (to a model the mock answers after 30 ms, so the continuations are registered
    // before the answers arrive); each prints "async <how> <answer's id> <call id the app got> <thread>"
    ChatCompletionCreateParams slow = ask.toBuilder().model("mock-drift-1000000").build();
    java.util.List<java.util.concurrent.CompletableFuture<String>> async = new java.util.ArrayList<>();
    for (int i = 0; i < ASYNC_CALLS; i++) { // the SDK's continuation asks, on the thread the answer came to
      async.add(openai.async().chat().completions().create(slow)
          .thenApply(c -> "async sdk " + c.id() + " " + Tracelight.lastCall() + " " + Thread.currentThread().getName()));
    }
    java.net.http.HttpClient jdk = java.net.http.HttpClient.newHttpClient();
    for (int i = 0; i < ASYNC_CALLS; i++) { // the JDK client: asked right after sending, carried to the continuation
      java.util.concurrent.CompletableFuture<java.net.http.HttpResponse<String>> sent =
          jdk.sendAsync(post(root), java.net.http.HttpResponse.BodyHandlers.ofString());
      String carried = Tracelight.lastCall();
      async.add(sent.thenApply(r -> "async jdk " + answerId(r.body()) + " " + carried + " " + Thread.currentThread().getName()));
    }
    try (org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient apache =
        org.apache.hc.client5.http.impl.async.HttpAsyncClients.createDefault()) {
      apache.start();
      for (int i = 0; i < ASYNC_CALLS; i++) { // Apache's callback asks, on its I/O thread
        java.util.concurrent.CompletableFuture<String> line = new java.util.concurrent.CompletableFuture<>();
        apache.execute(org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.post(root + "/chat/completions")
                .addHeader("Authorization", "Bearer sk-smoke-secret")
                .setBody(SLOW_BODY, org.apache.hc.core5.http.ContentType.APPLICATION_JSON).build(),
            new org.apache.hc.core5.concurrent.FutureCallback<org.apache.hc.client5.http.async.methods.SimpleHttpResponse>() {
              @Override
              public void completed(org.apache.hc.client5.http.async.methods.SimpleHttpResponse r) {
                line.complete("async apache " + answerId(r.getBodyText()) + " " + Tracelight.lastCall() + " "
                    + Thread.currentThread().getName());
              }

              @Override
              public void failed(Exception e) {
                line.completeExceptionally(e);
              }

              @Override
              public void cancelled() {
                line.cancel(false);
              }
            });
        async.add(line);
      }
      for (java.util.concurrent.CompletableFuture<String> f : async) {
        System.out.println(f.join());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    openai.close();
    for (String id : ids) {
      System.out.println("call " + id);
    }
    System.out.println("accepted " + accepted);
  }
}
