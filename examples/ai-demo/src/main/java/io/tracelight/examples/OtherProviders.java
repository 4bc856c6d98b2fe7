package io.tracelight.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * The demo's other providers, each called in its own wire format over a plain HTTP client:
 * Anthropic Messages (streamed, OkHttp), Gemini (JDK client), Ollama's native chat (an NDJSON
 * stream, JDK client) and Bedrock's ConverseStream (AWS event-stream frames, JDK client).
 */
final class OtherProviders {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");
  private static final String QUESTION = "What does a Java agent do?";

  private final String root;
  private final HttpClient jdk = HttpClient.newHttpClient();
  private final OkHttpClient okhttp = new OkHttpClient();

  OtherProviders(String root) {
    this.root = root;
  }

  void run() throws Exception {
    System.out.println("[anthropic stream] " + anthropicStream());
    System.out.println("[gemini] " + gemini());
    System.out.println("[ollama stream] " + ollamaStream());
    System.out.println("[bedrock converse-stream] " + bedrockStream());
  }

  private String anthropicStream() throws IOException {
    String body = "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":300,\"stream\":true,\"system\":\""
        + OpenAiChatExample.SYSTEM_PROMPT + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}";
    Request request = new Request.Builder().url(root + "/v1/messages").header("x-api-key", "sk-ant-mock-key")
        .header("anthropic-version", "2023-06-01").post(RequestBody.create(body, JSON_TYPE)).build();
    StringBuilder text = new StringBuilder();
    try (Response response = okhttp.newCall(request).execute()) {
      BufferedSource source = response.body().source();
      String line;
      while ((line = source.readUtf8Line()) != null) {
        if (line.startsWith("data: ")) {
          JsonNode event = JSON.readTree(line.substring(6));
          text.append(event.path("delta").path("text").asText(""));
        }
      }
    }
    return text.toString();
  }

  private String gemini() throws Exception {
    String body = "{\"systemInstruction\":{\"parts\":[{\"text\":\"" + OpenAiChatExample.SYSTEM_PROMPT + "\"}]},"
        + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + QUESTION + "\"}]}],"
        + "\"generationConfig\":{\"temperature\":0.2,\"maxOutputTokens\":200}}";
    HttpResponse<String> response = jdk.send(post("/v1beta/models/gemini-2.5-flash:generateContent", body)
        .header("x-goog-api-key", "AIza-mock-key").build(), HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body()).path("candidates").path(0).path("content").path("parts").path(0)
        .path("text").asText();
  }

  private String ollamaStream() throws Exception {
    String body = "{\"model\":\"llama3.2:3b\",\"messages\":[{\"role\":\"system\",\"content\":\""
        + OpenAiChatExample.SYSTEM_PROMPT + "\"},{\"role\":\"user\",\"content\":\"" + QUESTION + "\"}]}";
    HttpResponse<Stream<String>> response = jdk.send(post("/api/chat", body).build(), HttpResponse.BodyHandlers.ofLines());
    StringBuilder text = new StringBuilder();
    try (Stream<String> lines = response.body()) {
      for (String line : (Iterable<String>) lines::iterator) {
        text.append(JSON.readTree(line).path("message").path("content").asText(""));
      }
    }
    return text.toString();
  }

  /** The AWS event-stream frames are binary; a real app lets the AWS SDK decode them. */
  private String bedrockStream() throws Exception {
    String body = "{\"system\":[{\"text\":\"" + OpenAiChatExample.SYSTEM_PROMPT + "\"}],\"messages\":[{\"role\":\"user\","
        + "\"content\":[{\"text\":\"" + QUESTION + "\"}]}],\"inferenceConfig\":{\"maxTokens\":200}}";
    HttpResponse<byte[]> response = jdk.send(post("/model/us.amazon.nova-lite-v1%3A0/converse-stream", body).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    return response.statusCode() + ", " + response.body().length + " bytes of event-stream frames";
  }

  private HttpRequest.Builder post(String path, String body) {
    return HttpRequest.newBuilder(URI.create(root + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
  }

  void close() {
    okhttp.dispatcher().executorService().shutdown();
    okhttp.connectionPool().evictAll();
  }
}
