package io.tracelight.smoke;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * A service as the extension-mode smoke test runs it under the OpenTelemetry agent: an HTTP server
 * (the JDK's, which the agent traces) whose handler makes two AI calls, one with the JDK client and
 * one with the official OpenAI SDK (and with {@code reactor}, a third with Reactor Netty, whose
 * request is written on its event loop); main sends it one request and prints what came back.
 * Arguments: the LLM base URL [reactor].
 */
public final class TracedServiceApp {
  private TracedServiceApp() {}

  public static void main(String[] args) throws Exception {
    String llm = args[0];
    boolean reactor = args.length > 1 && args[1].equals("reactor");
    HttpClient jdk = HttpClient.newHttpClient();
    OpenAIClient sdk = OpenAIOkHttpClient.builder().baseUrl(llm).apiKey("sk-smoke-secret").build();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/ask", exchange -> {
      String answer;
      try {
        HttpRequest chat = HttpRequest.newBuilder(URI.create(llm + "/chat/completions"))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer sk-smoke-secret")
            .POST(HttpRequest.BodyPublishers.ofString(ClientDriver.body("gpt-4o-mini", false, false)))
            .build();
        HttpResponse<String> jdkAnswer = jdk.send(chat, HttpResponse.BodyHandlers.ofString());
        ChatCompletion completion = sdk.chat().completions().create(ChatCompletionCreateParams.builder()
            .model("gpt-4o").addSystemMessage(ClientDriver.SYSTEM_PROMPT).addUserMessage("Say hello.").build());
        answer = "jdk " + jdkAnswer.statusCode() + ", sdk: " + completion.choices().get(0).message().content().orElse("");
        if (reactor) {
          answer += ", reactor " + new ClientSuiteDriver.Reactor().call(llm, "gpt-4o-reactor", false).status;
        }
      } catch (Exception e) {
        answer = "failed: " + e;
      }
      byte[] out = answer.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, out.length);
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(out);
      }
    });
    server.start();
    HttpRequest ask =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/ask")).build();
    System.out.println(jdk.send(ask, HttpResponse.BodyHandlers.ofString()).body());
    server.stop(0);
    sdk.close();
  }
}
