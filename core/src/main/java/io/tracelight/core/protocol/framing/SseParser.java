package io.tracelight.core.protocol.framing;

import java.nio.charset.StandardCharsets;

/**
 * Server-sent events ({@code text/event-stream}): splits bytes into lines (LF, CRLF or CR), joins
 * the {@code data:} lines of an event and hands each event over at its blank line. A data line's
 * bytes go straight into the event's buffer (no line buffer), so one event of at most
 * {@code maxEvent} bytes is all it holds; a longer event is skipped and counted.
 */
public final class SseParser extends FrameParser {
  private static final int MAX_FIELD = 16;
  private static final int MAX_EVENT_NAME = 256;
  /** Where the current line is. */
  private static final int FIELD = 0;
  private static final int VALUE_START = 1;
  private static final int VALUE = 2;

  private final SseEventHandler handler;
  private final byte[] field = new byte[MAX_FIELD];
  private int fieldLength;
  private int position = FIELD;
  /** The current line's field: {@code data}, {@code event}, or null for any other (ignored). */
  private String kind;
  private boolean lineEmpty = true;
  private byte[] data = new byte[512];
  private int dataLength;
  private boolean hasData;
  private boolean dataOverflow;
  private final byte[] eventName = new byte[MAX_EVENT_NAME];
  private int eventNameLength = -1;
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
        lineByte(b);
      }
    }
  }

  private void lineByte(byte b) {
    lineEmpty = false;
    switch (position) {
      case FIELD:
        if (b == ':') {
          startValue();
        } else if (fieldLength < MAX_FIELD) {
          field[fieldLength++] = b;
        } else {
          kind = null; // no field name is this long: an ignored line
          position = VALUE;
        }
        break;
      case VALUE_START:
        position = VALUE;
        if (b != ' ') { // one space after the colon is not part of the value
          value(b);
        }
        break;
      default:
        value(b);
    }
  }

  /** The field name ended at its colon: data lines start appending to the event right away. */
  private void startValue() {
    kind = fieldIs("data") ? "data" : fieldIs("event") ? "event" : null;
    position = VALUE_START;
    if ("data".equals(kind)) {
      if (hasData) {
        appendToData((byte) '\n');
      }
      hasData = true;
    } else if ("event".equals(kind)) {
      eventNameLength = 0;
    }
  }

  private void value(byte b) {
    if ("data".equals(kind)) {
      appendToData(b);
    } else if ("event".equals(kind) && eventNameLength < MAX_EVENT_NAME) {
      eventName[eventNameLength++] = b;
    }
  }

  private boolean fieldIs(String name) {
    if (fieldLength != name.length()) {
      return false;
    }
    for (int i = 0; i < fieldLength; i++) {
      if (field[i] != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private void endLine() {
    if (lineEmpty) {
      dispatch();
    } else if (position == FIELD) {
      // a line without a colon is a field with an empty value
      startValue();
    }
    fieldLength = 0;
    position = FIELD;
    kind = null;
    lineEmpty = true;
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

  private void dispatch() {
    if (dataOverflow) {
      countSkipped();
    } else if (hasData) {
      String event = eventNameLength < 0 ? null : new String(eventName, 0, eventNameLength, StandardCharsets.UTF_8);
      handler.onEvent(event, data, dataLength);
    }
    hasData = false;
    dataOverflow = false;
    dataLength = 0;
    eventNameLength = -1;
  }

  /**
   * At the end of the body: an event whose lines all ended is delivered even without its blank
   * line (some servers end with {@code data: [DONE]\n}); an event cut in the middle of a line is
   * discarded, as the SSE specification says, so no decoder reads half an event.
   */
  @Override
  public void finish() {
    if (!lineEmpty) {
      hasData = false;
      dataOverflow = false;
      dataLength = 0;
      eventNameLength = -1;
      fieldLength = 0;
      position = FIELD;
      kind = null;
      lineEmpty = true;
      return;
    }
    dispatch();
  }
}
