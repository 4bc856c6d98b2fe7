package io.tracelight.smoke;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * An app that traces itself with the OpenTelemetry API and SDK (no agent of OpenTelemetry's): inside
 * its span "handle request" it calls the LLM with the JDK client and with the official OpenAI SDK,
 * then once more outside any span. Prints the span's ids and each answer's status.
 * Arguments: the LLM base URL.
 */
public final class ApiSpanApp {
  private ApiSpanApp() {}

  public static void main(String[] args) throws Exception {
    String llm = args[0];
    HttpClient jdk = HttpClient.newHttpClient();
    OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(llm).apiKey("sk-smoke-secret").build();
    SdkTracerProvider tracing = SdkTracerProvider.builder().build();
    Span span = tracing.get("api-span-app").spanBuilder("handle request").startSpan();
    try (Scope ignored = span.makeCurrent()) {
      System.out.println("jdk in span: " + jdk.send(chat(llm, "in-span-jdk"), HttpResponse.BodyHandlers.ofString())
          .statusCode());
      System.out.println("sdk in span: " + sdk.chat().completions().create(ChatCompletionCreateParams.builder()
          .model("in-span-sdk").addSystemMessage(ClientDriver.SYSTEM_PROMPT).addUserMessage("Say hello.").build())
          .choices().size());
    } finally {
      span.end();
    }
    System.out.println("jdk outside: " + jdk.send(chat(llm, "outside-jdk"), HttpResponse.BodyHandlers.ofString())
        .statusCode());
    System.out.println("span " + span.getSpanContext().getTraceId() + " " + span.getSpanContext().getSpanId());
    sdk.close();
    tracing.close();
  }

  private static HttpRequest chat(String llm, String model) {
    return HttpRequest.newBuilder(URI.create(llm + "/chat/completions"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(ClientDriver.body(model, false, false)))
        .build();
  }
}
