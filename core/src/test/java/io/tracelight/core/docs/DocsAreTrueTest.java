package io.tracelight.core.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.config.ConfigOption;
import io.tracelight.core.export.RecordWriter;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's config table and docs/schema.md must say what the code does. */
class DocsAreTrueTest {
  private static final Path ROOT = Paths.get("..");

  @Test
  void readmeConfigTableIsRenderedFromTheDeclaredOptions() throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    String start = "<!-- config-table:start -->\n";
    String end = "<!-- config-table:end -->";
    int from = readme.indexOf(start);
    int to = readme.indexOf(end);
    assertTrue(from >= 0 && to > from, "README.md has the config-table markers");
    assertEquals(ConfigOption.markdownTable(), readme.substring(from + start.length(), to),
        "README.md's config table is stale; paste ConfigOption.markdownTable()");
  }

  @Test
  void everyRecordKeyIsInTheSchema() throws Exception {
    String schema = Files.readString(ROOT.resolve("docs/schema.md"));
    for (String key : keysOfAFullRecord()) {
      assertTrue(schema.contains("| `" + key + "` |"), "docs/schema.md lacks a row for " + key);
    }
  }

  private static List<String> keysOfAFullRecord() throws Exception {
    AiCall c = new AiCall();
    c.startEpochNanos = 1;
    c.durationNanos = 1;
    c.traceId = "t";
    c.spanId = "s";
    c.operation = "chat";
    c.provider = "openai";
    c.requestModel = "m";
    c.responseModel = "m";
    c.responseId = "id";
    c.finishReasons.add("stop");
    c.temperature = 1.0;
    c.topP = 1.0;
    c.maxTokens = 1L;
    c.stream = true;
    c.inputTokens = 1L;
    c.outputTokens = 1L;
    c.cacheReadInputTokens = 1L;
    c.reasoningOutputTokens = 1L;
    c.timeToFirstChunkNanos = 1;
    c.serverAddress = "h";
    c.serverPort = 1;
    c.httpStatus = 200;
    c.fail("x");
    c.systemHash = "h";
    c.outputHash = "h";
    c.instrumentation = "i";
    c.captureTruncated = true;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (var g = Json.FACTORY.createGenerator(out)) {
      RecordWriter.write(c, g);
    }
    List<String> keys = new ArrayList<>();
    try (JsonParser p = Json.FACTORY.createParser(out.toByteArray())) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        keys.add(p.currentName());
        p.nextToken();
        p.skipChildren();
      }
    }
    assertEquals(30, keys.size(), "every field set: " + keys);
    return keys;
  }
}
