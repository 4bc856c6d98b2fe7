package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The official OpenAI Java SDK (com.openai:openai-java over OkHttp), unchanged, observed. */
class OpenAiSdkSmokeTest extends MockServerTest {
  private static final int SERVER_DELAY_MS = 300;
  @ParameterizedTest
  @MethodSource("jdks")
  void plainAndStreamedChat(Path javaHome, @TempDir Path dir) throws Exception {
    String[] args = {"openai-sdk", server.baseUrl(), String.valueOf(SERVER_DELAY_MS)};
    ForkedJvm.Result plain = ForkedJvm.runMain(javaHome, false, dir.resolve("plain"), List.of(), Map.of(),
        ClientDriver.class.getName(), args);
    ForkedJvm.Result traced = ForkedJvm.runMain(javaHome, true, dir.resolve("traced"), List.of(), Map.of(),
        ClientDriver.class.getName(), args);
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(plain.stdout, traced.stdout);
    assertTrue(traced.stdout.contains("sdk stream: Hello from the mock server!"), traced.stdout);

    List<JsonNode> records = traced.records();
    assertEquals(2, records.size(), traced.recordsText());
    SmokeAssertions.assertMatchesServer(records, server);
    JsonNode whole = records.get(0).path("gen_ai.request.stream").asBoolean() ? records.get(1) : records.get(0);
    JsonNode stream = whole == records.get(0) ? records.get(1) : records.get(0);
    assertEquals("okhttp", stream.path("ai.instrumentation").asText());
    assertEquals(SmokeAssertions.sha256(ClientDriver.SYSTEM_PROMPT), whole.path("ai.prompt.system_hash").asText());
    assertEquals(whole.path("ai.prompt.system_hash"), stream.path("ai.prompt.system_hash"));
    assertEquals(whole.path("ai.output.hash"), stream.path("ai.output.hash"), "same text, same hash, streamed or not");
    assertEquals(100, whole.path("gen_ai.request.max_tokens").asInt());
    assertEquals(0.5, whole.path("gen_ai.request.temperature").asDouble());

    double ttfcMs = stream.path("gen_ai.response.time_to_first_chunk").asDouble() * 1000;
    double durationMs = stream.path("duration_ms").asDouble();
    assertTrue(ttfcMs >= SERVER_DELAY_MS, "the server held the first chunk " + SERVER_DELAY_MS + " ms: " + ttfcMs);
    assertTrue(ttfcMs <= durationMs, ttfcMs + " <= " + durationMs);
    assertTrue(whole.path("duration_ms").asDouble() >= SERVER_DELAY_MS);
  }
}
