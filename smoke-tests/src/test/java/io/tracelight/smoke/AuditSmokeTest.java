package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The audit trail, the agent jar's verify and content commands, rotation shared by two JVMs, the
 * restricted content store, and user and session ids, through forked applications with the agent.
 */
class AuditSmokeTest extends MockServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String AUDIT_KEY = "audit-key-of-the-smoke-deployment";
  private static final String RULES = "header.x-workload=credit-scoring => 0; header.x-workload=labelling => 2 ratio=0.05; "
      + "operation=embeddings => 3; header.x-workload=fraud => 1";
  /** Calls the workloads scenario makes: 3 credit, 300 labelling, 1 failing, 4 fraud, 1 embeddings. */
  private static final int WORKLOAD_CALLS = 3 + PrivacyDriver.LABELLING_CALLS + 1 + 4 + 1;

  /** Runs {@code java -jar tracelight-agent.jar args...}: exit code, stdout and stderr. */
  private static String[] agentCommand(Map<String, String> env, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ForkedJvm.javaHomes().get(0).resolve("bin/java").toString(), "-jar",
        ForkedJvm.AGENT_JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("TRACELIGHT_AUDIT_KEY");
    pb.environment().remove("TRACELIGHT_CONTENT_KEY");
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    return new String[] {Integer.toString(p.waitFor()), out, err};
  }

  private static List<Path> files(Path dir, String glob) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> dir.getFileSystem().getPathMatcher("glob:" + glob).matches(p.getFileName()))
          .sorted().collect(Collectors.toList());
    }
  }

  @Test
  void everyCallIsAuditedWhateverTheSamplingAndVerifyFindsAnEdit(@TempDir Path dir) throws Exception {
    String logging = Paths.get(System.getProperty("tracelight.logging.dir", "target/logging")).toAbsolutePath()
        .toString();
    String classPath = System.getProperty("java.class.path") + File.pathSeparator + logging + "/*";
    ForkedJvm.Result traced = ForkedJvm.runMainWithClassPath(classPath, ForkedJvm.javaHomes().get(0), true, dir,
        List.of("-Dtracelight.fidelity.rules=" + RULES, "-Dtracelight.audit.enabled=true",
            "-Dtracelight.audit.max-file-bytes=40KB", "-Dtracelight.user.header=x-user-id",
            "-Dtracelight.session.mdc-key=session_id"),
        Map.of("TRACELIGHT_AUDIT_KEY", AUDIT_KEY, "TRACELIGHT_USER_SALT", "salt-of-the-smoke-deployment"),
        PrivacyDriver.class.getName(), "workloads", server.baseUrl());
    assertEquals(0, traced.exitCode, traced.stderr);

    List<Path> auditFiles = files(traced.outputDir, "audit*.jsonl");
    assertTrue(auditFiles.size() >= 3, "rotated at 40 KB: " + auditFiles);
    List<JsonNode> lines = new ArrayList<>();
    for (Path f : auditFiles) {
      for (String line : Files.readAllLines(f)) {
        JsonNode n = JSON.readTree(line);
        if (!n.has("seal") && !n.has("close")) {
          lines.add(n);
        }
      }
    }
    assertEquals(WORKLOAD_CALLS, lines.size(), "one audit line per call, sampled out or not");
    assertTrue(traced.records().size() < 40, "while the records were sampled: " + traced.records().size());
    assertEquals(WORKLOAD_CALLS, traced.summaryJson().path("audit_lines").asLong());

    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec("salt-of-the-smoke-deployment".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    StringBuilder customer0 = new StringBuilder();
    byte[] d = mac.doFinal("customer-0".getBytes(StandardCharsets.UTF_8));
    for (int i = 0; i < 16; i++) {
      customer0.append(String.format("%02x", d[i]));
    }
    JsonNode credit = traced.records().get(0);
    JsonNode creditAudit = lines.stream().filter(l -> l.path("span_id").asText().equals(credit.path("span_id").asText()))
        .findFirst().orElseThrow();
    assertEquals(credit.path("ai.input.hash").asText(), creditAudit.path("input_hash").asText());
    assertEquals(credit.path("ai.output.hash").asText(), creditAudit.path("output_hash").asText());
    assertEquals("gpt-4o", creditAudit.path("model").asText());
    assertEquals(List.of("stop"), List.of(creditAudit.path("finish_reasons").get(0).asText()));
    assertEquals(customer0.toString(), credit.path("user.id").asText(), credit.toString());
    Set<String> users = new HashSet<>();
    for (JsonNode l : lines) {
      if (l.has("user")) {
        users.add(l.path("user").asText());
      }
    }
    assertEquals(3, users.size(), "the three customers, hashed, in the audit trail too");
    assertTrue(users.contains(customer0.toString()));
    JsonNode fraud = traced.records().get(traced.records().size() - 1);
    assertEquals("fraud-review-7", fraud.path("session.id").asText(), "from Log4j 2's ThreadContext: " + fraud);
    assertEquals("fraud-review-7", fraud.path("gen_ai.conversation.id").asText());
    assertFalse(Files.readString(traced.outputDir.resolve("calls.jsonl")).contains("customer-0"));
    assertFalse(traced.stderr.contains(AUDIT_KEY));

    String[] ok = agentCommand(Map.of("TRACELIGHT_AUDIT_KEY", AUDIT_KEY), "verify", traced.outputDir.toString());
    assertEquals("0", ok[0], ok[2]);
    assertTrue(ok[1].startsWith("ok: verified " + (WORKLOAD_CALLS + auditFiles.size() - 1 + 1) + " lines in "
        + auditFiles.size() + " file(s), 1 chain(s), every HMAC checked\n"), "calls, seals and the close line: " + ok[1]);

    String[] wrongKey = agentCommand(Map.of("TRACELIGHT_AUDIT_KEY", "guess"), "verify", traced.outputDir.toString());
    assertEquals("1", wrongKey[0]);
    assertTrue(wrongKey[2].startsWith("FAILED: wrong key"), wrongKey[2]);

    Path middle = auditFiles.get(1);
    List<String> text = new ArrayList<>(Files.readAllLines(middle));
    text.set(5, text.get(5).replace("\"status\":\"ok\"", "\"status\":\"error\""));
    Files.writeString(middle, String.join("\n", text) + "\n");
    String[] edited = agentCommand(Map.of("TRACELIGHT_AUDIT_KEY", AUDIT_KEY), "verify", traced.outputDir.toString());
    assertEquals("1", edited[0]);
    assertEquals("FAILED: " + middle.getFileName() + ":6: edited: its HMAC does not match", edited[2].trim());
  }

  @Test
  void twoJvmsShareTheOutputDirectoryWithoutSplittingARecord(@TempDir Path dir) throws Exception {
    List<String> args = List.of("-Dtracelight.output.max-file-bytes=16KB");
    CompletableFuture<ForkedJvm.Result> a = CompletableFuture.supplyAsync(() -> run(dir, args));
    CompletableFuture<ForkedJvm.Result> b = CompletableFuture.supplyAsync(() -> run(dir, args));
    ForkedJvm.Result ra = a.get();
    ForkedJvm.Result rb = b.get();
    assertEquals(0, ra.exitCode, ra.stderr);
    assertEquals(0, rb.exitCode, rb.stderr);
    List<Path> callFiles = files(dir, "calls*.jsonl");
    assertTrue(callFiles.contains(dir.resolve("calls.jsonl")), callFiles.toString());
    assertTrue(callFiles.stream().anyMatch(p -> p.getFileName().toString().matches("calls-\\d+-[0-9a-f]{6}\\.jsonl")),
        "the second JVM's own file: " + callFiles);
    assertTrue(callFiles.size() >= 4, "rotated: " + callFiles);
    int records = 0;
    Set<String> spans = new HashSet<>();
    for (Path f : callFiles) {
      for (String line : Files.readAllLines(f)) {
        JsonNode r = JSON.readTree(line); // a split record would not parse
        assertTrue(spans.add(r.path("span_id").asText()));
        records++;
      }
    }
    assertEquals(2 * WORKLOAD_CALLS, records, "every call of both JVMs, once");
  }

  private ForkedJvm.Result run(Path dir, List<String> args) {
    try {
      return ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir, args, Map.of(), PrivacyDriver.class.getName(),
          "workloads", server.baseUrl());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void fullTextGoesToTheSealedOwnerOnlyStoreAndTheRecordKeepsAReference(@TempDir Path dir) throws Exception {
    String contentKey = "content-key-of-the-smoke-deployment";
    ForkedJvm.Result traced = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir,
        List.of("-Dtracelight.capture.content=full", "-Dtracelight.capture.store=file"),
        Map.of("TRACELIGHT_CONTENT_KEY", contentKey), PrivacyDriver.class.getName(), "secrets", server.baseUrl());
    assertEquals(0, traced.exitCode, traced.stderr);
    JsonNode chat = traced.records().get(0);
    assertTrue(chat.has("ai.content.ref"), chat.toString());
    assertFalse(chat.has("gen_ai.input.messages"));
    assertFalse(traced.recordsText().contains(PrivacyDriver.EMAIL));
    Path store = traced.outputDir.resolve("content.jsonl");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store)));
    String sealed = Files.readString(store);
    assertFalse(sealed.contains(PrivacyDriver.EMAIL), "sealed with the key");

    String[] opened = agentCommand(Map.of("TRACELIGHT_CONTENT_KEY", contentKey), "content", store.toString(),
        chat.path("ai.content.ref").asText());
    assertEquals("0", opened[0], opened[2]);
    JsonNode text = JSON.readTree(opened[1]);
    String input = text.path("gen_ai.input.messages").asText();
    assertTrue(input.contains(PrivacyDriver.EMAIL), "full: the raw text, " + input);
    assertFalse(input.contains(PrivacyDriver.PROMPT_KEY), "secrets never, " + input);
    String[] wrong = agentCommand(Map.of("TRACELIGHT_CONTENT_KEY", "guess"), "content", store.toString());
    assertEquals("1", wrong[0]);
    assertTrue(wrong[2].contains("does not open: the wrong key"), wrong[2]);
  }
}
