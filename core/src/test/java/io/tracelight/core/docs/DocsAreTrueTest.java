package io.tracelight.core.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.config.ConfigOption;
import io.tracelight.core.export.RecordWriter;
import io.tracelight.core.export.SchemaDoc;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.AttributeKey;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.ExchangeDriver;
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
  void schemaAttributeTableIsRenderedFromTheDeclaredKeys() throws Exception {
    ExchangeDriver.PROTOCOLS.all(); // every protocol's own keys declared
    String schema = Files.readString(ROOT.resolve("docs/schema.md"));
    String start = "<!-- attributes:start -->\n";
    String end = "<!-- attributes:end -->";
    int from = schema.indexOf(start);
    int to = schema.indexOf(end);
    assertTrue(from >= 0 && to > from, "docs/schema.md has the attribute-table markers");
    assertEquals(SchemaDoc.attributeTable(AttributeKey.all()), schema.substring(from + start.length(), to),
        "docs/schema.md's attribute table is stale; paste SchemaDoc.attributeTable(AttributeKey.all())");
  }

  @Test
  void everyEnvelopeKeyIsInTheSchema() throws Exception {
    String schema = Files.readString(ROOT.resolve("docs/schema.md"));
    AiCall c = new AiCall();
    c.traceId = "t";
    c.spanId = "s";
    c.set(Keys.OPERATION, "chat");
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
    assertEquals(8, keys.size(), "the envelope and one attribute: " + keys);
    for (String key : keys) {
      assertTrue(schema.contains("| `" + key + "` |"), "docs/schema.md lacks a row for " + key);
    }
  }
}
