package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tracelight.mock.MockLlmServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent under stress and failure: the app keeps working, the agent says what it lost. */
class FaultSmokeTest extends MockServerTest {
  private static Path java() {
    return ForkedJvm.javaHomes().get(0);
  }

  private ForkedJvm.Result driver(Path dir, boolean agent, List<String> jvmArgs, String... args) throws Exception {
    String[] all = new String[args.length + 1];
    all[0] = args[0];
    all[1] = server.baseUrl();
    System.arraycopy(args, 1, all, 2, args.length - 1);
    ForkedJvm.Result r = ForkedJvm.runMain(java(), agent, dir, jvmArgs, Map.of(), ClientDriver.class.getName(), all);
    assertEquals(0, r.exitCode, r.stderr);
    return r;
  }

  private static JsonNode summary(ForkedJvm.Result r) throws Exception {
    return ForkedJvm.JSON.readTree(Files.readString(r.outputDir.resolve("summary.json")));
  }

  @Test
  void anInstrumentationThatKeepsFailingTurnsItselfOff(@TempDir Path dir) throws Exception {
    // the JDK's own HttpURLConnection, woven in java.base: its failures must stay the agent's too
    ForkedJvm.Result r = driver(dir.resolve("inject"), true, List.of("-Dtracelight.internal.inject-failure=url-connection"),
        "concurrent", "1", "120");
    assertEquals("calls ok: 120\n", r.stdout, "every call succeeds unchanged");
    assertTrue(r.stderr.contains("[tracelight] instrumentation url-connection failed 20 times and has turned itself off"),
        r.stderr);
    List<JsonNode> records = r.records();
    assertEquals(90, records.size(), "the other three clients' calls are still recorded");
    assertEquals(0, SmokeAssertions.count(records, "ai.instrumentation", "url-connection"));
    assertEquals(20, summary(r).path("internal_errors").asInt(), "counted until it turned off, then no more");
  }

  @Test
  void aCallStillStreamingAtExitIsCountedNotLostSilently(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r = driver(dir.resolve("exit"), true, List.of(), "exit-mid-stream");
    assertEquals("first byte d\n", r.stdout);
    assertEquals(0, r.records().size(), "its end never came, so there is no record: " + r.recordsText());
    assertTrue(r.stderr.contains("0 not written, 1 still under way at exit, 0 internal errors"), r.stderr);
    assertEquals(1, summary(r).path("under_way_at_exit").asInt());
  }

  @Test
  void aFloodDropsAndCountsButLosesNothingSilently(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r = driver(dir.resolve("flood"), true, List.of("-Dtracelight.queue.capacity=2",
        "-Dtracelight.internal.pipeline-delay-micros=20000", "-Dtracelight.shutdown.flush-millis=10000"),
        "concurrent", "16", "8");
    assertEquals("calls ok: 128\n", r.stdout);
    JsonNode summary = summary(r);
    long dropped = summary.path("dropped").asLong();
    assertTrue(dropped > 0, "a queue of 2 behind a slow pipeline overflows: " + summary);
    assertEquals(128, r.records().size() + dropped + summary.path("not_written").asLong(),
        "every call is written, dropped or reported unwritten");
    assertTrue(r.stderr.contains("call queue full (tracelight.queue.capacity=2)"), r.stderr);
    assertTrue(r.stderr.contains(dropped + " dropped"), r.stderr);
  }

  @Test
  void sixtyFourThreadsLoseNoRecord(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r = driver(dir.resolve("64"), true, List.of(), "concurrent", "64", "8");
    assertEquals("calls ok: 512\n", r.stdout);
    assertEquals(512, r.records().size());
    SmokeAssertions.assertMatchesServer(r.records(), server);
    assertEquals(0, summary(r).path("capture_bytes_held").asLong());
  }

  @Test
  void deletedOutputIsSaidAndStartedAgain(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("deleted");
    ForkedJvm.Result r = driver(out, true, List.of(), "delete-output", out.toString());
    assertEquals("calls ok: 10\n", r.stdout);
    assertTrue(r.stderr.contains("calls.jsonl was deleted while the agent wrote to it; it is started again"), r.stderr);
    List<JsonNode> records = r.records();
    assertEquals(5, records.size(), r.recordsText());
    assertEquals(5, SmokeAssertions.count(records, "gen_ai.request.model", "after-delete"));
    long calls = 0;
    for (JsonNode m : summary(r).path("models")) {
      calls += m.path("calls").asLong();
    }
    assertEquals(10, calls, "metrics saw every call");
  }

