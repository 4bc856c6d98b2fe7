package io.tracelight.core.protocol.framing;

import static io.tracelight.core.pipeline.ExchangeDriver.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.protocol.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The reusable framings, fed in every chunking, on recorded payloads. */
class FramingTest {
  private static void feed(FrameParser parser, byte[] bytes, int chunk) {
    for (int i = 0; i < bytes.length; i += chunk) {
      parser.feed(bytes, i, Math.min(chunk, bytes.length - i));
    }
    parser.finish();
  }

  private static String text(byte[] b, int offset, int length) {
    return new String(b, offset, length, StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 7, 64, 1 << 20})
  void ndjsonLinesInAnyChunking(int chunk) {
    List<String> lines = new ArrayList<>();
    LineParser parser = new LineParser((b, n) -> lines.add(text(b, 0, n)), 1 << 20);
    feed(parser, resource("ollama/chat-stream.ndjson"), chunk);
    String[] expected = text(resource("ollama/chat-stream.ndjson"), 0, resource("ollama/chat-stream.ndjson").length)
        .split("\r?\n");
    assertEquals(Arrays.stream(expected).filter(s -> !s.isBlank()).count(), lines.size());
    assertTrue(lines.get(lines.size() - 1).contains("\"done\":true") || lines.get(lines.size() - 1).contains("\"done\": true"));
  }

  @Test
  void ndjsonCrlfBlankLinesAndALastLineWithoutNewline() {
    List<String> lines = new ArrayList<>();
    LineParser parser = new LineParser((b, n) -> lines.add(text(b, 0, n)), 16);
    feed(parser, "{\"a\":1}\r\n\r\n   \n{\"b\":2}\n{\"this line is far too long\"}\n{\"c\":3}\n{\"cut".getBytes(StandardCharsets.UTF_8), 3);
    assertEquals(List.of("{\"a\":1}", "{\"b\":2}", "{\"c\":3}"), lines);
    assertEquals(1, parser.skipped(), "the overlong line is skipped and counted, never held");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 50, 1 << 20})
  void jsonArrayElementsInAnyChunking(int chunk) throws Exception {
    List<String> elements = new ArrayList<>();
    JsonArrayParser parser = new JsonArrayParser((b, n) -> elements.add(text(b, 0, n)), 1 << 20);
    feed(parser, resource("gemini/stream-array.json"), chunk);
    assertTrue(parser.closed());
    assertTrue(elements.size() >= 2, elements.toString());
    for (String e : elements) {
      try (JsonParser p = Json.FACTORY.createParser(e)) {
        assertEquals(JsonToken.START_OBJECT, p.nextToken(), e);
        p.skipChildren();
        assertEquals(null, p.nextToken(), "each element is one whole JSON object: " + e);
      }
    }
  }

  @Test
  void jsonArrayStringsWithBracketsAndEscapesDoNotConfuseIt() {
    List<String> elements = new ArrayList<>();
    JsonArrayParser parser = new JsonArrayParser((b, n) -> elements.add(text(b, 0, n)), 1 << 10);
    feed(parser, "[{\"t\":\"a ] } [ {\\\"q\\\"\"},\n\"s\", 12 ,{\"x\":[1,{}]}]".getBytes(StandardCharsets.UTF_8), 1);
    assertEquals(List.of("{\"t\":\"a ] } [ {\\\"q\\\"\"}", "\"s\"", "12", "{\"x\":[1,{}]}"), elements);
  }

  @Test
  void jsonArrayCutMidElementDeliversOnlyWholeOnes() {
    List<String> elements = new ArrayList<>();
    JsonArrayParser parser = new JsonArrayParser((b, n) -> elements.add(text(b, 0, n)), 1 << 10);
    feed(parser, "[{\"a\":1},{\"b\":".getBytes(StandardCharsets.UTF_8), 4);
    assertEquals(List.of("{\"a\":1}"), elements);
    assertFalse(parser.closed());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 13, 100, 1 << 20})
  void awsEventStreamMessagesMatchTheirRecordedEvents(int chunk) throws Exception {
    List<String> types = new ArrayList<>();
    List<String> payloads = new ArrayList<>();
    EventStreamParser parser = new EventStreamParser(m -> {
      types.add(m.header(":event-type"));
      assertEquals("event", m.header(":message-type"));
      assertEquals("application/json", m.header(":content-type"));
      payloads.add(text(m.payload(), m.payloadOffset(), m.payloadLength()));
    }, 1 << 20);
    feed(parser, resource("bedrock/converse-stream.bin"), chunk);
    List<String> expectedTypes = new ArrayList<>();
    for (String line : text(resource("bedrock/converse-stream-events.jsonl"), 0,
        resource("bedrock/converse-stream-events.jsonl").length).split("\n")) {
      if (!line.isBlank()) {
        try (JsonParser p = Json.FACTORY.createParser(line)) {
          p.nextToken();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (name.equals("event-type")) {
              expectedTypes.add(p.getText());
            }
            p.skipChildren();
          }
        }
      }
    }
    assertEquals(expectedTypes, types);
    assertFalse(parser.corrupt());
    assertFalse(parser.midMessage());
    assertEquals(0, parser.skipped());
    assertTrue(payloads.get(payloads.size() - 1).contains("\"usage\""), payloads.toString());
  }

  @Test
  void awsEventStreamExceptionFrame() {
    List<String> kinds = new ArrayList<>();
    EventStreamParser parser = new EventStreamParser(m -> kinds.add(m.header(":message-type") + ":"
        + (m.header(":exception-type") != null ? m.header(":exception-type") : m.header(":event-type"))), 1 << 20);
    feed(parser, resource("bedrock/converse-stream-exception.bin"), 7);
    assertTrue(kinds.get(kinds.size() - 1).startsWith("exception:"), kinds.toString());
  }

  @Test
  void awsEventStreamCorruptionStopsAndOversizedMessagesAreSkipped() {
    byte[] frames = resource("bedrock/converse-stream.bin");
    byte[] corrupt = frames.clone();
    corrupt[20] ^= 0x5a; // inside the first message: its checksum no longer holds
    List<String> seen = new ArrayList<>();
    EventStreamParser parser = new EventStreamParser(m -> seen.add(m.header(":event-type")), 1 << 20);
    feed(parser, corrupt, 64);
    assertTrue(parser.corrupt());
    assertTrue(seen.isEmpty(), "nothing after a bad checksum is trusted: " + seen);

    List<String> small = new ArrayList<>();
    EventStreamParser tight = new EventStreamParser(m -> small.add(m.header(":event-type")), 64);
    feed(tight, frames, 9);
    assertFalse(tight.corrupt());
    assertTrue(tight.skipped() > 0, "messages over the cap are skipped without being held");
    assertEquals(tight.skipped() + small.size(), tight.messages() + tight.skipped());
  }

  @Test
  void awsEventStreamCutMidMessage() {
    byte[] frames = resource("bedrock/converse-stream.bin");
    EventStreamParser parser = new EventStreamParser(m -> { }, 1 << 20);
    feed(parser, Arrays.copyOf(frames, frames.length - 5), 11);
    assertTrue(parser.midMessage());
  }

  @Test
  void directBuffersAreReadWithoutMovingThem() {
    List<String> lines = new ArrayList<>();
    LineParser parser = new LineParser((b, n) -> lines.add(text(b, 0, n)), 64);
    ByteBuffer direct = ByteBuffer.allocateDirect(32);
    direct.put("one\ntwo\n".getBytes(StandardCharsets.UTF_8)).flip();
    parser.feed(direct);
    assertEquals(0, direct.position());
    assertEquals(List.of("one", "two"), lines);
  }
}
