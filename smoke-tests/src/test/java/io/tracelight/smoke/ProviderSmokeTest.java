package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracelight.mock.MockLlmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The official SDKs, LangChain4j and plain HTTP clients, each provider's API, with and without
 * the agent: the application prints the same, and every record carries what the server sent
 * (provider, models, tokens, finish reason, the hash of the answer) and the hash of the system
 * prompt the application sent. No planted secret appears in anything the agent wrote or printed.
 */
class ProviderSmokeTest extends MockServerTest {
  private ForkedJvm.Result both(Path javaHome, Path dir, String scenario) throws Exception {
    return both(javaHome, dir, ProviderDriver.class, scenario);
  }

  private ForkedJvm.Result both(Path javaHome, Path dir, Class<?> driver, String scenario) throws Exception {
    ForkedJvm.Result plain;
    try (MockLlmServer fresh = MockLlmServer.start(0)) { // same ids as the traced run's server
      plain = ForkedJvm.runMain(javaHome, false, dir.resolve("plain"), List.of(), Map.of(),
          driver.getName(), scenario, root(fresh));
    }
    ForkedJvm.Result traced = ForkedJvm.runMain(javaHome, true, dir.resolve("traced"), List.of(), Map.of(),
        driver.getName(), scenario, root(server));
    assertEquals(0, plain.exitCode, plain.stderr);
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(plain.stdout, traced.stdout, "the app sees the same with and without the agent");
    assertNoSecretLeft(traced);
    assertFalse(traced.stderr.contains("internal error in"), traced.stderr);
    assertTrue(traced.stderr.contains(" 0 internal errors"), traced.stderr);
    return traced;
  }

  private static String root(MockLlmServer s) {
    return "http://127.0.0.1:" + s.port();
  }

  /** Every planted key, token and signature is absent from the records, the summary and the agent's output. */
  private static void assertNoSecretLeft(ForkedJvm.Result traced) throws Exception {
    List<String> outputs = new ArrayList<>(List.of(traced.stderr));
    try (Stream<Path> files = Files.list(traced.outputDir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        outputs.add(Files.readString(f));
      }
    }
    for (String out : outputs) {
      for (String secret : ProviderDriver.SECRETS) {
        assertFalse(out.contains(secret), "planted secret " + secret + " leaked: " + out);
      }
    }
  }

