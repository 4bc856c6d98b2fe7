package io.tracelight.core.alert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The webhook against a real local HTTP server: bodies in each format, retries, failures counted. */
class AlertWebhookTest {
  private static final AlertSubject SUBJECT = new AlertSubject("openai", "gpt-test", "2", "canary", "abc");

  private static Alert firing() {
    return new Alert(1_700_000_000_000_000_000L, Alert.State.FIRING, Alert.Severity.CRITICAL, "rate", "refusal_rate",
        "p_chart", 0.3, 0.05, 1e-6, 0.01, 0.3, "up", SUBJECT, 500, 500, "e1", "https://runbooks.example/rate",
        "refusal_rate of openai gpt-test rose");
  }

  /** A server whose first {@code failures} answers are 503, then 200; it keeps every body. */
  private static HttpServer server(List<String> bodies, int failures) throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    AtomicInteger seen = new AtomicInteger();
    server.createContext("/", ex -> {
      bodies.add(new String(ex.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
      int status = seen.incrementAndGet() <= failures ? 503 : 200;
      ex.sendResponseHeaders(status, 2);
      try (OutputStream out = ex.getResponseBody()) {
        out.write("ok".getBytes());
      }
    });
    server.start();
    return server;
  }

  private static void await(List<String> bodies, int n) throws InterruptedException {
    for (int i = 0; i < 500 && bodies.size() < n; i++) {
      Thread.sleep(10);
    }
  }

  @Test
  void alertmanagerGetsLabelsAndTimesAndARetryAfterA503() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer server = server(bodies, 1);
    try {
      AlertBook book = new AlertBook(0);
      AlertWebhook hook = AlertWebhook.configured("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v2/alerts",
          "alertmanager", book);
      hook.backoffMillis = 10;
      book.sink(hook);
      book.breach("k", firing(), 0);
      book.clear("k", 1_700_000_060_000_000_000L, 1, 0, 0);
      book.clear("k", 1_700_000_120_000_000_000L, 2, 0, 0);
      await(bodies, 3);
      hook.close(1000);
      assertEquals(3, bodies.size(), bodies.toString()); // the firing twice (a 503, then taken), the resolution
      assertEquals(bodies.get(0), bodies.get(1));
      JsonNode fired = new ObjectMapper().readTree(bodies.get(1)).get(0);
      assertEquals("TracelightRate", fired.path("labels").path("alertname").asText());
      assertEquals("critical", fired.path("labels").path("severity").asText());
      assertEquals("refusal_rate", fired.path("labels").path("signal").asText());
      assertEquals("gpt-test", fired.path("labels").path("model").asText());
      assertEquals("2", fired.path("labels").path("model_version").asText());
      assertEquals("canary", fired.path("labels").path("deployment").asText());
      assertEquals("https://runbooks.example/rate", fired.path("annotations").path("runbook_url").asText());
      assertEquals("refusal_rate of openai gpt-test rose", fired.path("annotations").path("summary").asText());
      assertEquals("2023-11-14T22:13:20.000000Z", fired.path("startsAt").asText());
      assertFalse(fired.has("endsAt"));
      JsonNode resolved = new ObjectMapper().readTree(bodies.get(2)).get(0);
      assertEquals(fired.path("labels"), resolved.path("labels"), "the same labels: the same alert");
      assertEquals("2023-11-14T22:15:20.000000Z", resolved.path("endsAt").asText());
      assertEquals(2, hook.sent());
      assertEquals(0, hook.failed());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void slackGetsTextAndJsonGetsTheEvent() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer server = server(bodies, 0);
    try {
      String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
      AlertWebhook slack = AlertWebhook.configured(url, "slack", new AlertBook(0));
      slack.alert(firing());
      await(bodies, 1);
      slack.close(1000);
      assertEquals("CRITICAL: refusal_rate of openai gpt-test rose <https://runbooks.example/rate|runbook>",
          new ObjectMapper().readTree(bodies.get(0)).path("text").asText());
      AlertWebhook json = AlertWebhook.configured(url, "json", new AlertBook(0));
      json.alert(firing());
      await(bodies, 2);
      json.close(1000);
      JsonNode event = new ObjectMapper().readTree(bodies.get(1));
      assertEquals("firing", event.path("state").asText());
      assertEquals("e1", event.path("episode").asText());
    } finally {
      server.stop(0);
    }
  }

  @Test
  void anUnreachableHookIsCountedNeverThrown() throws Exception {
    java.net.ServerSocket free = new java.net.ServerSocket(0);
    int port = free.getLocalPort();
    free.close();
    AlertWebhook hook = AlertWebhook.configured("http://127.0.0.1:" + port + "/", "json", new AlertBook(0));
    hook.backoffMillis = 1;
    hook.alert(firing());
    for (int i = 0; i < 500 && hook.failed() == 0; i++) {
      Thread.sleep(10);
    }
    hook.close(100);
    assertEquals(1, hook.failed());
    assertEquals(0, hook.sent());
    assertTrue(AlertWebhook.configured("ftp://example/", "json", new AlertBook(0)) == null);
    assertTrue(AlertWebhook.configured("", "json", new AlertBook(0)) == null);
  }
}
