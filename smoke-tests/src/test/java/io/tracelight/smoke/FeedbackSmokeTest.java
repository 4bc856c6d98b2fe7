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
    ForkedJvm.Result run;
    OtlpReceiver collector = new OtlpReceiver();
    try {
      run = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir.resolve("app"),
          List.of("-Dtracelight.drift.reference-calls=200", "-Dtracelight.drift.window-calls=200",
              "-Dtracelight.exporters=jsonl,otlp"),
          Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", collector.endpoint(), "OTEL_EXPORTER_OTLP_TIMEOUT", "2000"),
          FeedbackDriver.class.getName(), server.baseUrl(), Integer.toString(CALLS));
    } finally {
      collector.close();
    }
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
    assertEquals(CALLS + 3 * FeedbackDriver.ASYNC_CALLS, records.size());
    // asynchronous calls: the id a continuation or callback on another thread asked for (the SDK's,
    // Apache's), or the one asked for right after sending and carried there (the JDK's), is the call's
    int async = 0;
    for (String line : run.stdout.split("\n")) {
      if (line.startsWith("async ")) {
        String[] parts = line.split(" ");
        JsonNode record = null;
        for (JsonNode r : records) {
          if (r.path("gen_ai.response.id").asText().equals(parts[2])) {
            record = r;
          }
        }
        assertTrue(record != null, "a record for " + line);
        assertEquals(record.path("ai.call.id").asText(), parts[3], "lastCall() gave the app this call's id: " + line);
        assertFalse(parts[4].equals("main"), "the continuation ran off the calling thread: " + line);
        async++;
      }
    }
    assertEquals(3 * FeedbackDriver.ASYNC_CALLS, async, run.stdout);
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
    int open = 0;
    for (String line : Files.readAllLines(run.outputDir.resolve("alerts.jsonl"), StandardCharsets.UTF_8)) {
      JsonNode a = ForkedJvm.JSON.readTree(line);
      if (a.path("signal").asText().equals("rejection_rate")) {
        open += a.path("state").asText().equals("firing") ? 1 : -1;
        if (a.path("state").asText().equals("firing")) {
          rejection = a;
        }
      }
    }
    assertTrue(rejection != null, "a rejection_rate alert");
    assertEquals(0.1, rejection.path("baseline").asDouble(), 1e-9, "one in ten of the reference's 40 ratings");
    assertTrue(rejection.path("current").asDouble() > 0.3, rejection.toString());
    assertEquals("gpt-4o-mini", rejection.path("model").asText());

    // over OTLP: the alert as a log record, and as metrics beside the acceptance counter
    io.opentelemetry.proto.logs.v1.LogRecord logged = null;
    for (io.opentelemetry.proto.logs.v1.LogRecord r : collector.logRecords("io.tracelight")) {
      Map<String, io.opentelemetry.proto.common.v1.AnyValue> a = OtlpReceiver.attributes(r.getAttributesList());
      if (a.get("ai.alert.episode").getStringValue().equals(rejection.path("episode").asText())
          && a.get("ai.alert.state").getStringValue().equals("firing")) {
        logged = r;
        assertEquals("rejection_rate", a.get("ai.alert.signal").getStringValue());
        assertEquals("gpt-4o-mini", a.get("gen_ai.request.model").getStringValue());
        assertEquals(rejection.path("current").asDouble(), a.get("ai.alert.current").getDoubleValue(), 1e-12);
      }
    }
    assertTrue(logged != null, "the alert's log record: " + collector.logRecords("io.tracelight"));
    assertEquals("tracelight.alert", logged.getEventName());
    assertEquals(rejection.path("message").asText(), logged.getBody().getStringValue());
    assertEquals(SmokeAssertions.nanos(rejection.path("time").asText()), logged.getTimeUnixNano(), 1_000, "the alert's time, to the microsecond written");
    long acceptedPoint = -1;
    long rejectedPoint = -1;
    long firingRejection = -1;
    for (io.opentelemetry.proto.metrics.v1.Metric m : collector.metrics("io.tracelight")) {
      if (!m.hasSum()) {
        continue;
      }
      for (io.opentelemetry.proto.metrics.v1.NumberDataPoint p : m.getSum().getDataPointsList()) {
        Map<String, io.opentelemetry.proto.common.v1.AnyValue> a = OtlpReceiver.attributes(p.getAttributesList());
        if (m.getName().equals("ai.client.feedback") && a.containsKey("ai.feedback.accepted")) {
          assertEquals("gpt-4o-mini", a.get("gen_ai.request.model").getStringValue());
          if (a.get("ai.feedback.accepted").getBoolValue()) {
            acceptedPoint = p.getAsInt(); // cumulative: the last export's is the total
          } else {
            rejectedPoint = p.getAsInt();
          }
        }
        if (m.getName().equals("ai.alerts.firing") && a.get("ai.alert.signal").getStringValue().equals("rejection_rate")) {
          firingRejection = p.getAsInt();
        }
      }
    }
    assertEquals(accepted, acceptedPoint, "accepted feedback over OTLP, as in feedback.jsonl");
    assertEquals(CALLS - accepted, rejectedPoint);
    assertEquals(open, firingRejection, "the rejection-rate episodes open at exit, as alerts.jsonl has them");
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
