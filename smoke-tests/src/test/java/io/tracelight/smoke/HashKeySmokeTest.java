package io.tracelight.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TRACELIGHT_HASH_KEY in the environment: every content hash an HMAC with it, the key written nowhere. */
class HashKeySmokeTest extends MockServerTest {
  private static final String KEY = "hash-key-of-the-smoke-deployment";

  @Test
  void systemPromptHashesAreHmacsWithTheDeploymentsKey(@TempDir Path dir) throws Exception {
    ForkedJvm.Result traced = ForkedJvm.runMain(ForkedJvm.javaHomes().get(0), true, dir.resolve("traced"), List.of(),
        Map.of("TRACELIGHT_HASH_KEY", KEY), ClientDriver.class.getName(), "jdk-handlers", server.baseUrl());
    assertEquals(0, traced.exitCode, traced.stderr);
    List<JsonNode> records = traced.records();
    assertEquals(12, records.size(), traced.recordsText());
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    StringBuilder hex = new StringBuilder();
    for (byte b : mac.doFinal(ClientDriver.SYSTEM_PROMPT.getBytes(StandardCharsets.UTF_8))) {
      hex.append(String.format("%02x", b));
    }
    for (JsonNode r : records) {
      assertEquals(hex.toString(), r.path("ai.prompt.system_hash").asText(), r.toString());
    }
    assertFalse(traced.recordsText().contains(KEY));
    assertFalse(traced.stderr.contains(KEY));
    assertFalse(Files.readString(traced.outputDir.resolve("summary.json")).contains(KEY));
  }
}
