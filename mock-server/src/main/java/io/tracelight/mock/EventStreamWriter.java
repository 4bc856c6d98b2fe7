package io.tracelight.mock;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Frames of {@code application/vnd.amazon.eventstream}, as Bedrock streams them: a prelude
 * (total length, headers length, CRC32 of those 8 bytes), string headers, the payload, and a
 * CRC32 of everything before it. Integers are big-endian.
 */
final class EventStreamWriter {
  private static final byte STRING = 7;

  private EventStreamWriter() {}

  /** An event; Bedrock sends its three headers in this order. */
  static byte[] event(String eventType, byte[] payload) {
    return frame(payload, ":event-type", eventType, ":content-type", "application/json", ":message-type", "event");
  }

  /** A modelled error inside a 200 stream, e.g. {@code modelStreamErrorException}. */
  static byte[] exception(String exceptionType, byte[] payload) {
    return frame(payload, ":exception-type", exceptionType, ":content-type", "application/json",
        ":message-type", "exception");
  }

  /** A frame with string headers given as name, value, name, value... */
  static byte[] frame(byte[] payload, String... headers) {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    for (int i = 0; i < headers.length; i += 2) {
      byte[] name = headers[i].getBytes(StandardCharsets.UTF_8);
      byte[] value = headers[i + 1].getBytes(StandardCharsets.UTF_8);
      h.write(name.length);
      h.writeBytes(name);
      h.write(STRING);
      h.write(value.length >>> 8);
      h.write(value.length & 0xff);
      h.writeBytes(value);
    }
    byte[] headerBytes = h.toByteArray();
    int total = 12 + headerBytes.length + payload.length + 4;
    ByteBuffer b = ByteBuffer.allocate(total);
    b.putInt(total).putInt(headerBytes.length);
    b.putInt((int) crc(b.array(), 0, 8));
    b.put(headerBytes).put(payload);
    b.putInt((int) crc(b.array(), 0, total - 4));
    return b.array();
  }

  private static long crc(byte[] bytes, int from, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, from, length);
    return crc.getValue();
  }
}
