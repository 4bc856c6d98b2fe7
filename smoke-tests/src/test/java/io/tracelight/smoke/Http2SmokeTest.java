package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracelight.mock.MockLlmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import okhttp3.Protocol;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Clients over HTTP/2 (TLS with ALPN): the JDK client, Apache HttpClient 5 async and Reactor Netty,
 * against a scripted server sending OpenAI payloads.
 */
class Http2SmokeTest {
  static List<Path> jdks() {
    return ForkedJvm.javaHomes();
  }

  /** A scripted server offering HTTP/2 over TLS (ALPN), its certificate written to {@code pem} for the client. */
  private static MockWebServer tlsServer(Path pem) throws Exception {
    HeldCertificate certificate = new HeldCertificate.Builder().addSubjectAlternativeName("localhost").build();
    Files.writeString(pem, certificate.certificatePem());
    HandshakeCertificates serverTls = new HandshakeCertificates.Builder().heldCertificate(certificate).build();
    MockWebServer server = new MockWebServer();
    server.useHttps(serverTls.sslSocketFactory(), false);
    server.setProtocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
    return server;
  }

  /** Runs the driver without the agent and with it; the app sees the same either way. */
  private static ForkedJvm.Result withAndWithout(Path javaHome, Path dir, Class<?> driver, String scenario, String base,
      Path pem) throws Exception {
    ForkedJvm.Result plain = ForkedJvm.runMain(javaHome, false, dir.resolve("plain"), List.of(), Map.of(),
        driver.getName(), scenario, base, pem.toString());
    ForkedJvm.Result traced = ForkedJvm.runMain(javaHome, true, dir.resolve("traced"), List.of(), Map.of(),
        driver.getName(), scenario, base, pem.toString());
    assertEquals(0, plain.exitCode, plain.stderr);
    assertEquals(0, traced.exitCode, traced.stderr);
    assertEquals(plain.stdout, traced.stdout, "the app sees the same with and without the agent");
    return traced;
  }

  @ParameterizedTest
  @MethodSource("jdks")
  void plainAndStreamedOverHttp2(Path javaHome, @TempDir Path dir) throws Exception {
    Path pem = dir.resolve("server.pem");
    String plainText = MockLlmServer.answer("h2-plain", 2);
    String streamText = MockLlmServer.answer("h2-stream", 2);
    try (MockWebServer server = tlsServer(pem)) {
      for (int run = 0; run < 2; run++) {
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
            .setBody(MockLlmServer.wholeResponse("chatcmpl-h2a", "h2-plain", plainText, 21, 17, 5)));
        server.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream")
            .setBody(MockLlmServer.streamResponse("chatcmpl-h2b", "h2-stream", streamText, 22, 18, 6)));
      }
      server.start();
      String base = "https://localhost:" + server.getPort() + "/v1";
      ForkedJvm.Result traced = withAndWithout(javaHome, dir, ClientDriver.class, "jdk-http2", base, pem);
      assertTrue(traced.stdout.startsWith("HTTP_2 plain: 200"), "the calls really went over HTTP/2: " + traced.stdout);

