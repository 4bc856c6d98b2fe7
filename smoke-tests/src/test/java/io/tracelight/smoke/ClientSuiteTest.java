package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracelight.mock.MockLlmServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One suite, every client: the scenarios of {@link ClientSuiteDriver} run on each instrumented
 * client in a JVM with the agent and one without; the app sees the same bytes, and each call is
 * recorded once, by that client's instrumentation, ending the way the app ended it.
 */
class ClientSuiteTest extends MockServerTest {
  /**
   * Driver name, the instrumentation that must record it, and how a response dropped unread ends
   * (none: the client has no response to hold unread). The JDK client's {@code ofInputStream}
   * buffers a body as it arrives, so a small one was whole before the app dropped it: ok.
   */
  private static final String[][] CLIENTS = {
      {"jdk", "jdk-httpclient", "ok"},
      {"okhttp", "okhttp", "abandoned"},
      {"apache4", "apache-httpclient-4", "abandoned"},
      {"apache5", "apache-httpclient-5", "abandoned"},
      {"url-connection", "url-connection", "abandoned"},
      {"reactor", "netty-4.1", "none"},
      {"apache5-async", "apache-httpclient-5", "none"},
      {"vertx", "netty-4.1", "none"}}; // on Vert.x 5's own class path: Netty 4.2

