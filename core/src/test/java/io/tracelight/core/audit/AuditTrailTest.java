package io.tracelight.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.exchange.TraceIds;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hash chain holds over rotation and restarts, and every way of tampering is found and named. */
class AuditTrailTest {
  private static final String KEY = "audit-key-1";

  private static AiCall call(int i) {
    AiCall c = new AiCall();
    c.startEpochNanos = 1_764_000_000_000_000_000L + i * 1_000_000L;
    c.traceId = TraceIds.newTraceId();
    c.spanId = TraceIds.newSpanId();
    c.set(Keys.OPERATION, "chat");
    c.set(Keys.PROVIDER, "openai");
    c.set(Keys.REQUEST_MODEL, "gpt-4o-mini");
    c.set(Keys.RESPONSE_ID, "chatcmpl-" + i);
    c.set(Keys.SYSTEM_HASH, "aa".repeat(32));
    c.set(Keys.OUTPUT_HASH, "bb".repeat(32));
    c.set(Keys.FINISH_REASONS, Collections.singletonList("stop"));
    c.content().input("user", "question " + i);
    return c;
  }

  private static void write(Path dir, int calls, long maxBytes, String key) {
    AuditTrail trail = AuditTrail.open(dir, maxBytes, false, key, false);
    for (int i = 0; i < calls; i++) {
      trail.record(call(i));
    }
    trail.close();
  }

  private static List<String> lines(Path file) throws IOException {
    return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
  }

  private static void rewrite(Path file, List<String> lines) throws IOException {
    Files.writeString(file, lines.stream().map(l -> l + "\n").collect(Collectors.joining()), StandardCharsets.UTF_8);
  }