      List<JsonNode> records = traced.records();
      assertEquals(2, records.size(), traced.recordsText());
      for (JsonNode r : records) {
        boolean stream = r.path("gen_ai.request.stream").asBoolean();
        assertEquals("ok", r.path("status").asText(), r.toString());
        assertEquals(stream ? 22 : 21, r.path("gen_ai.usage.input_tokens").asInt(), r.toString());
        assertEquals(stream ? 18 : 17, r.path("gen_ai.usage.output_tokens").asInt(), r.toString());
        assertEquals(SmokeAssertions.sha256(stream ? streamText : plainText), r.path("ai.output.hash").asText());
        assertEquals("localhost", r.path("server.address").asText());
        assertEquals(server.getPort(), r.path("server.port").asInt());
      }
    }
  }

  /** Apache HttpClient 5's async clients over HTTP/2: the HTTP/2-only one and the default one negotiating it. */
  @ParameterizedTest
  @MethodSource("jdks")
  void apacheAsyncOverHttp2(Path javaHome, @TempDir Path dir) throws Exception {
    Path pem = dir.resolve("server.pem");
    String plainText = MockLlmServer.answer("h2-plain", 2);
    String streamText = MockLlmServer.answer("h2-stream", 2);
    try (MockWebServer server = tlsServer(pem)) {
      for (int run = 0; run < 2; run++) { // plain on each of two clients, then stream on each
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
            .setBody(MockLlmServer.wholeResponse("chatcmpl-h2a", "h2-plain", plainText, 21, 17, 5)));
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
            .setBody(MockLlmServer.wholeResponse("chatcmpl-h2a", "h2-plain", plainText, 21, 17, 5)));
        server.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream")
            .setBody(MockLlmServer.streamResponse("chatcmpl-h2b", "h2-stream", streamText, 22, 18, 6)));
        server.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream")
            .setBody(MockLlmServer.streamResponse("chatcmpl-h2b", "h2-stream", streamText, 22, 18, 6)));
      }
      server.start();
      String base = "https://localhost:" + server.getPort() + "/v1";
      ForkedJvm.Result traced = withAndWithout(javaHome, dir, ApacheAsyncDriver.class, "h2", base, pem);
      assertEquals(4, traced.stdout.split("HTTP/2.0 200", -1).length - 1, "the calls really went over HTTP/2: " + traced.stdout);

      List<JsonNode> records = traced.records();
      assertEquals(4, records.size(), traced.recordsText());
      for (JsonNode r : records) {
        boolean stream = r.path("gen_ai.request.stream").asBoolean();
        assertEquals("apache-httpclient-5", r.path("ai.instrumentation").asText(), r.toString());
        assertEquals("ok", r.path("status").asText(), r.toString());
        assertEquals(stream ? 22 : 21, r.path("gen_ai.usage.input_tokens").asInt(), r.toString());
        assertEquals(stream ? 18 : 17, r.path("gen_ai.usage.output_tokens").asInt(), r.toString());
        assertEquals(SmokeAssertions.sha256(stream ? streamText : plainText), r.path("ai.output.hash").asText());
        assertEquals("localhost", r.path("server.address").asText());
        assertEquals(server.getPort(), r.path("server.port").asInt());
      }
    }
  }

  /** Reactor Netty over HTTP/2: frames seen at Netty's HTTP/2 connection handler, one stream one call. */
  @ParameterizedTest
  @MethodSource("jdks")
  void reactorNettyOverHttp2(Path javaHome, @TempDir Path dir) throws Exception {
    Path pem = dir.resolve("server.pem");
    String plainText = MockLlmServer.answer("h2-plain", 2);
    String streamText = MockLlmServer.answer("h2-stream", 2);
    String cancelText = MockLlmServer.answer("h2-cancel", 2);
    try (MockWebServer server = tlsServer(pem)) {
      for (int run = 0; run < 2; run++) {
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
            .setBody(MockLlmServer.wholeResponse("chatcmpl-h2a", "h2-plain", plainText, 21, 17, 5)));
        server.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream")
            .setBody(MockLlmServer.streamResponse("chatcmpl-h2b", "h2-stream", streamText, 22, 18, 6)));
        server.enqueue(new MockResponse().setHeader("Content-Type", "text/event-stream")
            .setBody(MockLlmServer.streamResponse("chatcmpl-h2c", "h2-cancel", cancelText, 23, 19, 0))
            .throttleBody(64, 50, java.util.concurrent.TimeUnit.MILLISECONDS));
      }
      server.start();
      String base = "https://localhost:" + server.getPort() + "/v1";
      ForkedJvm.Result traced = withAndWithout(javaHome, dir, NettyDriver.class, "h2", base, pem);
      assertTrue(traced.stdout.startsWith("h2 plain: HTTP/2.0 200") && traced.stdout.contains("h2 stream: HTTP/2.0 200"),
          "the calls really went over HTTP/2: " + traced.stdout);

      List<JsonNode> records = traced.records();
      assertEquals(3, records.size(), traced.recordsText());
      for (JsonNode r : records) {
        assertEquals("netty-4.1-http2", r.path("ai.instrumentation").asText(), r.toString());
        assertEquals("localhost", r.path("server.address").asText());
        assertEquals(server.getPort(), r.path("server.port").asInt());
        assertEquals(SmokeAssertions.sha256(ClientDriver.SYSTEM_PROMPT), r.path("ai.prompt.system_hash").asText());
        String model = r.path("gen_ai.request.model").asText();
        if (model.equals("h2-cancel")) {
          assertEquals("closed_early", r.path("error.type").asText(), "the app took one chunk and let go: " + r);
          continue;
        }
        boolean stream = r.path("gen_ai.request.stream").asBoolean();
        assertEquals("ok", r.path("status").asText(), r.toString());
        assertEquals(stream ? 22 : 21, r.path("gen_ai.usage.input_tokens").asInt(), r.toString());
        assertEquals(stream ? 18 : 17, r.path("gen_ai.usage.output_tokens").asInt(), r.toString());
        assertEquals(SmokeAssertions.sha256(stream ? streamText : plainText), r.path("ai.output.hash").asText());
      }
      assertTrue(traced.stderr.contains(" 0 internal errors"), traced.stderr);
    }
  }
}
