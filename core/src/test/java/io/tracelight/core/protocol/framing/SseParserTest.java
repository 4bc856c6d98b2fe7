package io.tracelight.core.protocol.framing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseParserTest {
  private final List<String> events = new ArrayList<>();
  private final SseParser parser = new SseParser(
      (event, data, length) -> events.add((event == null ? "" : event + "|") + new String(data, 0, length, StandardCharsets.UTF_8)),
      64);

  private void feedByteByByte(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      parser.feed(b, i, 1);
    }
  }

  @Test
  void lineEndingsCommentsAndMultiLineData() {
    feedByteByByte(": keep-alive\n\ndata: a\r\n\r\ndata:b\rdata: c\r\revent: ping\ndata: {}\n\n");
    assertEquals(List.of("a", "b\nc", "ping|{}"), events);
  }

  @Test
  void aLastEventWithoutItsBlankLineIsDeliveredButOneCutMidLineIsNot() {
    feedByteByByte("data: one\n\ndata: two\n");
    parser.finish();
    assertEquals(List.of("one", "two"), events);
    events.clear();
    feedByteByByte("data: {\"cut\": \"in the mid");
    parser.finish();
    assertEquals(List.of(), events, "half an event is never handed to a decoder");
  }

  @Test
  void overlongLinesAreSkippedAndCounted() {
    feedByteByByte("data: " + "x".repeat(100) + "\n\ndata: ok\n\n");
    assertEquals(List.of("ok"), events);
    assertEquals(1, parser.skipped());
  }
}
