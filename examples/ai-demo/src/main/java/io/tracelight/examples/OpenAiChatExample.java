package io.tracelight.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Stream;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * The demo's OpenAI part, the way many apps talk to an OpenAI-compatible server: plain and
 * streamed chat completions over the JDK HttpClient and over OkHttp, plus one call that fails.
 */
final class OpenAiChatExample {
  static final String SYSTEM_PROMPT = "You are a concise assistant for the Tracelight demo. Answer in one sentence.";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final MediaType JSON_TYPE = MediaType.get("application/json");

  private final String baseUrl;
  private final String apiKey;
  private final String model;
  private final String failingModel;
  private final HttpClient jdk = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final OkHttpClient okhttp = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(60)).build();

  OpenAiChatExample(String baseUrl, String apiKey, String model, String failingModel) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.apiKey = apiKey;
    this.model = model;
    this.failingModel = failingModel;
  }

  void run() throws Exception {
    System.out.println("[jdk-httpclient chat] " + jdkChat(model));
    System.out.println("[jdk-httpclient stream] " + jdkStream(model));
    System.out.println("[okhttp chat] " + okhttpChat(model));
    System.out.println("[okhttp stream] " + okhttpStream(model));
    System.out.println("[jdk-httpclient error] " + jdkChat(failingModel));
    System.out.println("[okhttp error] " + okhttpChat(failingModel));
  }

  /** One more chat over OkHttp, to a model of the caller's choosing (the mock's model that declines). */
  void chat(String label, String otherModel) throws Exception {
    System.out.println("[" + label + "] " + okhttpChat(otherModel));
  }

  /** The usual model with another system prompt: what a deploy of a new prompt looks like to the agent. */
  void chatWithSystemPrompt(String label, String systemPrompt) throws Exception {
    System.out.println("[" + label + "] " + okhttpChat(model, systemPrompt));
  }

  void close() {
    okhttp.dispatcher().executorService().shutdown();
    okhttp.connectionPool().evictAll();
  }

  private byte[] requestBody(String model, boolean stream) throws IOException {
    return requestBody(model, stream, SYSTEM_PROMPT);
  }

  private byte[] requestBody(String model, boolean stream, String systemPrompt) throws IOException {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", model);
    body.putArray("messages")
        .add(JSON.createObjectNode().put("role", "system").put("content", systemPrompt))
        .add(JSON.createObjectNode().put("role", "user").put("content", "What does a Java agent do?"));
    body.put("temperature", 0.2).put("max_tokens", 200);
    if (stream) {
      body.put("stream", true);
      body.putObject("stream_options").put("include_usage", true);
    }
    return JSON.writeValueAsBytes(body);
  }

  String jdkChat(String model) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
        .header("Authorization", "Bearer " + apiKey)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody(model, false)))
        .build();
    HttpResponse<String> response = jdk.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      return "HTTP " + response.statusCode();
    }
    return JSON.readTree(response.body()).path("choices").path(0).path("message").path("content").asText();
  }

  String jdkStream(String model) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
        .header("Authorization", "Bearer " + apiKey)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(requestBody(model, true)))
        .build();
    HttpResponse<Stream<String>> response = jdk.send(request, HttpResponse.BodyHandlers.ofLines());
    StringBuilder text = new StringBuilder();
    try (Stream<String> lines = response.body()) {
      lines.forEach(line -> appendDelta(line, text));
    }
    return text.toString();
  }

  String okhttpChat(String model) throws IOException {
    return okhttpChat(model, SYSTEM_PROMPT);
  }

  String okhttpChat(String model, String systemPrompt) throws IOException {
    Request request = new Request.Builder().url(baseUrl + "/chat/completions")
        .header("Authorization", "Bearer " + apiKey)
        .post(RequestBody.create(requestBody(model, false, systemPrompt), JSON_TYPE))
        .build();
    try (Response response = okhttp.newCall(request).execute()) {
      if (response.code() != 200) {
        return "HTTP " + response.code();
      }
      return JSON.readTree(response.body().string()).path("choices").path(0).path("message").path("content").asText();
    }
  }

  String okhttpStream(String model) throws IOException {
    Request request = new Request.Builder().url(baseUrl + "/chat/completions")
        .header("Authorization", "Bearer " + apiKey)
        .post(RequestBody.create(requestBody(model, true), JSON_TYPE))
        .build();
    StringBuilder text = new StringBuilder();
    try (Response response = okhttp.newCall(request).execute()) {
      BufferedSource source = response.body().source();
      String line;
      while ((line = source.readUtf8Line()) != null) {
        appendDelta(line, text);
      }
    }
    return text.toString();
  }

  private static void appendDelta(String line, StringBuilder text) {
    if (!line.startsWith("data: ") || line.equals("data: [DONE]")) {
      return;
    }
    try {
      JsonNode chunk = JSON.readTree(line.substring(6));
      JsonNode content = chunk.path("choices").path(0).path("delta").path("content");
      if (content.isTextual()) {
        text.append(content.asText());
      }
    } catch (IOException e) {
      throw new IllegalStateException("bad stream chunk: " + line, e);
    }
  }
}
