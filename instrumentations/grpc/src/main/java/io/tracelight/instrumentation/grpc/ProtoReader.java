package io.tracelight.instrumentation.grpc;

/**
 * Reads protobuf's wire format by field number, without generated classes: the tag of each field,
 * then its value (a varint, a fixed 32 or 64 bits, or a length-delimited part read by a reader of
 * its own). A message cut short (only its first bytes were read) ends the fields early; nothing
 * throws. One thread.
 */
final class ProtoReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int DELIMITED = 2;
  static final int FIXED32 = 5;

  final byte[] bytes;
  private int pos;
  private final int end;
  int field;
  int wireType;
  private boolean cut;

  ProtoReader(byte[] bytes, int offset, int length) {
    this.bytes = bytes;
    this.pos = offset;
    this.end = Math.min(bytes.length, offset + length);
  }

  /** Moves to the next field; false at the end (or where the message was cut). */
  boolean next() {
    if (cut || pos >= end) {
      return false;
    }
    long tag = varint();
    if (cut) {
      return false;
    }
    field = (int) (tag >>> 3);
    wireType = (int) (tag & 7);
    return field > 0;
  }

  long varint() {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        cut = true;
        return 0;
      }
      byte b = bytes[pos++];
      value |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return value;
      }
    }
    cut = true;
    return value;
  }

  /** The current length-delimited field as a reader of its own (empty when it was cut). */
  ProtoReader message() {
    long length = varint();
    if (cut || length < 0 || length > end - pos) {
      cut = true;
      return new ProtoReader(bytes, pos, Math.max(0, end - pos)); // what there is of it
    }
    ProtoReader r = new ProtoReader(bytes, pos, (int) length);
    pos += (int) length;
    return r;
  }

  String string() {
    long length = varint();
    if (cut || length < 0 || length > end - pos) {
      cut = true;
      return null;
    }
    String s = new String(bytes, pos, (int) length, java.nio.charset.StandardCharsets.UTF_8);
    pos += (int) length;
    return s;
  }

  /** The current length-delimited field's bytes, copied (what there is of them when it was cut). */
  byte[] bytesField() {
    long length = varint();
    if (cut || length < 0) {
      cut = true;
      return new byte[0];
    }
    int n = (int) Math.min(length, end - pos);
    if (n < length) {
      cut = true;
    }
    byte[] b = java.util.Arrays.copyOfRange(bytes, pos, pos + n);
    pos += n;
    return b;
  }

  int fixed32() {
    if (end - pos < 4) {
      cut = true;
      return 0;
    }
    int v = (bytes[pos] & 0xff) | (bytes[pos + 1] & 0xff) << 8 | (bytes[pos + 2] & 0xff) << 16 | (bytes[pos + 3] & 0xff) << 24;
    pos += 4;
    return v;
  }

  long fixed64() {
    long lo = fixed32() & 0xffffffffL;
    long hi = fixed32() & 0xffffffffL;
    return lo | hi << 32;
  }

  /** Skips the current field's value. */
  void skip() {
    switch (wireType) {
      case VARINT:
        varint();
        break;
      case FIXED64:
        advance(8);
        break;
      case DELIMITED:
        advance(varint());
        break;
      case FIXED32:
        advance(4);
        break;
      default:
        cut = true; // groups: not in these messages
    }
  }

  private void advance(long n) {
    if (n < 0 || n > end - pos) {
      pos = end;
      cut = true;
    } else {
      pos += (int) n;
    }
  }

  /** Bytes left to read. */
  int remaining() {
    return Math.max(0, end - pos);
  }

  boolean atEnd() {
    return cut || pos >= end;
  }

  /** True when the message was cut short before its end. */
  boolean wasCut() {
    return cut;
  }
}
