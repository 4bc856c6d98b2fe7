package io.tracelight.core.protocol.framing;

/**
 * The elements of one top-level JSON array streamed element by element (Gemini's
 * {@code streamGenerateContent} without {@code alt=sse}): {@code [{...},\r\n{...}]}. It follows
 * strings and nesting, not full JSON syntax; each element is handed over whole for a real parser.
 */
public final class JsonArrayParser extends FrameParser {
  private final FrameHandler handler;
  private byte[] element = new byte[1024];
  private int length;
  private boolean overflow;
  /** Depth inside the array: 0 before '[', 1 between elements, more inside one. */
  private int depth;
  private boolean inString;
  private boolean escaped;
  private boolean closed;

  public JsonArrayParser(FrameHandler handler, int maxElement) {
    super(maxElement);
    this.handler = handler;
  }

  @Override
  public void feed(byte[] bytes, int offset, int count) {
    int end = offset + count;
    for (int i = offset; i < end && !closed; i++) {
      byte b = bytes[i];
      if (depth == 0) {
        if (b == '[') {
          depth = 1;
        }
        continue;
      }
      if (depth == 1 && !inString) {
        if (b == ']' || b == ',') {
          if (length > 0 || overflow) {
            emit(); // a scalar element ends here; objects and arrays ended at their bracket
          }
          closed = b == ']';
          continue;
        }
        if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
          continue;
        }
      }
      append(b);
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (b == '\\') {
          escaped = true;
        } else if (b == '"') {
          inString = false;
        }
        continue;
      }
      if (b == '"') {
        inString = true;
      } else if (b == '{' || b == '[') {
        depth++;
      } else if (b == '}' || b == ']') {
        depth--;
        if (depth == 1) {
          emit();
        }
      }
    }
  }

  private void append(byte b) {
    if (overflow) {
      return;
    }
    if (length >= maxFrame) {
      overflow = true;
      return;
    }
    if (length == element.length) {
      element = grow(element, length + 1, maxFrame);
    }
    element[length++] = b;
  }

  private void emit() {
    if (overflow) {
      countSkipped();
    } else if (length > 0) {
      handler.onFrame(element, length);
    }
    overflow = false;
    length = 0;
  }

  /** True once the closing ']' of the array was seen. */
  public boolean closed() {
    return closed;
  }

  @Override
  public void finish() {
    // an element cut off by the end of the body is incomplete JSON: it is not delivered
  }
}
