package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracelight.mock.MockLlmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Spring Boot apps with Spring AI, run as users run them ({@code java -jar}): {@code ChatClient}
 * over OpenAI, Anthropic and Ollama, a plain call and a stream each. Spring AI 1.1 on Boot 3
 * ({@code smoke-apps/spring-ai-1}) sends plain calls through Boot's {@code RestClient} (here once on
 * the JDK client, once on Apache HttpClient 5) and streams through {@code WebClient} on Reactor
 * Netty. Spring AI 2.0 on Boot 4 ({@code smoke-apps/spring-ai-2}) calls OpenAI and Anthropic through
 * their official SDKs (OkHttp inside) and Ollama as 1.1 does.
 */
class SpringAiSmokeTest extends MockServerTest {
  private static final String SYSTEM = "You are terse.";
  private static final String MODELS = "openAiChatModel,anthropicChatModel,ollamaChatModel";

  static Stream<Arguments> runs() {
    List<Arguments> runs = new ArrayList<>();
    for (Path jdk : ForkedJvm.javaHomes()) {
      runs.add(Arguments.of(jdk, "spring-ai-1", "jdk", "jdk-httpclient"));
      runs.add(Arguments.of(jdk, "spring-ai-1", "http-components", "apache-httpclient-5"));
      runs.add(Arguments.of(jdk, "spring-ai-2", "http-components", "apache-httpclient-5"));
    }
    return runs.stream();
  }

  private static Path jar(String app) {
    Path jar = Paths.get(System.getProperty("tracelight." + app + ".jar",
        "../smoke-apps/" + app + "/target/" + app + "-app.jar"));
    assertTrue(Files.isRegularFile(jar), "build the app first (mvn install builds it before the smoke tests): " + jar);
    return jar;
  }

  private static List<String> args(MockLlmServer server, String app, String factory) {
    String root = "http://127.0.0.1:" + server.port();
    String openAiBase = app.equals("spring-ai-1") ? root : root + "/v1"; // the SDK's base URL has the /v1
    return List.of("--app.system=" + SYSTEM, "--app.models=" + MODELS,
        "--spring.http.client.factory=" + factory,
        "--spring.ai.openai.base-url=" + openAiBase, "--spring.ai.openai.api-key=sk-smoke-secret",
        "--spring.ai.openai.chat.options.model=spring-openai",
        "--spring.ai.anthropic.base-url=" + root, "--spring.ai.anthropic.api-key=sk-ant-smoke-secret",
        "--spring.ai.anthropic.chat.options.model=spring-anthropic",
        "--spring.ai.ollama.base-url=" + root, "--spring.ai.ollama.chat.options.model=spring-ollama");
  }

  /** The app's answer lines (Spring's own log lines, should any appear, are not the app's output). */
  private static Map<String, String> answers(String stdout) {
    Map<String, String> answers = new java.util.TreeMap<>();
    for (String line : stdout.split("\n")) {
      if (line.matches("\\w+ (plain|stream): [0-9a-f]{64}")) {
        String[] parts = line.split(": ");
        answers.put(parts[0], parts[1]);
      }
    }
    return answers;
  }

  @ParameterizedTest
  @MethodSource("runs")
  void chatClientOverThreeProvidersPlainAndStreamed(Path javaHome, String app, String factory,
      String restInstrumentation, @TempDir Path dir) throws Exception {
    ForkedJvm.Result plain;
    try (MockLlmServer fresh = MockLlmServer.start(0)) {
      plain = ForkedJvm.runJarWithArgs(javaHome, false, dir.resolve("plain"), List.of(), Map.of(), jar(app),
          args(fresh, app, factory));
    }
    ForkedJvm.Result traced = ForkedJvm.runJarWithArgs(javaHome, true, dir.resolve("traced"), List.of(), Map.of(),
        jar(app), args(server, app, factory));
    assertEquals(0, plain.exitCode, plain.stderr);
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(answers(plain.stdout), answers(traced.stdout), "the app sees the same answers with and without the agent");

    // what the app printed: "<bean> plain|stream: <sha-256 of the text it got>"
    Map<String, String> seen = answers(traced.stdout);
    assertEquals(6, seen.size(), traced.stdout);
    Map<String, String> beans = Map.of("openai_compatible", "openAiChatModel", "anthropic", "anthropicChatModel",
        "ollama", "ollamaChatModel");
    Map<String, MockLlmServer.Sent> sent =
        server.sent().stream().filter(s -> s.id != null).collect(Collectors.toMap(s -> s.id, Function.identity()));

    List<JsonNode> records = traced.records();
    assertEquals(6, records.size(), "one record per call, none twice: " + traced.recordsText());
    for (JsonNode r : records) {
      boolean stream = r.path("gen_ai.request.stream").asBoolean();
      String provider = r.path("gen_ai.provider.name").asText();
      assertEquals("ok", r.path("status").asText(), r.toString());
      boolean sdk = app.equals("spring-ai-2") && !provider.equals("ollama");
      assertEquals(sdk ? "okhttp" : stream ? "netty-4.1" : restInstrumentation, r.path("ai.instrumentation").asText(),
          "the official SDKs on OkHttp; else plain calls through RestClient, streams through WebClient: " + r);
      assertEquals(seen.get(beans.get(provider) + (stream ? " stream" : " plain")), r.path("ai.output.hash").asText(),
          "the record hashes the very text the app got: " + r);
      assertEquals(SmokeAssertions.sha256(SYSTEM), r.path("ai.prompt.system_hash").asText(), r.toString());
      String model = "spring-" + (provider.equals("openai_compatible") ? "openai" : provider);
      assertEquals(model, r.path("gen_ai.request.model").asText(), r.toString());
      if (r.has("gen_ai.response.id")) {
        MockLlmServer.Sent s = sent.get(r.path("gen_ai.response.id").asText());
        assertNotNull(s, "a response id the server sent: " + r);
        if (s.completionTokens >= 0) {
          assertEquals(s.completionTokens, r.path("gen_ai.usage.output_tokens").asLong(), r.toString());
        } else { // Spring AI 1.1 asks OpenAI for no usage in streams
          assertTrue(!r.has("gen_ai.usage.output_tokens") || r.path("ai.usage.estimated").asBoolean(), r.toString());
        }
      } else {
        assertEquals("ollama", provider, "only Ollama sends no response id: " + r);
      }
    }
    for (String provider : beans.keySet()) {
      assertEquals(2, SmokeAssertions.count(records, "gen_ai.provider.name", provider), provider);
    }
    assertFalse(traced.recordsText().contains("smoke-secret"));
    assertTrue(traced.stderr.contains(" 0 internal errors"), traced.stderr);
  }
}
