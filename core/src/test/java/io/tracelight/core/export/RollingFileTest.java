package io.tracelight.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracelight.core.exchange.TraceIds;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RollingFileTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static AiCall call(int i) {
    AiCall c = new AiCall();
    c.traceId = TraceIds.newTraceId();
    c.spanId = TraceIds.newSpanId();
    c.set(Keys.OPERATION, "chat");
    c.set(Keys.REQUEST_MODEL, "model-" + i);
    return c;
  }

  private static List<Path> files(Path dir, String glob) throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileSystem().getPathMatcher("glob:" + glob).matches(p.getFileName()))
          .sorted().collect(Collectors.toList());
    }
  }

  @Test
  void rotationBySizeSplitsNoRecordAndLosesNone(@TempDir Path dir) throws Exception {
    JsonlExporter jsonl = JsonlExporter.open(dir, 4096, false, RollingFile.Retention.none());
    for (int i = 0; i < 200; i++) {
      jsonl.export(call(i));
      if (i % 7 == 0) {
        jsonl.flush();
      }
    }
    jsonl.close();
    List<Path> rotated = files(dir, "calls-*-*-*-*-*-*.jsonl");
    assertTrue(rotated.size() >= 5, rotated.toString());
    long pid = ProcessHandle.current().pid();
    assertTrue(rotated.get(0).getFileName().toString().matches("calls-\\d{4}-\\d{2}-\\d{2}-" + pid + "-[0-9a-f]{6}-\\d+\\.jsonl"),
        rotated.get(0).toString());
    int records = 0;
    boolean[] seen = new boolean[200];
    for (Path f : files(dir, "calls*.jsonl")) {
      for (String line : Files.readAllLines(f)) {
        String model = JSON.readTree(line).path("gen_ai.request.model").asText();
        seen[Integer.parseInt(model.substring(6))] = true;
        records++;
      }
      assertTrue(Files.size(f) < 4096 + 1024, f + " rotated near its size");
    }
    assertEquals(200, records);
    for (boolean s : seen) {
      assertTrue(s);
    }
  }

  @Test
  void retentionDeletesTheOldestRotatedFilesOnly(@TempDir Path dir) throws Exception {
    for (int i = 1; i <= 6; i++) {
      Path old = dir.resolve("calls-2026-01-0" + i + "-4242-00beef-1.jsonl");
      Files.writeString(old, "{\"x\":" + "1".repeat(1000) + "}\n");
      Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - (10 - i) * 86_400_000L));
    }
    Files.writeString(dir.resolve("calls-4242-00cafe.jsonl"), "{\"another\":\"process's active file\"}\n");
    Path orphan = dir.resolve("calls-4243-00dead.jsonl");
    Files.writeString(orphan, "{\"a JVM long gone\":true}\n");
    Files.setLastModifiedTime(orphan, FileTime.fromMillis(System.currentTimeMillis() - 30 * 86_400_000L));
    Files.writeString(dir.resolve("calls-notes.jsonl"), "{}\n");
    Files.writeString(dir.resolve("audit-2026-01-01-4242-1.jsonl"), "{}\n");
    // older than 6.5 days: the first three (9, 8, 7 days); then 3 files of 1007 bytes fit in 3030 bytes
    JsonlExporter jsonl = JsonlExporter.open(dir, 0, false, new RollingFile.Retention(13 * 43_200_000L, 3 * 1010));
    jsonl.close();
    List<String> left = files(dir, "*.jsonl").stream().map(p -> p.getFileName().toString()).collect(Collectors.toList());
    assertEquals(List.of("audit-2026-01-01-4242-1.jsonl", "calls-2026-01-04-4242-00beef-1.jsonl",
        "calls-2026-01-05-4242-00beef-1.jsonl", "calls-2026-01-06-4242-00beef-1.jsonl", "calls-4242-00cafe.jsonl",
        "calls-notes.jsonl", "calls.jsonl"), left);
  }

  @Test
  void retentionBySizeAloneKeepsTheNewest(@TempDir Path dir) throws Exception {
    for (int i = 1; i <= 4; i++) {
      Path old = dir.resolve("calls-2026-01-0" + i + "-4242-00beef-1.jsonl");
      Files.writeString(old, "{\"x\":" + "1".repeat(1000) + "}\n");
      Files.setLastModifiedTime(old, FileTime.fromMillis(System.currentTimeMillis() - (10 - i) * 86_400_000L));
    }
    JsonlExporter.open(dir, 0, false, new RollingFile.Retention(0, 2500)).close();
    assertEquals(List.of("calls-2026-01-03-4242-00beef-1.jsonl", "calls-2026-01-04-4242-00beef-1.jsonl", "calls.jsonl"),
        files(dir, "*.jsonl").stream().map(p -> p.getFileName().toString()).collect(Collectors.toList()));
  }

  @Test
  void aSecondWriterOfTheDirectoryWritesItsOwnFile(@TempDir Path dir) throws Exception {
    JsonlExporter first = JsonlExporter.open(dir);
    JsonlExporter second = JsonlExporter.open(dir);
    assertEquals("calls.jsonl", first.file().getFileName().toString());
    assertTrue(second.file().getFileName().toString().matches("calls-" + ProcessHandle.current().pid() + "-[0-9a-f]{6}\\.jsonl"),
        second.file().toString());
    first.export(call(1));
    second.export(call(2));
    first.close();
    second.close();
    assertEquals(1, Files.readAllLines(first.file()).size());
    assertEquals(1, Files.readAllLines(second.file()).size());
    JsonlExporter after = JsonlExporter.open(dir);
    assertEquals("calls.jsonl", after.file().getFileName().toString(), "the lock went with the first writer");
    after.close();
    assertFalse(Files.readString(first.file()).isEmpty());
  }
}