  private static List<JsonNode> recordsOf(ForkedJvm.Result traced, int expected) throws Exception {
    List<JsonNode> records = traced.records();
    assertEquals(expected, records.size(), traced.recordsText());
    return records;
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void openAiJavaSdk(Path javaHome, @TempDir Path dir) throws Exception {
    List<JsonNode> records = recordsOf(both(javaHome, dir, "openai-sdk"), 9);
    SmokeAssertions.assertMatchesSent(records, server.sent(), true);
    assertEquals(9, SmokeAssertions.count(records, "ai.instrumentation", "okhttp"));
    JsonNode tool = records.stream().filter(r -> "mock-tools".equals(r.path("gen_ai.request.model").asText()))
        .findFirst().orElseThrow();
    assertEquals(1, tool.path("ai.request.tools").asInt(), tool.toString());
    assertEquals("tool_calls", tool.path("gen_ai.response.finish_reasons").path(0).asText(), tool.toString());
    JsonNode estimated = records.stream().filter(r -> "gpt-4o".equals(r.path("gen_ai.request.model").asText()))
        .findFirst().orElseThrow();
    assertTrue(estimated.path("ai.usage.estimated").asBoolean(), "a stream sent without usage is estimated: " + estimated);
    assertTrue(estimated.path("gen_ai.usage.input_tokens").asLong() > 0);
    assertEquals(2, SmokeAssertions.count(records, "gen_ai.request.model", "gpt-4.1-mini"), "Responses whole and streamed");
    JsonNode embeddings = records.stream().filter(r -> "embeddings".equals(r.path("gen_ai.operation.name").asText()))
        .findFirst().orElseThrow();
    assertEquals(64, embeddings.path("gen_ai.embeddings.dimension.count").asInt(), embeddings.toString());
    assertEquals(List.of("base64"), List.of(embeddings.path("gen_ai.request.encoding_formats").path(0).asText()),
        "the SDK asks for base64 vectors");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void anthropicJavaSdk(Path javaHome, @TempDir Path dir) throws Exception {
    List<JsonNode> records = recordsOf(both(javaHome, dir, "anthropic-sdk"), 3);
    SmokeAssertions.assertMatchesSent(records, server.sent(), true);
    for (JsonNode r : records) {
      assertEquals("anthropic", r.path("gen_ai.provider.name").asText());
      assertTrue(r.path("gen_ai.usage.cache_read.input_tokens").asLong() > 0, r.toString());
    }
    JsonNode tool = records.stream().filter(r -> "mock-tools".equals(r.path("gen_ai.request.model").asText()))
        .findFirst().orElseThrow();
    assertEquals(1, tool.path("ai.response.tool_calls").asInt(), tool.toString());
    assertEquals(1, tool.path("ai.request.tools").asInt(), tool.toString());
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void googleGenAiSdk(Path javaHome, @TempDir Path dir) throws Exception {
    List<JsonNode> records = recordsOf(both(javaHome, dir, "genai-sdk"), 4);
    SmokeAssertions.assertMatchesSent(records, server.sent(), true);
    JsonNode function = records.stream().filter(r -> "mock-tools".equals(r.path("gen_ai.request.model").asText()))
        .findFirst().orElseThrow();
    assertEquals(1, function.path("ai.response.tool_calls").asInt(), function.toString());
    for (JsonNode r : records) {
      assertEquals("gcp.gemini", r.path("gen_ai.provider.name").asText());
    }
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void langChain4jOnFourProviders(Path javaHome, @TempDir Path dir) throws Exception {
    List<JsonNode> records = recordsOf(both(javaHome, dir, "langchain4j"), 8);
    SmokeAssertions.assertMatchesSent(records, server.sent(), true);
    for (String provider : new String[] {"openai_compatible", "anthropic", "gcp.gemini", "ollama"}) {
      assertEquals(2, SmokeAssertions.count(records, "gen_ai.provider.name", provider), provider);
    }
    assertEquals(8, SmokeAssertions.count(records, "ai.instrumentation", "jdk-httpclient"),
        "LangChain4j's default HTTP client is the JDK's");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void ollamaOverPlainHttpClients(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(javaHome, dir, "ollama-http");
    List<JsonNode> records = recordsOf(traced, 4);
    SmokeAssertions.assertMatchesSent(records, server.sent(), false);
    JsonNode summary = ForkedJvm.JSON.readTree(Files.readString(traced.outputDir.resolve("summary.json")));
    assertEquals(1, summary.path("not_ai_calls").asInt(), "the app's own /api/chat is counted, not recorded");
    assertEquals(1, SmokeAssertions.count(records, "ai.instrumentation", "okhttp"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void bedrockAzureAndGeminiOverPlainHttpClientsWithTheirSecrets(Path javaHome, @TempDir Path dir) throws Exception {
    List<JsonNode> records = recordsOf(both(javaHome, dir, "bedrock-http"), 9);
    SmokeAssertions.assertMatchesSent(records, server.sent(), false);
    JsonNode azure = records.stream().filter(r -> "gpt-4o-prod".equals(r.path("gen_ai.request.model").asText()))
        .findFirst().orElseThrow();
    assertEquals("azure.ai.openai", azure.path("gen_ai.provider.name").asText(), azure.toString());
    assertEquals(7, SmokeAssertions.count(records, "gen_ai.provider.name", "aws.bedrock"));
    JsonNode profile = records.stream().filter(r -> r.path("gen_ai.request.model").asText().startsWith("us.anthropic"))
        .findFirst().orElseThrow();
    assertEquals("us.anthropic.claude-3-5-haiku-20241022-v1:0", profile.path("gen_ai.request.model").asText());
    assertNotNull(profile.get("gen_ai.response.id"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void awsSdkBedrockRuntimeOnApacheHttpClient5(Path javaHome, @TempDir Path dir) throws Exception {
    assertBedrockSync(recordsOf(both(javaHome, dir, AwsSdkDriver.class, "sync-apache5"), 2), "apache-httpclient-5");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void awsSdkBedrockRuntimeOnItsDefaultApacheHttpClient4(Path javaHome, @TempDir Path dir) throws Exception {
    assertBedrockSync(recordsOf(both(javaHome, dir, AwsSdkDriver.class, "sync-default"), 2), "apache-httpclient-4");
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void awsSdkBedrockRuntimeAsyncConverseStreamOnNetty(Path javaHome, @TempDir Path dir) throws Exception {
    List<JsonNode> records = recordsOf(both(javaHome, dir, AwsSdkDriver.class, "async-netty"), 2);
    SmokeAssertions.assertMatchesSent(records, server.sent(), true);
    assertEquals(2, SmokeAssertions.count(records, "ai.instrumentation", "netty-4.1"));
    assertEquals(2, SmokeAssertions.count(records, "gen_ai.provider.name", "aws.bedrock"));
    JsonNode stream = records.stream().filter(r -> r.path("gen_ai.request.stream").asBoolean()).findFirst()
        .orElseThrow(() -> new AssertionError("ConverseStream recorded as a stream: " + records));
    assertEquals("end_turn", stream.path("gen_ai.response.finish_reasons").path(0).asText(), stream.toString());
    double firstChunk = stream.path("gen_ai.response.time_to_first_chunk").asDouble(-1);
    assertTrue(firstChunk > 0 && firstChunk * 1000 <= stream.path("duration_ms").asDouble(), stream.toString());
  }

  /** The async client as it comes, speaking HTTP/2 to Bedrock: seen at Netty's HTTP/2 connection handler. */
  @ParameterizedTest
  @MethodSource("jdks")
  void awsSdkBedrockRuntimeAsyncOverHttp2(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced;
    try (Http2Front front = new Http2Front(server)) {
      traced = ForkedJvm.runMain(javaHome, true, dir.resolve("traced"), List.of(), Map.of(),
          AwsSdkDriver.class.getName(), "async-h2", front.endpoint());
    }
    assertEquals(0, traced.exitCode, traced.stderr);
    assertTrue(traced.stdout.contains("async converse: ") && traced.stdout.contains("async converse-stream: "),
        traced.stdout);
    List<JsonNode> records = traced.records();
    assertEquals(2, records.size(), traced.recordsText());
    assertEquals(2, SmokeAssertions.count(records, "ai.instrumentation", "netty-4.1-http2"), traced.recordsText());
    SmokeAssertions.assertMatchesSent(records, server.sent(), true);
    JsonNode stream = records.stream().filter(r -> r.path("gen_ai.request.stream").asBoolean()).findFirst()
        .orElseThrow(() -> new AssertionError("ConverseStream recorded as a stream: " + records));
    assertEquals("end_turn", stream.path("gen_ai.response.finish_reasons").path(0).asText(), stream.toString());
    assertTrue(traced.stderr.contains(" 0 internal errors"), traced.stderr);
  }

  private void assertBedrockSync(List<JsonNode> records, String instrumentation) {
    SmokeAssertions.assertMatchesSent(records, server.sent(), true);
    assertEquals(2, SmokeAssertions.count(records, "ai.instrumentation", instrumentation));
    assertEquals(2, SmokeAssertions.count(records, "gen_ai.provider.name", "aws.bedrock"));
    JsonNode converse = records.stream().filter(r -> r.path("gen_ai.request.model").asText().startsWith("us.amazon"))
        .findFirst().orElseThrow();
    assertEquals("us.amazon.nova-lite-v1:0", converse.path("gen_ai.request.model").asText(), "decoded from %3A");
    assertTrue(converse.path("gen_ai.usage.cache_read.input_tokens").asLong() > 0, converse.toString());
  }

}