  @Test
  void aFullDiskTurnsFileOutputOffAndNothingElse(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("full");
    Files.createDirectories(out);
    // a file-size limit of 8 KiB for the app's process: calls.jsonl outgrows it
    List<String> command = List.of("bash", "-c", "ulimit -f 8 && exec \"$0\" \"$@\"",
        java().resolve("bin/java").toString(), "-javaagent:" + ForkedJvm.AGENT_JAR.toAbsolutePath(),
        "-Dtracelight.output.dir=" + out, "-cp", System.getProperty("java.class.path"),
        ClientDriver.class.getName(), "concurrent", server.baseUrl(), "1", "40");
    Process p = new ProcessBuilder(command).redirectOutput(dir.resolve("full.out").toFile())
        .redirectError(dir.resolve("full.err").toFile()).start();
    assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS));
    String stdout = Files.readString(dir.resolve("full.out"));
    String stderr = Files.readString(dir.resolve("full.err"));
    assertEquals(0, p.exitValue(), stderr);
    assertEquals("calls ok: 40\n", stdout);
    assertTrue(stderr.contains("failed (java.io.IOException: File too large); file output is off from now on"), stderr);
    assertEquals(1, stderr.lines().filter(l -> l.contains("File too large")).count(), "said once: " + stderr);
    assertTrue(stderr.contains("[tracelight] summary: 40 AI calls"), "metrics continue: " + stderr);
    assertTrue(Files.size(out.resolve("calls.jsonl")) <= 8 * 1024);
  }

  @Test
  void slowEarlyCancelledAndInterruptedCallsAllEnd(@TempDir Path dir) throws Exception {
    ForkedJvm.Result plain;
    try (MockLlmServer fresh = MockLlmServer.start(0)) {
      plain = ForkedJvm.runMain(java(), false, dir.resolve("plain"), List.of(), Map.of(),
          ClientDriver.class.getName(), "lifecycle", fresh.baseUrl());
    }
    ForkedJvm.Result r = driver(dir.resolve("traced"), true, List.of(), "lifecycle");
    assertEquals(plain.stdout, r.stdout, "the app sees the same outcomes");
    Map<String, String> expected = Map.of(
        "slow-reader", "ok",
        "early-close", "closed_early",
        "jdk-cancel", "cancelled",
        "okhttp-cancel", "cancelled",
        "interrupted", "java.io.InterruptedIOException");
    List<JsonNode> records = r.records();
    assertEquals(expected.size(), records.size(), r.recordsText());
    for (JsonNode rec : records) {
      String model = rec.path("gen_ai.request.model").asText();
      String outcome = "ok".equals(rec.path("status").asText()) ? "ok" : rec.path("error.type").asText();
      assertEquals(expected.get(model), outcome, rec.toString());
    }
    assertTrue(r.stderr.contains("tracelight threads: [tracelight-cleaner, tracelight-pipeline]"),
        "only the two long-lived agent threads remain: " + r.stderr);
    assertEquals(0, summary(r).path("capture_bytes_held").asLong(), "every captured byte was given back");
    assertFalse(r.stderr.contains("internal error in"), r.stderr);
  }

  @Test
  void attachesToARunningApp(@TempDir Path dir) throws Exception {
    ForkedJvm.Result r = driver(dir.resolve("attach"), false,
        List.of("-Djdk.attach.allowAttachSelf=true", "-Dtracelight.output.dir=" + dir.resolve("attach")),
        "attach", ForkedJvm.AGENT_JAR.toAbsolutePath().toString());
    assertTrue(r.stdout.startsWith("before: 200\nbefore apache: true\nbefore url-connection: 200 true\n"
        + "after jdk: 200\nafter okhttp: 200"), r.stdout);
    assertTrue(r.stdout.endsWith("after apache: true\nafter url-connection: 200 true\n"), r.stdout);
    List<JsonNode> records = r.records();
    assertEquals(4, records.size(), "the calls after attaching, with every client loaded before: " + r.stderr
        + r.recordsText());
    for (String model : new String[] {"after-attach-jdk", "after-attach-okhttp", "after-attach-apache",
        "after-attach-url-connection"}) {
      assertEquals(1, SmokeAssertions.count(records, "gen_ai.request.model", model), model);
    }
    SmokeAssertions.assertMatchesServer(records, server);
  }
}
