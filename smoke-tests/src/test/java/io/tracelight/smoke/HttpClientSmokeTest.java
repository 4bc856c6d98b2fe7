package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracelight.mock.MockLlmServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every way to read a body with the JDK client and OkHttp: same bytes for the app, one record each. */
class HttpClientSmokeTest extends MockServerTest {
  private ForkedJvm.Result[] both(Path javaHome, Path dir, String scenario) throws Exception {
    return both(javaHome, dir, ClientDriver.class, scenario);
  }

  private ForkedJvm.Result[] both(Path javaHome, Path dir, Class<?> driver, String scenario) throws Exception {
    ForkedJvm.Result plain;
    try (MockLlmServer fresh = MockLlmServer.start(0)) { // same response ids as the traced run's server
      plain = ForkedJvm.runMain(javaHome, false, dir.resolve("plain"), List.of(), Map.of(),
          driver.getName(), scenario, fresh.baseUrl());
    }
    ForkedJvm.Result traced = ForkedJvm.runMain(javaHome, true, dir.resolve("traced"), List.of(), Map.of(),
        driver.getName(), scenario, server.baseUrl());
    assertEquals(0, plain.exitCode, plain.stderr);
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(plain.stdout, traced.stdout, "the app sees the same bytes with and without the agent");
    return new ForkedJvm.Result[] {plain, traced};
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void jdkHttpClientBodyHandlers(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(javaHome, dir, "jdk-handlers")[1];
    List<JsonNode> records = traced.records();
    assertEquals(12, records.size(), "six handlers, plain and streamed; none for GET /models: " + traced.recordsText());
    for (String model : new String[] {"handler-string", "handler-bytes", "handler-inputstream", "handler-lines",
        "handler-publisher", "handler-async"}) {
      assertEquals(2, SmokeAssertions.count(records, "gen_ai.request.model", model), model);
    }
    assertEquals(12, SmokeAssertions.count(records, "status", "ok"), traced.recordsText());
    assertEquals(12, SmokeAssertions.count(records, "ai.instrumentation", "jdk-httpclient"));
    SmokeAssertions.assertMatchesServer(records, server);
    for (JsonNode r : records) {
      assertEquals(SmokeAssertions.sha256(ClientDriver.SYSTEM_PROMPT), r.path("ai.prompt.system_hash").asText());
    }
    assertFalse(traced.recordsText().contains("sk-smoke-secret"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void requestBodiesOfEveryKindAreReadAsTheyAreSent(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(javaHome, dir, "request-bodies")[1];
    List<JsonNode> records = traced.records();
    assertEquals(9, records.size(), traced.recordsText());
    for (JsonNode r : records) {
      assertTrue(r.path("gen_ai.request.model").asText().startsWith("body-"), r.toString());
      assertEquals(SmokeAssertions.sha256(ClientDriver.SYSTEM_PROMPT), r.path("ai.prompt.system_hash").asText(),
          r.toString());
      assertEquals(0.5, r.path("gen_ai.request.temperature").asDouble(), r.toString());
      assertFalse(r.has("ai.capture.truncated"), r.toString());
    }
    SmokeAssertions.assertMatchesServer(records, server);
  }

  @Test
  void aRequestBodyOverTheCapKeepsWhatItsFirstPartSays(@TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir.resolve("traced"),
        List.of("-Dtracelight.capture.max-body-bytes=4096"), Map.of(), ClientDriver.class.getName(), "big-request",
        server.baseUrl());
    assertEquals(0, traced.exitCode, traced.stderr);
    List<JsonNode> records = traced.records();
    assertEquals(2, records.size(), traced.recordsText());
    for (JsonNode r : records) {
      assertEquals("ok", r.path("status").asText(), r.toString());
      assertEquals("big-request", r.path("gen_ai.request.model").asText(), r.toString());
      assertEquals(0.5, r.path("gen_ai.request.temperature").asDouble(), r.toString());
      assertTrue(r.path("ai.capture.truncated").asBoolean(), r.toString());
      assertFalse(r.has("ai.prompt.system_hash"), "the messages were cut, so no hash can be trusted: " + r);
      assertTrue(r.has("gen_ai.usage.input_tokens"), "the response was read whole: " + r);
    }
  }

  @Test
  void anAppThatKeepsOnlyTheBodyStreamIsNotTakenForOneThatDroppedIt(@TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(ForkedJvm.javaHomes().get(0), dir, "keep-only-stream")[1];
    List<JsonNode> records = traced.records();
    assertEquals(2, records.size(), traced.recordsText());
    assertEquals(2, SmokeAssertions.count(records, "status", "ok"), "read to the end, never abandoned: "
        + traced.recordsText());
    SmokeAssertions.assertMatchesServer(records, server);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void apacheHttpClient5ExecuteHandlerAndExecuteOpen(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(javaHome, dir, "apache5")[1];
    List<JsonNode> records = traced.records();
    assertEquals(6, records.size(), "three ways, plain and streamed; none for GET /models: " + traced.recordsText());
    assertEquals(6, SmokeAssertions.count(records, "ai.instrumentation", "apache-httpclient-5"));
    assertEquals(6, SmokeAssertions.count(records, "status", "ok"), traced.recordsText());
    SmokeAssertions.assertMatchesServer(records, server);
    for (JsonNode r : records) {
      assertEquals(SmokeAssertions.sha256(ClientDriver.SYSTEM_PROMPT), r.path("ai.prompt.system_hash").asText());
    }
    assertFalse(traced.recordsText().contains("sk-smoke-secret"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void apacheHttpClient5AsyncDefaultMinimalStreamedAndGivenUp(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(javaHome, dir, ApacheAsyncDriver.class, "calls")[1];
    assertTrue(traced.stdout.contains("cancelled: true\ngiven up: enough after 1 chunk"), traced.stdout);
    List<JsonNode> records = traced.records();
    assertEquals(7, records.size(), "two clients, plain and streamed, a stream read in chunks, one cancelled, "
        + "one given up; none for GET /models: " + traced.recordsText());
    assertEquals(7, SmokeAssertions.count(records, "ai.instrumentation", "apache-httpclient-5"));
    assertEquals(5, SmokeAssertions.count(records, "status", "ok"), traced.recordsText());
    SmokeAssertions.assertMatchesServer(records, server);
    for (JsonNode r : records) {
      assertEquals(SmokeAssertions.sha256(ClientDriver.SYSTEM_PROMPT), r.path("ai.prompt.system_hash").asText(),
          "the request body was teed as the producer wrote it: " + r);
    }
    for (String model : new String[] {"apache-async-cancelled", "apache-async-given-up"}) {
      JsonNode stopped = records.stream()
          .filter(r -> r.path("gen_ai.request.model").asText().equals(model)).findFirst().orElseThrow();
      assertEquals("closed_early", stopped.path("error.type").asText(),
          "the app let go of the stream after its first chunk: " + stopped);
      assertTrue(stopped.path("gen_ai.response.time_to_first_chunk").asDouble() > 0, stopped.toString());
    }
    assertFalse(traced.recordsText().contains("sk-smoke-secret"));
    assertTrue(traced.stderr.contains(" 0 internal errors"), traced.stderr);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void apacheHttpClient4ExecuteHandlerAndDefaultHttpClient(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(javaHome, dir, "apache4")[1];
    List<JsonNode> records = traced.records();
    assertEquals(6, records.size(), "three ways, plain and streamed; none for GET /models: " + traced.recordsText());
    assertEquals(6, SmokeAssertions.count(records, "ai.instrumentation", "apache-httpclient-4"));
    assertEquals(6, SmokeAssertions.count(records, "status", "ok"), traced.recordsText());
    SmokeAssertions.assertMatchesServer(records, server);
    for (JsonNode r : records) {
      assertEquals(SmokeAssertions.sha256(ClientDriver.SYSTEM_PROMPT), r.path("ai.prompt.system_hash").asText());
    }
    assertFalse(traced.recordsText().contains("sk-smoke-secret"));
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void reactorNettyHttpClient(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(javaHome, dir, NettyDriver.class, "reactor")[1];
    List<JsonNode> records = traced.records();
    assertEquals(3, records.size(), "plain, streamed, streamed read by chunk; none for GET /models: "
        + traced.recordsText());
    assertEquals(3, SmokeAssertions.count(records, "ai.instrumentation", "netty-4.1"));
    assertEquals(3, SmokeAssertions.count(records, "status", "ok"), traced.recordsText());
    SmokeAssertions.assertMatchesServer(records, server);
    for (JsonNode r : records) {
      assertEquals(SmokeAssertions.sha256(ClientDriver.SYSTEM_PROMPT), r.path("ai.prompt.system_hash").asText());
    }
    assertFalse(traced.recordsText().contains("sk-smoke-secret"));
    assertTrue(traced.stderr.contains(" 0 internal errors"), traced.stderr);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void springWebClientOnReactorNetty(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(javaHome, dir, NettyDriver.class, "webclient")[1];
    List<JsonNode> records = traced.records();
    assertEquals(3, records.size(), traced.recordsText());
    assertEquals(3, SmokeAssertions.count(records, "ai.instrumentation", "netty-4.1"));
    assertEquals(2, SmokeAssertions.count(records, "status", "ok"), traced.recordsText());
    SmokeAssertions.assertMatchesServer(records, server);
    JsonNode cancelled = records.stream()
        .filter(r -> r.path("gen_ai.request.model").asText().equals("webclient-cancel")).findFirst().orElseThrow();
    assertEquals("closed_early", cancelled.path("error.type").asText(),
        "the app took three events and let go: the connection closed before the stream's end: " + cancelled);
    assertTrue(cancelled.path("gen_ai.response.time_to_first_chunk").asDouble() > 0, cancelled.toString());
    assertTrue(traced.stderr.contains(" 0 internal errors"), traced.stderr);
  }

  /** WebClient on its other connectors: each call recorded once, by the client under it. */
  @ParameterizedTest
  @MethodSource("jdks")
  void springWebClientOnTheJdkClientAndApacheAsync(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(javaHome, dir, SpringRestDriver.class, "webclient")[1];
    List<JsonNode> records = traced.records();
    assertEquals(4, records.size(), "a whole call and a stream on each of two connectors: " + traced.recordsText());
    assertEquals(2, SmokeAssertions.count(records, "ai.instrumentation", "jdk-httpclient"), traced.recordsText());
    assertEquals(2, SmokeAssertions.count(records, "ai.instrumentation", "apache-httpclient-5"), traced.recordsText());
    assertEquals(2, SmokeAssertions.count(records, "gen_ai.request.stream", "true"), traced.recordsText());
    assertEquals(4, SmokeAssertions.count(records, "status", "ok"), traced.recordsText());
    SmokeAssertions.assertMatchesServer(records, server);
    assertTrue(traced.stderr.contains(" 0 internal errors"), traced.stderr);
  }

  /** RestClient and RestTemplate need no module: each call is recorded once, by the client under it. */
  @ParameterizedTest
  @MethodSource("jdks")
  void springRestClientAndRestTemplateOnEveryClientTheyRunOn(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(javaHome, dir, SpringRestDriver.class, "calls")[1];
    List<JsonNode> records = traced.records();
    assertEquals(12, records.size(), "three calls on each of four clients: " + traced.recordsText());
    Map<String, String> clients = Map.of("jdk", "jdk-httpclient", "apache5", "apache-httpclient-5",
        "urlconnection", "url-connection", "reactor", "netty-4.1");
    for (Map.Entry<String, String> c : clients.entrySet()) {
      List<JsonNode> mine = records.stream()
          .filter(r -> r.path("gen_ai.request.model").asText().endsWith("-" + c.getKey())).collect(
              java.util.stream.Collectors.toList());
      assertEquals(3, mine.size(), c.getKey() + ": " + traced.recordsText());
      assertEquals(3, SmokeAssertions.count(mine, "ai.instrumentation", c.getValue()), c.getKey());
      assertEquals(1, SmokeAssertions.count(mine, "gen_ai.request.stream", "true"), c.getKey());
    }
    assertEquals(12, SmokeAssertions.count(records, "status", "ok"), traced.recordsText());
    SmokeAssertions.assertMatchesServer(records, server);
    assertTrue(traced.stderr.contains(" 0 internal errors"), traced.stderr);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void vertxWebClientOnNetty42(Path javaHome, @TempDir Path dir) throws Exception {
    String classPath = ForkedJvm.classPathWithVertx5();
    ForkedJvm.Result plain;
    try (MockLlmServer fresh = MockLlmServer.start(0)) {
      plain = ForkedJvm.runMainWithClassPath(classPath, javaHome, false, dir.resolve("plain"), List.of(), Map.of(),
          VertxDriver.class.getName(), "calls", fresh.baseUrl());
    }
    ForkedJvm.Result traced = ForkedJvm.runMainWithClassPath(classPath, javaHome, true, dir.resolve("traced"),
        List.of(), Map.of(), VertxDriver.class.getName(), "calls", server.baseUrl());
    assertEquals(0, plain.exitCode, plain.stderr);
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(plain.stdout, traced.stdout);
    assertTrue(traced.stdout.contains("netty 4.2.") && traced.stdout.contains(" in several"), traced.stdout);
    List<JsonNode> records = traced.records();
    assertEquals(3, records.size(), traced.recordsText());
    assertEquals(3, SmokeAssertions.count(records, "ai.instrumentation", "netty-4.1"));
    assertEquals(3, SmokeAssertions.count(records, "status", "ok"), traced.recordsText());
    SmokeAssertions.assertMatchesServer(records, server);
    assertTrue(traced.stderr.contains(" 0 internal errors"), traced.stderr);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void httpUrlConnectionEveryWayAppsUseIt(Path javaHome, @TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(javaHome, dir, "url-connection")[1];
    assertTrue(traced.stdout.contains("error: threw java.io.IOException"), traced.stdout);
    List<JsonNode> records = traced.records();
    assertEquals(12, records.size(), "five ways, plain and streamed, and two errors; none for GET /models: "
        + traced.recordsText());
    assertEquals(12, SmokeAssertions.count(records, "ai.instrumentation", "url-connection"));
    for (String model : new String[] {"urlc-code-first", "urlc-unclosed-output", "urlc-headers-first",
        "urlc-fixed-length", "urlc-chunked"}) {
      assertEquals(2, SmokeAssertions.count(records, "gen_ai.request.model", model), model);
    }
    assertEquals(10, SmokeAssertions.count(records, "status", "ok"), traced.recordsText());
    SmokeAssertions.assertMatchesServer(records, server);
    List<JsonNode> errors = new java.util.ArrayList<>();
    for (JsonNode r : records) {
      assertEquals(SmokeAssertions.sha256(ClientDriver.SYSTEM_PROMPT), r.path("ai.prompt.system_hash").asText(),
          "the request body was teed in every mode: " + r);
      if (r.path("gen_ai.request.model").asText().equals("mock-error-500")) {
        errors.add(r);
        assertEquals("error", r.path("status").asText(), r.toString());
        assertEquals(500, r.path("http.response.status_code").asInt(), r.toString());
      }
    }
    assertEquals(2, errors.size(), traced.recordsText());
    assertEquals(1, SmokeAssertions.count(errors, "error.type", "server_error"),
        "the error body read from getErrorStream was decoded: " + errors);
    assertFalse(traced.recordsText().contains("sk-smoke-secret"));
    assertTrue(traced.stderr.contains(" 0 internal errors"), traced.stderr);
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void httpsUrlConnection(Path javaHome, @TempDir Path dir) throws Exception {
    okhttp3.tls.HeldCertificate certificate =
        new okhttp3.tls.HeldCertificate.Builder().addSubjectAlternativeName("localhost").build();
    Path pem = dir.resolve("server.pem");
    java.nio.file.Files.writeString(pem, certificate.certificatePem());
    okhttp3.tls.HandshakeCertificates serverTls =
        new okhttp3.tls.HandshakeCertificates.Builder().heldCertificate(certificate).build();
    String plainText = MockLlmServer.answer("urlc-https-plain", 2);
    String streamText = MockLlmServer.answer("urlc-https-stream", 2);
    try (okhttp3.mockwebserver.MockWebServer tls = new okhttp3.mockwebserver.MockWebServer()) {
      tls.useHttps(serverTls.sslSocketFactory(), false);
      for (int run = 0; run < 2; run++) {
        tls.enqueue(new okhttp3.mockwebserver.MockResponse().setHeader("Content-Type", "application/json")
            .setBody(MockLlmServer.wholeResponse("chatcmpl-ua", "urlc-https-plain", plainText, 31, 13, 0)));
        tls.enqueue(new okhttp3.mockwebserver.MockResponse().setHeader("Content-Type", "text/event-stream")
            .setBody(MockLlmServer.streamResponse("chatcmpl-ub", "urlc-https-stream", streamText, 32, 14, 0)));
      }
      tls.start();
      String base = "https://localhost:" + tls.getPort() + "/v1";
      ForkedJvm.Result plain = ForkedJvm.runMain(javaHome, false, dir.resolve("plain"), List.of(), Map.of(),
          ClientDriver.class.getName(), "url-connection-https", base, pem.toString());
      ForkedJvm.Result traced = ForkedJvm.runMain(javaHome, true, dir.resolve("traced"), List.of(), Map.of(),
          ClientDriver.class.getName(), "url-connection-https", base, pem.toString());
      assertEquals(0, traced.exitCode, traced.stderr);
      assertEquals(plain.stdout, traced.stdout);
      List<JsonNode> records = traced.records();
      assertEquals(2, records.size(), traced.recordsText());
      for (JsonNode r : records) {
        boolean stream = r.path("gen_ai.request.stream").asBoolean();
        assertEquals("ok", r.path("status").asText(), r.toString());
        assertEquals("url-connection", r.path("ai.instrumentation").asText());
        assertEquals(stream ? 32 : 31, r.path("gen_ai.usage.input_tokens").asInt(), r.toString());
        assertEquals(stream ? 14 : 13, r.path("gen_ai.usage.output_tokens").asInt(), r.toString());
        assertEquals(SmokeAssertions.sha256(stream ? streamText : plainText), r.path("ai.output.hash").asText());
        assertEquals("localhost", r.path("server.address").asText());
        assertEquals(tls.getPort(), r.path("server.port").asInt());
      }
    }
  }

  @Test
  void okHttpReadModes(@TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(ForkedJvm.javaHomes().get(0), dir, "okhttp-reads")[1];
    assertTrue(traced.stdout.startsWith("okhttp 4."), traced.stdout);
    List<JsonNode> records = traced.records();
    assertEquals(10, records.size(), traced.recordsText());
    for (String model : new String[] {"read-string", "read-bytes", "read-bytestream", "read-source", "read-enqueue"}) {
      assertEquals(2, SmokeAssertions.count(records, "gen_ai.request.model", model), model);
    }
    assertEquals(10, SmokeAssertions.count(records, "status", "ok"), traced.recordsText());
    assertEquals(10, SmokeAssertions.count(records, "ai.instrumentation", "okhttp"));
    SmokeAssertions.assertMatchesServer(records, server);
  }

  @Test
  void okHttp5ReadModes(@TempDir Path dir) throws Exception {
    String classPath = ForkedJvm.classPathWithOkHttp5();
    Path java = ForkedJvm.javaHomes().get(0);
    ForkedJvm.Result plain;
    try (MockLlmServer fresh = MockLlmServer.start(0)) {
      plain = ForkedJvm.runMainWithClassPath(classPath, java, false, dir.resolve("plain"), List.of(), Map.of(),
          ClientDriver.class.getName(), "okhttp-reads", fresh.baseUrl());
    }
    ForkedJvm.Result traced = ForkedJvm.runMainWithClassPath(classPath, java, true, dir.resolve("traced"), List.of(),
        Map.of(), ClientDriver.class.getName(), "okhttp-reads", server.baseUrl());
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(plain.stdout, traced.stdout);
    assertTrue(traced.stdout.startsWith("okhttp 5."), traced.stdout);
    List<JsonNode> records = traced.records();
    assertEquals(10, records.size(), traced.recordsText());
    assertEquals(10, SmokeAssertions.count(records, "status", "ok"), traced.recordsText());
    SmokeAssertions.assertMatchesServer(records, server);
  }

  /**
   * Library versions at and past the modules' edge: OkHttp 3.14 has everything the okhttp module
   * uses and is recorded; OkHttp 3.0 lacks some of it, and Apache HttpClient 4.2 has no
   * {@code doExecute}: neither is woven, each says so in one line, and the app runs as without
   * the agent.
   */
  @Test
  void olderLibraryVersionsAreCheckedBeforeWeaving(@TempDir Path dir) throws Exception {
    Path java = ForkedJvm.javaHomes().get(0);
    String okHttp314 = ForkedJvm.classPathWithOldClients("okhttp-3.14.9.jar", "okio-1.17.2.jar",
        "httpclient-4.2.6.jar", "httpcore-4.2.5.jar");
    ForkedJvm.Result plain;
    try (MockLlmServer fresh = MockLlmServer.start(0)) {
      plain = ForkedJvm.runMainWithClassPath(okHttp314, java, false, dir.resolve("plain"), List.of(), Map.of(),
          OldClientsDriver.class.getName(), fresh.baseUrl());
    }
    ForkedJvm.Result traced = ForkedJvm.runMainWithClassPath(okHttp314, java, true, dir.resolve("traced"), List.of(),
        Map.of(), OldClientsDriver.class.getName(), server.baseUrl());
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(plain.stdout, traced.stdout);
    assertTrue(traced.stdout.contains("versions: okhttp-3.14.9.jar httpclient-4.2.6.jar"), traced.stdout);
    List<JsonNode> records = traced.records();
    assertEquals(1, records.size(), traced.recordsText());
    assertEquals("old-okhttp", records.get(0).path("gen_ai.request.model").asText());
    assertEquals("okhttp", records.get(0).path("ai.instrumentation").asText());
    SmokeAssertions.assertMatchesServer(records, server);
    assertEquals(1, count(traced.stderr, "[tracelight] apache-httpclient-4 is not applied to "
        + "org.apache.http.impl.client.AbstractHttpClient: it has no method the module hooks"), traced.stderr);
    assertTrue(traced.stderr.contains(" 0 internal errors"), traced.stderr);

    String okHttp30 = ForkedJvm.classPathWithOldClients("okhttp-3.0.1.jar", "okio-1.6.0.jar",
        "httpclient-4.2.6.jar", "httpcore-4.2.5.jar");
    ForkedJvm.Result old = ForkedJvm.runMainWithClassPath(okHttp30, java, true, dir.resolve("old"), List.of(),
        Map.of(), OldClientsDriver.class.getName(), server.baseUrl());
    assertEquals(0, old.exitCode, old.stderr);
    assertTrue(old.stdout.startsWith("okhttp: 200 ") && old.stdout.contains("\napache: 200 "), old.stdout);
    assertTrue(old.stdout.contains("versions: okhttp-3.0.1.jar"), old.stdout);
    assertEquals(0, old.records().size(), old.recordsText());
    assertEquals(1, count(old.stderr, "[tracelight] okhttp is not applied to okhttp3.OkHttpClient: its library lacks "),
        old.stderr);
    assertTrue(old.stderr.contains(" 0 internal errors"), old.stderr);
  }

  private static int count(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
      n++;
    }
    return n;
  }

  @Test
  void faultsReachTheAppUnchangedAndAreRecordedAsErrors(@TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = both(ForkedJvm.javaHomes().get(0), dir, "faults")[1];
    List<JsonNode> records = traced.records();
    assertEquals(14, records.size(), traced.recordsText());
    Map<String, String> expected = Map.of(
        "mock-error-500", "server_error", // the type the OpenAI-shaped error body gave
        "mock-malformed", "malformed_response",
        "mock-empty", "empty_response",
        "mock-non-utf8", "malformed_response",
        "mock-truncated", "truncated_stream");
    for (JsonNode r : records) {
      String model = r.path("gen_ai.request.model").asText();
      String instrumentation = r.path("ai.instrumentation").asText();
      if (model.equals("mock-big")) {
        assertEquals("ok", r.path("status").asText(), r.toString());
        assertEquals(true, r.path("ai.capture.truncated").asBoolean(), "50 MB is over the 4 MiB cap: " + r);
      } else if (model.equals("mock-reset")) {
        assertEquals("error", r.path("status").asText(), r.toString());
        Class<?> recorded = Class.forName(r.path("error.type").asText());
        assertTrue(java.io.IOException.class.isAssignableFrom(recorded), r.toString());
        if (instrumentation.equals("okhttp")) {
          assertTrue(traced.stdout.contains("okhttp mock-reset: threw " + recorded.getName()),
              "the record names the exception the app got: " + traced.stdout + r);
        } else {
          assertTrue(traced.stdout.contains("jdk mock-reset: threw java.io."), traced.stdout);
        }
      } else {
        assertEquals("error", r.path("status").asText(), r.toString());
        assertEquals(expected.get(model), r.path("error.type").asText(), r.toString());
      }
    }
    assertFalse(traced.stderr.contains("internal error in"), traced.stderr);
    assertTrue(traced.stderr.contains(" 0 internal errors"), traced.stderr);
  }

  @Test
  void responsesClosedEarlyOrDroppedStillEndTheirRecords(@TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir.resolve("traced"), List.of(),
        Map.of(), ClientDriver.class.getName(), "unread", server.baseUrl());
    assertEquals(0, traced.exitCode, traced.stderr);
    List<JsonNode> records = traced.records();
    assertEquals(3, records.size(), traced.recordsText());
    for (JsonNode r : records) {
      String expected = r.path("gen_ai.request.model").asText().equals("unread-jdk") ? "closed_early" : "abandoned";
      assertEquals(expected, r.path("error.type").asText(), r.toString());
    }
  }

  @Test
  void thirtyTwoThreadsLoseNoRecord(@TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir.resolve("traced"), List.of(),
        Map.of(), ClientDriver.class.getName(), "concurrent", server.baseUrl(), "32", "8");
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals("calls ok: 256\n", traced.stdout);
    List<JsonNode> records = traced.records();
    for (String client : new String[] {"jdk-httpclient", "okhttp", "apache-httpclient-5", "url-connection"}) {
      assertEquals(64, SmokeAssertions.count(records, "ai.instrumentation", client), client + "\n" + traced.stderr);
    }
    assertEquals(256, records.size());
    assertEquals(256, SmokeAssertions.count(records, "status", "ok"));
    SmokeAssertions.assertMatchesServer(records, server);
  }

  /** A 100 Continue before each answer, on one kept-alive connection: each answer pairs with its own call. */
  @Test
  void nettyInterimResponsesDoNotShiftThePairing(@TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir.resolve("traced"), List.of(),
        Map.of(), NettyDriver.class.getName(), "interim", server.baseUrl());
    assertEquals(0, traced.exitCode, traced.stderr);
    assertTrue(traced.stdout.startsWith("interim-1: 200 ") && traced.stdout.contains("interim-2: 200 "), traced.stdout);
    List<JsonNode> records = traced.records();
    assertEquals(2, records.size(), traced.recordsText());
    assertEquals(2, SmokeAssertions.count(records, "status", "ok"), traced.recordsText());
    SmokeAssertions.assertMatchesServer(records, server);
  }

  @Test
  void nettyCallsInFlightAtOnceLoseNoRecord(@TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir.resolve("traced"), List.of(),
        Map.of(), NettyDriver.class.getName(), "concurrent", server.baseUrl(), "128");
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals("calls ok: 128\n", traced.stdout);
    List<JsonNode> records = traced.records();
    assertEquals(128, records.size());
    assertEquals(128, SmokeAssertions.count(records, "status", "ok"), traced.recordsText());
    assertEquals(64, SmokeAssertions.count(records, "gen_ai.request.stream", "true"));
    SmokeAssertions.assertMatchesServer(records, server);
  }

  @Test
  void switchedOffInstrumentationsRecordNothing(@TempDir Path dir) throws Exception {
    Path java = ForkedJvm.javaHomes().get(0);
    ForkedJvm.Result noOkHttp = ForkedJvm.runJar(java, true, dir.resolve("no-okhttp"),
        List.of("-Dtracelight.instrumentation.okhttp.enabled=false"),
        Map.of("OPENAI_BASE_URL", server.baseUrl()), ForkedJvm.EXAMPLE_JAR);
    assertEquals(0, noOkHttp.exitCode, noOkHttp.stderr);
    List<JsonNode> records = noOkHttp.records();
    assertEquals(3, records.size(), noOkHttp.recordsText());
    assertEquals(3, SmokeAssertions.count(records, "ai.instrumentation", "jdk-httpclient"));

    ForkedJvm.Result byEnv = ForkedJvm.runJar(java, true, dir.resolve("no-jdk"), List.of(),
        Map.of("OPENAI_BASE_URL", server.baseUrl(), "TRACELIGHT_INSTRUMENTATION_JDK_HTTPCLIENT_ENABLED", "false"),
        ForkedJvm.EXAMPLE_JAR);
    assertEquals(3, SmokeAssertions.count(byEnv.records(), "ai.instrumentation", "okhttp"));
    assertEquals(3, byEnv.records().size());

    ForkedJvm.Result off = ForkedJvm.runJar(java, true, dir.resolve("off"), List.of("-Dtracelight.enabled=false"),
        Map.of("OPENAI_BASE_URL", server.baseUrl()), ForkedJvm.EXAMPLE_JAR);
    assertEquals(0, off.exitCode);
    assertEquals(0, off.records().size());
    assertEquals("", off.stderr, "a disabled agent says nothing");
  }

  @Test
  void badConfigNeverStopsTheApp(@TempDir Path dir) throws Exception {
    Path unwritable = dir.resolve("a-file");
    java.nio.file.Files.writeString(unwritable, "not a directory");
    ForkedJvm.Result r = ForkedJvm.runJar(ForkedJvm.javaHomes().get(0), false, dir.resolve("bad"),
        List.of("-javaagent:" + ForkedJvm.AGENT_JAR.toAbsolutePath(), "-Dtracelight.output.dir=" + unwritable.resolve("sub"),
            "-Dtracelight.capture.max-body-bytes=lots", "-Dtracelight.instrumentaton.okhttp.enabled=false"),
        Map.of("OPENAI_BASE_URL", server.baseUrl()), ForkedJvm.EXAMPLE_JAR);
    assertEquals(0, r.exitCode, r.stderr);
    assertEquals(6, r.stdout.lines().count(), r.stdout);
    String err = r.stderr;
    org.junit.jupiter.api.Assertions.assertTrue(err.contains("[tracelight] unknown key tracelight.instrumentaton.okhttp.enabled ignored; did you mean tracelight.instrumentation.okhttp.enabled?"), err);
    org.junit.jupiter.api.Assertions.assertTrue(err.contains("[tracelight] tracelight.capture.max-body-bytes=lots is not a size"), err);
    org.junit.jupiter.api.Assertions.assertTrue(err.contains("file output is off, metrics and the summary continue"), err);
    org.junit.jupiter.api.Assertions.assertTrue(err.contains("[tracelight] summary: 6 AI calls"), "metrics continue: " + err);
  }
}
