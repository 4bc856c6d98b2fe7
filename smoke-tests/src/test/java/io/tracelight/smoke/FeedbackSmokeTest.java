package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Call ids, sessions, feedback and outcomes through the {@code tracelight-api} jar in a forked
 * application using the official OpenAI SDK: the ids the application got are the records' ids, the
 * session scope reaches the records, ratings and outcomes land in {@code feedback.jsonl} joined to
 * their calls, the acceptance rate is in the summary, and a rejection-rate rise raises an alert.
 * Without the agent the same application runs unchanged and the API does nothing.
 */
class FeedbackSmokeTest extends MockServerTest {
  private static final int CALLS = 200;

  @Test
  void idsSessionsFeedbackAndOutcomesJoinTheirCalls(@TempDir Path dir) throws Exception {
    ForkedJvm.Result run = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir.resolve("app"),
        List.of("-Dtracelight.drift.reference-calls=200", "-Dtracelight.drift.window-calls=200"), Map.of(),
        FeedbackDriver.class.getName(), server.baseUrl(), Integer.toString(CALLS));
    assertEquals(0, run.exitCode, run.stderr);
    assertTrue(run.stdout.contains("before any call: null"), run.stdout);
    List<String> ids = new ArrayList<>();
    for (String line : run.stdout.split("\n")) {
      if (line.startsWith("call ")) {
        ids.add(line.substring(5).trim());
      }
    }
    assertEquals(CALLS, ids.size(), run.stdout);
    assertEquals(CALLS, new HashSet<>(ids).size(), "every call its own id");
    List<JsonNode> records = run.records();
    assertEquals(CALLS, records.size());
    for (int i = 0; i < CALLS; i++) {
      assertEquals(ids.get(i), records.get(i).path("ai.call.id").asText(), "the id the app got is its call's");
      assertTrue(ids.get(i).matches("[0-9a-f]{32}"), ids.get(i));
    }
    for (int i = 0; i < 3; i++) {
      JsonNode r = records.get(i);
      assertEquals("conv-42", r.path("session.id").asText(), r.toString());
      assertEquals("conv-42", r.path("gen_ai.conversation.id").asText());
      assertTrue(r.path("user.id").asText().matches("[0-9a-f]{32}"), "the user id, hashed: " + r);
      assertFalse(r.toString().contains("user-7"), "the user's own id is never written");
    }
    assertFalse(records.get(3).has("session.id"), "the scope ended: " + records.get(3));

    // feedback.jsonl: every rating and outcome, joined to its call's model
    List<JsonNode> events = new ArrayList<>();
    for (String line : Files.readAllLines(run.outputDir.resolve("feedback.jsonl"), StandardCharsets.UTF_8)) {
      events.add(ForkedJvm.JSON.readTree(line));
    }
    assertEquals(CALLS + 2, events.size());
    int accepted = 0;
    for (int i = 0; i < CALLS; i++) {
      JsonNode e = events.get(i);
      boolean rejected = i < CALLS / 2 ? i % 10 == 9 : i % 10 < 6;
      assertEquals("feedback", e.path("kind").asText());
      assertEquals(ids.get(i), e.path("ai.call.id").asText());
      assertEquals(rejected ? 0.0 : 1.0, e.path("score").asDouble());
      assertEquals(!rejected, e.path("accepted").asBoolean());
      assertEquals(rejected ? "thumbs_down" : "thumbs_up", e.path("label").asText());
      assertTrue(e.path("call_known").asBoolean(), e.toString());
      assertEquals("gpt-4o-mini", e.path("model").asText());
      assertEquals("openai_compatible", e.path("provider").asText()); // a loopback server, not api.openai.com
      accepted += rejected ? 0 : 1;
    }
    assertTrue(run.stdout.contains("accepted " + accepted), run.stdout);
    assertEquals("outcome", events.get(CALLS).path("kind").asText());
    assertEquals("booked", events.get(CALLS).path("value").asText());
    assertEquals(ids.get(0), events.get(CALLS).path("ai.call.id").asText());
    assertEquals(12.5, events.get(CALLS + 1).path("value").asDouble());

    // the summary: acceptance per model, refused calls counted
    JsonNode summary = run.summaryJson();
    JsonNode model = null;
    for (JsonNode m : summary.path("models")) {
      if (m.path("gen_ai.request.model").asText().equals("gpt-4o-mini")) {
        model = m;
      }
    }
    assertEquals(CALLS, model.path("feedback").path("count").asInt(), summary.toString());
    assertEquals(accepted, model.path("feedback").path("accepted").asInt());
    assertEquals(accepted / (double) CALLS, model.path("feedback").path("acceptance_rate").asDouble(), 1e-12);
    assertEquals(2, model.path("feedback").path("outcomes").asInt());
    assertEquals(2, summary.path("feedback_rejected").asInt());
    assertEquals(CALLS + 2, summary.path("feedback_received").asInt());
    assertTrue(run.stderr.contains("[tracelight] feedback: gpt-4o-mini " + CALLS + " rated, "), run.stderr);
    assertTrue(run.stderr.contains("Tracelight.feedback needs a call id from Tracelight.lastCall()"), run.stderr);
    assertTrue(run.stderr.contains("Tracelight.feedback needs a score from 0 (rejected) to 1 (accepted)"), run.stderr);

    // the rejection rate rose from one in ten to six in ten: an alert
    JsonNode rejection = null;
    for (String line : Files.readAllLines(run.outputDir.resolve("alerts.jsonl"), StandardCharsets.UTF_8)) {
      JsonNode a = ForkedJvm.JSON.readTree(line);
      if (a.path("signal").asText().equals("rejection_rate") && a.path("state").asText().equals("firing")) {
        rejection = a;
      }
    }
    assertTrue(rejection != null, "a rejection_rate alert");
    assertEquals(0.1, rejection.path("baseline").asDouble(), 1e-9, "one in ten of the reference's 40 ratings");
    assertTrue(rejection.path("current").asDouble() > 0.3, rejection.toString());
    assertEquals("gpt-4o-mini", rejection.path("model").asText());
  }

  @Test
  void withoutTheAgentTheApiDoesNothingAndTheAppRunsTheSame(@TempDir Path dir) throws Exception {
    ForkedJvm.Result run = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), false, dir.resolve("app"), List.of(),
        Map.of(), FeedbackDriver.class.getName(), server.baseUrl(), "10");
    assertEquals(0, run.exitCode, run.stderr);
    assertTrue(run.stdout.contains("before any call: null"), run.stdout);
    assertTrue(run.stdout.contains("call null"), run.stdout);
    assertFalse(Files.exists(dir.resolve("app").resolve("calls.jsonl")));
  }
}