  static Stream<Arguments> clients() {
    List<Arguments> all = new ArrayList<>();
    for (Path jdk : ForkedJvm.javaHomes()) {
      for (String[] c : CLIENTS) {
        all.add(Arguments.of(jdk, c[0], c[1], c[2]));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("clients")
  void everyScenarioRecordedOnceAndEndedAsTheAppEndedIt(Path javaHome, String client, String instrumentation,
      String abandonedEnd, @TempDir Path dir) throws Exception {
    boolean canAbandon = !abandonedEnd.equals("none");
    String classPath = client.equals("vertx") ? ForkedJvm.classPathWithVertx5() : System.getProperty("java.class.path");
    ForkedJvm.Result plain;
    try (MockLlmServer fresh = MockLlmServer.start(0)) {
      plain = ForkedJvm.runMainWithClassPath(classPath, javaHome, false, dir.resolve("plain"), List.of(), Map.of(),
          ClientSuiteDriver.class.getName(), client, fresh.baseUrl());
    }
    ForkedJvm.Result traced = ForkedJvm.runMainWithClassPath(classPath, javaHome, true, dir.resolve("traced"),
        List.of(), Map.of(), ClientSuiteDriver.class.getName(), client, server.baseUrl());
    assertEquals(0, plain.exitCode, plain.stderr);
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(plain.stdout, traced.stdout, "the app sees the same bytes with and without the agent");
    assertTrue(traced.stdout.contains("threads ok: " + ClientSuiteDriver.THREADS + "\nnot-ai: 404"), traced.stdout);

    List<JsonNode> records = traced.records();
    int expected = 5 + (canAbandon ? 1 : 0) + ClientSuiteDriver.THREADS;
    assertEquals(expected, records.size(), "one record per AI call, none for the GET: " + traced.recordsText());
    assertEquals(expected, SmokeAssertions.count(records, "ai.instrumentation", instrumentation), traced.recordsText());
    Map<String, List<JsonNode>> byModel =
        records.stream().collect(Collectors.groupingBy(r -> r.path("gen_ai.request.model").asText()));

    JsonNode error = only(byModel, "mock-error-500");
    assertEquals("server_error", error.path("error.type").asText(), "the error body was decoded: " + error);
    assertEquals(500, error.path("http.response.status_code").asInt(), error.toString());
    JsonNode huge = only(byModel, "mock-big");
    assertEquals("ok", huge.path("status").asText(), huge.toString());
    assertTrue(huge.path("ai.capture.truncated").asBoolean(), "50 MB is over the capture cap: " + huge);
    JsonNode stopped = only(byModel, "suite-stopped");
    assertEquals("closed_early", stopped.path("error.type").asText(), "the app stopped reading: " + stopped);
    if (canAbandon) {
      JsonNode abandoned = only(byModel, "suite-abandoned");
      assertEquals(abandonedEnd, abandoned.path("error.type").asText(abandoned.path("status").asText()),
          "the app dropped it unread: " + abandoned);
    }
    assertEquals(ClientSuiteDriver.THREADS, byModel.get("suite-threads").size());
    List<JsonNode> ok = records.stream().filter(r -> r.path("gen_ai.request.model").asText().matches("suite-(plain|stream|threads)")
        && "ok".equals(r.path("status").asText())).collect(Collectors.toList());
    assertEquals(2 + ClientSuiteDriver.THREADS, ok.size(), "plain, stream and every thread's call: " + traced.recordsText());
    SmokeAssertions.assertMatchesServer(ok, server);
    for (JsonNode r : records) {
      assertEquals(SmokeAssertions.sha256(ClientDriver.SYSTEM_PROMPT), r.path("ai.prompt.system_hash").asText(),
          "the request body was seen as sent: " + r);
    }
    assertTrue(traced.stderr.contains(" 0 internal errors"), traced.stderr);
    assertTrue(!traced.stderr.contains("still under way at exit"), traced.stderr);
    for (MockLlmServer.Sent sent : server.sent()) {
      assertNull(sent.traceparent, "propagation is off by default: the request went out as the app made it");
    }
  }

  static Stream<Arguments> clientsOnOneJdk() {
    return Stream.of(CLIENTS).map(c -> Arguments.of(c[0]));
  }

  /**
   * {@code tracelight.propagation=tracecontext}: every AI request reaches the server carrying a
   * {@code traceparent} that names the span its record describes, so a traced model server's spans
   * become the AI span's children.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("clientsOnOneJdk")
  void propagationTellsTheServerEachCallsSpan(String client, @TempDir Path dir) throws Exception {
    String classPath = client.equals("vertx") ? ForkedJvm.classPathWithVertx5() : System.getProperty("java.class.path");
    ForkedJvm.Result traced = ForkedJvm.runMainWithClassPath(classPath, ForkedJvm.javaHomes().get(0), true, dir,
        List.of("-Dtracelight.propagation=tracecontext"), Map.of(), ClientSuiteDriver.class.getName(), client,
        server.baseUrl());
    assertEquals(0, traced.exitCode, traced.stderr);
    assertTrue(traced.stdout.contains("threads ok: " + ClientSuiteDriver.THREADS + "\nnot-ai: 404"), traced.stdout);
    Map<String, JsonNode> byResponseId = traced.records().stream()
        .filter(r -> r.has("gen_ai.response.id"))
        .collect(Collectors.toMap(r -> r.path("gen_ai.response.id").asText(), r -> r));
    int checked = 0;
    for (MockLlmServer.Sent sent : server.sent()) {
      JsonNode record = byResponseId.get(sent.id);
      if (record == null) {
        continue; // an answer the app stopped reading before its id: that record names no response
      }
      assertEquals("00-" + record.path("trace_id").asText() + "-" + record.path("span_id").asText() + "-01",
          sent.traceparent, "the server was told the record's span: " + record);
      assertTrue(!record.has("parent_span_id"), "no span was current, so each call is a root: " + record);
      checked++;
    }
    assertTrue(!traced.stdout.contains("a traceparent was left"), traced.stdout);
    assertTrue(checked >= 2 + ClientSuiteDriver.THREADS, "plain, stream and every thread's call: " + checked
        + " of " + server.sent().size() + "\n" + traced.recordsText());
    assertTrue(traced.stderr.contains(" 0 internal errors"), traced.stderr);
  }

  private static JsonNode only(Map<String, List<JsonNode>> byModel, String model) {
    List<JsonNode> these = byModel.get(model);
    assertEquals(1, these == null ? 0 : these.size(), model + ": " + these);
    return these.get(0);
  }
}
