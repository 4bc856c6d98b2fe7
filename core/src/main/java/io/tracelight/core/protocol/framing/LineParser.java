package io.tracelight.core.protocol.framing;

/**
 * Newline-delimited frames ({@code application/x-ndjson}, JSON Lines): one frame per line, LF or
 * CRLF; blank lines are skipped. A last line without its newline is not delivered: when a body is
 * cut mid-line, no decoder reads half a frame.
 */
public final class LineParser extends FrameParser {
  private final FrameHandler handler;
  private byte[] line = new byte[512];
  private int length;
  private boolean overflow;

  public LineParser(FrameHandler handler, int maxLine) {
    super(maxLine);
    this.handler = handler;
  }

  @Override
  public void feed(byte[] bytes, int offset, int count) {
    int end = offset + count;
    for (int i = offset; i < end; i++) {
      byte b = bytes[i];
      if (b == '\n') {
        endLine();
      } else if (!overflow) {
        if (length >= maxFrame) {
          overflow = true;
        } else {
          if (length == line.length) {
            line = grow(line, length + 1, maxFrame);
          }
          line[length++] = b;
        }
      }
    }
  }

  @Override
  public void finish() {
    length = 0;
    overflow = false;
  }

  private void endLine() {
    if (overflow) {
      countSkipped();
    } else {
      int n = length;
      if (n > 0 && line[n - 1] == '\r') {
        n--;
      }
      if (!blank(n)) {
        handler.onFrame(line, n);
      }
    }
    overflow = false;
    length = 0;
  }

  private boolean blank(int n) {
    for (int i = 0; i < n; i++) {
      byte b = line[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }
}
