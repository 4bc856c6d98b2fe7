package io.tracelight.core.protocol.framing;

import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The AWS event-stream binary framing ({@code application/vnd.amazon.eventstream}, Bedrock's
 * streaming responses): each message is a 12-byte prelude (total length, headers length, CRC32 of
 * the first 8 bytes), headers, a payload and a CRC32 of everything before it. Messages longer than
 * {@code maxMessage} are skipped without being held; a bad checksum stops the parse (there is no
 * way to find the next message boundary), and both are counted in {@link #skipped()}.
 */
public final class EventStreamParser extends FrameParser {
  /** Receives each well-formed message; the message object is reused, valid during the call only. */
  public interface Handler {
    void onMessage(Message message);
  }

  /** One decoded message: its string headers and its payload. */
  public static final class Message {
    private byte[] bytes;
    private int headersStart;
    private int headersEnd;
    private int payloadEnd;

    /** The value of a string header ({@code :event-type}, {@code :message-type}, ...), or null. */
    public String header(String name) {
      int i = headersStart;
      byte[] b = bytes;
      while (i < headersEnd) {
        int nameLength = b[i] & 0xff;
        int nameStart = i + 1;
        int type = b[nameStart + nameLength] & 0xff;
        int value = nameStart + nameLength + 1;
        int valueLength = valueLength(b, type, value);
        if (valueLength < 0) {
          return null;
        }
        if (type == 7 && nameLength == name.length() && matches(b, nameStart, name)) {
          return new String(b, value + 2, valueLength - 2, StandardCharsets.UTF_8);
        }
        i = value + valueLength;
      }
      return null;
    }

    public byte[] payload() {
      return bytes;
    }

    public int payloadOffset() {
      return headersEnd;
    }

    public int payloadLength() {
      return payloadEnd - headersEnd;
    }

    private static boolean matches(byte[] b, int at, String name) {
      for (int k = 0; k < name.length(); k++) {
        if (b[at + k] != name.charAt(k)) {
          return false;
        }
      }
      return true;
    }

    /** Bytes a header value takes (its length prefix included), or -1 for an unknown type. */
    private static int valueLength(byte[] b, int type, int at) {
      switch (type) {
        case 0:
        case 1:
          return 0;
        case 2:
          return 1;
        case 3:
          return 2;
        case 4:
          return 4;
        case 5:
        case 8:
          return 8;
        case 6:
        case 7:
          return 2 + (((b[at] & 0xff) << 8) | (b[at + 1] & 0xff));
        case 9:
          return 16;
        default:
          return -1;
      }
    }
  }

  private static final int PRELUDE = 12;
  private final Handler handler;
  private final Message message = new Message();
  private final CRC32 crc = new CRC32();
  private byte[] buffer = new byte[1024];
  private int length;
  /** Bytes of the current message, known once its prelude is read; 0 before. */
  private long total;
  /** Bytes of an oversized message still to skip. */
  private long skipping;
  private boolean corrupt;
  private int messages;

  public EventStreamParser(Handler handler, int maxMessage) {
    super(Math.max(maxMessage, 64));
    this.handler = handler;
  }

  @Override
  public void feed(byte[] bytes, int offset, int count) {
    int i = offset;
    int end = offset + count;
    while (i < end && !corrupt) {
      if (skipping > 0) {
        int n = (int) Math.min(skipping, end - i);
        skipping -= n;
        i += n;
        continue;
      }
      int want = (int) (total == 0 ? PRELUDE : total) - length;
      int n = Math.min(want, end - i);
      ensure(length + n);
      System.arraycopy(bytes, i, buffer, length, n);
      length += n;
      i += n;
      if (total == 0 && length == PRELUDE) {
        readPrelude();
      } else if (total > 0 && length == total) {
        readMessage();
      }
    }
  }

  private void readPrelude() {
    long totalLength = readInt(0);
    long headersLength = readInt(4);
    crc.reset();
    crc.update(buffer, 0, 8);
    if (crc.getValue() != readInt(8) || totalLength < 16 || headersLength > totalLength - 16) {
      corrupt = true;
      countSkipped();
      return;
    }
    if (totalLength > maxFrame) {
      countSkipped();
      skipping = totalLength - PRELUDE;
      length = 0;
      return;
    }
    total = totalLength;
  }

  private void readMessage() {
    int t = (int) total;
    crc.reset();
    crc.update(buffer, 0, t - 4);
    if (crc.getValue() != readInt(t - 4)) {
      corrupt = true;
      countSkipped();
      return;
    }
    message.bytes = buffer;
    message.headersStart = PRELUDE;
    message.headersEnd = PRELUDE + (int) readInt(4);
    message.payloadEnd = t - 4;
    messages++;
    total = 0;
    length = 0;
    handler.onMessage(message);
  }

  private void ensure(int size) {
    if (size > buffer.length) {
      buffer = grow(buffer, size, maxFrame);
    }
  }

  private long readInt(int at) {
    return ((buffer[at] & 0xffL) << 24) | ((buffer[at + 1] & 0xffL) << 16) | ((buffer[at + 2] & 0xffL) << 8)
        | (buffer[at + 3] & 0xffL);
  }

  /** True when a checksum failed and parsing stopped. */
  public boolean corrupt() {
    return corrupt;
  }

  /** Well-formed messages delivered so far. */
  public int messages() {
    return messages;
  }

  /** True when the body ended in the middle of a message. */
  public boolean midMessage() {
    return length > 0 || skipping > 0;
  }

  @Override
  public void finish() {
    // a message cut off by the end of the body has no checksum to trust: it is not delivered
  }
}
