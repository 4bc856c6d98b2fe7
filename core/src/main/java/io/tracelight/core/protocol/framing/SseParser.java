package io.tracelight.core.protocol.framing;

import java.nio.charset.StandardCharsets;

/**
 * Server-sent events ({@code text/event-stream}): splits bytes into lines (LF, CRLF or CR), joins
 * the {@code data:} lines of an event and hands each event over at its blank line.
 */
public final class SseParser extends FrameParser {
  private final SseEventHandler handler;
  private byte[] line = new byte[256];
  private int lineLength;
  private boolean lineOverflow;
  private byte[] data = new byte[512];
  private int dataLength;
  private boolean hasData;
  private boolean dataOverflow;
  private String event;
  private boolean lastWasCr;

  public SseParser(SseEventHandler handler, int maxEvent) {
    super(maxEvent);
    this.handler = handler;
  }

  @Override
  public void feed(byte[] bytes, int offset, int length) {
    int end = offset + length;
    for (int i = offset; i < end; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        if (lastWasCr) {
          lastWasCr = false;
        } else {
          endLine();
        }
      } else if (b == '\r') {
        lastWasCr = true;
        endLine();
      } else {
        lastWasCr = false;
        appendToLine(b);
      }
    }
  }

  /**
   * At the end of the body: an event whose lines all ended is delivered even without its blank
   * line (some servers end with {@code data: [DONE]\n}); an event cut in the middle of a line is
   * discarded, as the SSE specification says, so no decoder reads half an event.
   */
  @Override
  public void finish() {
    if (lineLength > 0 || lineOverflow) {
      lineLength = 0;
      lineOverflow = false;
      hasData = false;
      dataOverflow = false;
      dataLength = 0;
      event = null;
      return;
    }
    dispatch();
  }

  private void appendToLine(byte b) {
    if (lineOverflow) {
      return;
    }
    if (lineLength >= maxFrame) {
      lineOverflow = true;
      return;
    }
    if (lineLength == line.length) {
      line = grow(line, lineLength + 1, maxFrame);
    }
    line[lineLength++] = b;
  }

  private void endLine() {
    if (lineOverflow) {
      countSkipped();
      lineOverflow = false;
      lineLength = 0;
      return;
    }
    if (lineLength == 0) {
      dispatch();
      return;
    }
    if (startsWith("data:")) {
      int from = 5;
      if (from < lineLength && line[from] == ' ') {
        from++;
      }
      if (hasData) {
        appendToData((byte) '\n');
      }
      for (int i = from; i < lineLength; i++) {
        appendToData(line[i]);
      }
      hasData = true;
    } else if (startsWith("event:")) {
      int from = lineLength > 6 && line[6] == ' ' ? 7 : 6;
      event = new String(line, from, lineLength - from, StandardCharsets.UTF_8);
    }
    lineLength = 0;
  }

  private void appendToData(byte b) {
    if (dataOverflow) {
      return;
    }
    if (dataLength >= maxFrame) {
      dataOverflow = true;
      return;
    }
    if (dataLength == data.length) {
      data = grow(data, dataLength + 1, maxFrame);
    }
    data[dataLength++] = b;
  }

  private boolean startsWith(String field) {
    if (lineLength < field.length()) {
      return false;
    }
    for (int i = 0; i < field.length(); i++) {
      if (line[i] != field.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void dispatch() {
    if (dataOverflow) {
      countSkipped();
    } else if (hasData) {
      handler.onEvent(event, data, dataLength);
    }
    hasData = false;
    dataOverflow = false;
    dataLength = 0;
    event = null;
  }
}
