package io.tracelight.core.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Incremental server-sent-events framing: splits bytes into lines (LF, CRLF or CR), joins the
 * {@code data:} lines of an event and hands each event over at its blank line. Holds one line and
 * one event, never the stream; a line longer than {@code maxLine} is skipped, and counted.
 */
public final class SseParser {
  private final SseEventHandler handler;
  private final int maxLine;
  private byte[] line = new byte[256];
  private int lineLength;
  private boolean lineOverflow;
  private byte[] data = new byte[512];
  private int dataLength;
  private boolean hasData;
  private boolean dataOverflow;
  private String event;
  private boolean lastWasCr;
  private int skippedLines;

  public SseParser(SseEventHandler handler, int maxLine) {
    this.handler = handler;
    this.maxLine = maxLine;
  }

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

  public void feed(ByteBuffer buffer) {
    if (buffer.hasArray()) {
      feed(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
      return;
    }
    byte[] chunk = new byte[Math.min(buffer.remaining(), 8192)];
    ByteBuffer view = buffer.duplicate();
    while (view.hasRemaining()) {
      int n = Math.min(chunk.length, view.remaining());
      view.get(chunk, 0, n);
      feed(chunk, 0, n);
    }
  }

  /** At the end of the body: a last event without its blank line is still delivered. */
  public void finish() {
    if (lineLength > 0 || lineOverflow) {
      endLine();
    }
    dispatch();
  }

  public int skippedLines() {
    return skippedLines;
  }

  private void appendToLine(byte b) {
    if (lineOverflow) {
      return;
    }
    if (lineLength >= maxLine) {
      lineOverflow = true;
      return;
    }
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, Math.min(maxLine, line.length * 2));
    }
    line[lineLength++] = b;
  }

  private void endLine() {
    if (lineOverflow) {
      skippedLines++;
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
    if (dataLength >= maxLine) {
      dataOverflow = true;
      return;
    }
    if (dataLength == data.length) {
      data = Arrays.copyOf(data, Math.min(maxLine, data.length * 2));
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
      skippedLines++;
    } else if (hasData) {
      handler.onEvent(event, data, dataLength);
    }
    hasData = false;
    dataOverflow = false;
    dataLength = 0;
    event = null;
  }
}