  private static List<Path> auditFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith("audit") && p.toString().endsWith(".jsonl"))
          .sorted().collect(Collectors.toList());
    }
  }

  @Test
  void anUntouchedTrailVerifiesAndHoldsHashesNotText(@TempDir Path dir) throws Exception {
    write(dir, 20, 0, KEY);
    Path file = dir.resolve("audit.jsonl");
    AuditVerifier.Result r = AuditVerifier.verify(file, KEY);
    assertTrue(r.ok, r.message);
    assertEquals(21, r.lines, "20 calls and the close line");
    assertTrue(r.message.contains("every HMAC checked"), r.message);
    assertFalse(r.message.contains("without a close line"), r.message);
    String first = lines(file).get(0);
    assertTrue(first.startsWith("{\"seq\":0,\"chain\":"), first);
    assertTrue(first.contains("\"request_id\":\"chatcmpl-0\""), first);
    assertTrue(first.contains("\"input_hash\":\""), first);
    assertTrue(first.contains("\"prev\":\"" + AuditTrail.GENESIS + "\""), first);
    assertFalse(Files.readString(file).contains("question"), "no text, only hashes");
  }

  @Test
  void anEditedLineIsNamed(@TempDir Path dir) throws Exception {
    write(dir, 10, 0, null);
    Path file = dir.resolve("audit.jsonl");
    List<String> lines = lines(file);
    lines.set(4, lines.get(4).replace("gpt-4o-mini", "gpt-4o-maxi"));
    rewrite(file, lines);
    AuditVerifier.Result r = AuditVerifier.verify(file, null);
    assertFalse(r.ok);
    assertEquals("audit.jsonl:5: edited: its SHA-256 is not the prev of the line after it (audit.jsonl:6); one of the"
        + " two was changed", r.message);
  }

  @Test
  void withAKeyEvenTheLastLineIsProtected(@TempDir Path dir) throws Exception {
    write(dir, 10, 0, KEY);
    Path file = dir.resolve("audit.jsonl");
    List<String> lines = lines(file);
    lines.set(9, lines.get(9).replace("\"status\":\"ok\"", "\"status\":\"error\""));
    rewrite(file, lines);
    AuditVerifier.Result r = AuditVerifier.verify(file, KEY);
    assertEquals("audit.jsonl:10: edited: its HMAC does not match", r.message);
  }

  @Test
  void aDeletedLineIsNamed(@TempDir Path dir) throws Exception {
    write(dir, 10, 0, null);
    Path file = dir.resolve("audit.jsonl");
    List<String> lines = lines(file);
    lines.remove(3);
    rewrite(file, lines);
    assertEquals("audit.jsonl:4: deleted: seq 3 missing before this line (seq 4)", AuditVerifier.verify(file, null).message);
  }

  @Test
  void reorderedLinesAreNamed(@TempDir Path dir) throws Exception {
    write(dir, 10, 0, null);
    Path file = dir.resolve("audit.jsonl");
    List<String> lines = lines(file);
    Collections.swap(lines, 6, 7);
    rewrite(file, lines);
    assertEquals("audit.jsonl:7: reordered: seq 7 comes where seq 6 should", AuditVerifier.verify(file, null).message);
  }

  @Test
  void aCutFileIsTruncated(@TempDir Path dir) throws Exception {
    write(dir, 10, 0, null);
    Path file = dir.resolve("audit.jsonl");
    byte[] all = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(all, all.length - 30));
    assertEquals("audit.jsonl:11: truncated: the file ends inside this line (a cut write, or bytes removed)",
        AuditVerifier.verify(file, null).message);
  }

  @Test
  void theWrongKeyIsSaidAsSuch(@TempDir Path dir) throws Exception {
    write(dir, 5, 0, KEY);
    AuditVerifier.Result r = AuditVerifier.verify(dir, "not-the-key");
    assertFalse(r.ok);
    assertTrue(r.message.startsWith("wrong key: no line's HMAC matches"), r.message);
    write(dir.resolve("unkeyed"), 3, 0, null);
    assertTrue(AuditVerifier.verify(dir.resolve("unkeyed"), KEY).message.endsWith(
        "no HMAC: written without a key, or its HMAC was removed"));
  }

  @Test
  void rotationSealsEachFileAndTheChainGoesOn(@TempDir Path dir) throws Exception {
    write(dir, 40, 2000, KEY);
    List<Path> files = auditFiles(dir);
    assertTrue(files.size() >= 4, files.toString());
    for (Path f : files) {
      if (!f.getFileName().toString().equals("audit.jsonl")) {
        List<String> lines = lines(f);
        assertTrue(lines.get(lines.size() - 1).contains("\"seal\":true"), f + " ends with its seal");
      }
    }
    AuditVerifier.Result r = AuditVerifier.verify(dir, KEY);
    assertTrue(r.ok, r.message);
    assertTrue(r.message.contains(" 1 chain(s)"), r.message);

    Path sealed = files.get(1).getFileName().toString().equals("audit.jsonl") ? files.get(2) : files.get(1);
    List<String> lines = lines(sealed);
    lines.remove(lines.size() - 1);
    rewrite(sealed, lines);
    AuditVerifier.Result cut = AuditVerifier.verify(dir, null);
    assertFalse(cut.ok);
    assertTrue(cut.message.contains("truncated: " + sealed.getFileName() + " ends without its seal"), cut.message);
  }

  @Test
  void deletedFirstOrLastLinesAreFoundOrSaid(@TempDir Path dir) throws Exception {
    write(dir, 10, 0, KEY);
    Path file = dir.resolve("audit.jsonl");
    List<String> lines = lines(file);
    rewrite(file, lines.subList(3, lines.size()));
    AuditVerifier.Result head = AuditVerifier.verify(file, KEY);
    assertEquals("audit.jsonl:1: deleted: the chain starts at seq 3, its lines before are not here (verify --partial"
        + " accepts a chain whose earlier files were archived)", head.message);
    assertTrue(AuditVerifier.verify(file, KEY, true).ok, "--partial");
    rewrite(file, lines.subList(0, 8));
    AuditVerifier.Result tail = AuditVerifier.verify(file, KEY);
    assertTrue(tail.ok, tail.message);
    assertTrue(tail.message.contains("ends at audit.jsonl:8 without a close line"), tail.message);
    Files.writeString(file, "");
    assertFalse(AuditVerifier.verify(dir, KEY).ok, "no lines at all is no trail");
  }

  @Test
  void atCaptureNoneWithoutAKeyTheLinesHoldNoHashes(@TempDir Path dir) throws Exception {
    AuditTrail trail = AuditTrail.open(dir, 0, false, null, false, false);
    trail.record(call(1));
    trail.close();
    String line = lines(dir.resolve("audit.jsonl")).get(0);
    assertFalse(line.contains("_hash"), line);
    assertTrue(AuditVerifier.verify(dir, null).ok);
  }

  @Test
  void aRestartGoesOnWithTheChain(@TempDir Path dir) throws Exception {
    write(dir, 5, 0, KEY);
    write(dir, 5, 0, KEY);
    AuditVerifier.Result r = AuditVerifier.verify(dir.resolve("audit.jsonl"), KEY);
    assertTrue(r.ok, r.message);
    assertEquals(12, r.lines, "two runs of five calls, each closed");
    assertTrue(r.message.contains("1 chain(s)"), r.message);
  }

  @Test
  void aLineCutByACrashIsSetAsideAndANewChainStarts(@TempDir Path dir) throws Exception {
    write(dir, 5, 0, null);
    Path file = dir.resolve("audit.jsonl");
    byte[] all = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(all, all.length - 10));
    write(dir, 3, 0, null);
    AuditVerifier.Result fresh = AuditVerifier.verify(file, null);
    assertTrue(fresh.ok, fresh.message);
    assertEquals(4, fresh.lines);
    AuditVerifier.Result whole = AuditVerifier.verify(dir, null);
    assertFalse(whole.ok);
    assertTrue(whole.message.contains("truncated: the file ends inside this line"), whole.message);
  }
}
