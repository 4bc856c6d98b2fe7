package io.tracelight.core.policy;

import static io.tracelight.core.pipeline.ExchangeDriver.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.export.RollingFile;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.ExchangeDriver;
import io.tracelight.core.privacy.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** capture.store=file: the text goes to an owner-only file, sealed with AES-GCM when keyed; the record keeps a reference. */
class ContentStoreTest {
  private static AiCall chat() {
    return new ExchangeDriver().call(resource("chat-request.json"), 200, "application/json",
        resource("chat-response.json"), 64);
  }

  private static ContentStage stage(Path dir, String key) {
    return new ContentStage(Redactor.builtIn(), ContentStore.open(dir, key, 0, false, RollingFile.Retention.none()));
  }

  @Test
  void theRecordKeepsOnlyAReferenceAndTheFileIsTheOwnersOnly(@TempDir Path dir) throws Exception {
    ContentStage stage = stage(dir, null);
    AiCall call = chat();
    stage.apply(call, CaptureLevel.FULL);
    AiCall sampledOut = chat();
    stage.apply(sampledOut, CaptureLevel.FULL); // never committed: no record, so nothing stored
    stage.commit(call);
    stage.close();
    assertEquals(call.traceId + "-" + call.spanId, call.get(Keys.CONTENT_REF));
    assertNull(call.get(Keys.INPUT_MESSAGES));
    assertNull(call.get(Keys.OUTPUT_MESSAGES));
    Path file = dir.resolve("content.jsonl");
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    List<String> lines = Files.readAllLines(file);
    assertEquals(1, lines.size());
    assertTrue(lines.get(0).startsWith("{\"ref\":\"" + call.get(Keys.CONTENT_REF) + "\""), lines.get(0));
    assertTrue(lines.get(0).contains("La capitale de la France est Paris."), lines.get(0));
  }

  @Test
  void aKeySealsEachLineAndOnlyThatKeyOpensIt(@TempDir Path dir) throws Exception {
    ContentStage stage = stage(dir, "content-key-1");
    AiCall call = chat();
    stage.apply(call, CaptureLevel.FULL);
    stage.commit(call);
    stage.close();
    String line = Files.readAllLines(dir.resolve("content.jsonl")).get(0);
    assertFalse(line.contains("Paris"), line);
    assertTrue(line.contains("\"alg\":\"AES-256-GCM\""), line);
    String opened = ContentStore.open(line, ContentStore.aesKey("content-key-1"));
    assertTrue(opened.contains("La capitale de la France est Paris."), opened);
    assertThrows(java.security.GeneralSecurityException.class,
        () -> ContentStore.open(line, ContentStore.aesKey("another-key")));
    String moved = line.replace(call.spanId, "0000000000000000");
    assertThrows(java.security.GeneralSecurityException.class,
        () -> ContentStore.open(moved, ContentStore.aesKey("content-key-1")), "the reference is bound to the text");
  }

  @Test
  void atHashNothingIsStored(@TempDir Path dir) throws Exception {
    ContentStage stage = stage(dir, null);
    AiCall call = chat();
    stage.apply(call, CaptureLevel.HASH);
    stage.commit(call);
    stage.close();
    assertNull(call.get(Keys.CONTENT_REF));
    assertEquals(0, Files.size(dir.resolve("content.jsonl")));
  }
}
