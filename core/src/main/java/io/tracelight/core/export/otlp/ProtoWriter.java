package io.tracelight.core.export.otlp;

import java.util.Arrays;

/**
 * The Protocol Buffers wire format, written forward into one growable array: the agent carries no
 * protobuf runtime. A nested message is begun, written, then ended, which moves its bytes up by the
 * size of its length prefix, so every length is the shortest varint, as protobuf writes it. Fields
 * are written as given, defaults included (a {@code oneof} member must be present even when zero).
 * One thread at a time.
 */
final class ProtoWriter {
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private byte[] buffer;
  private int position;

  ProtoWriter(int initialCapacity) {
    buffer = new byte[Math.max(16, initialCapacity)];
  }

  void reset() {
    position = 0;
  }

  int size() {
    return position;
  }

  /** The bytes written so far, valid until the next write or reset. */
  byte[] array() {
    return buffer;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buffer, position);
  }

  void varintField(int field, long value) {
    tag(field, VARINT);
    varint(value);
  }

  void boolField(int field, boolean value) {
    varintField(field, value ? 1 : 0);
  }

  void fixed64Field(int field, long value) {
    tag(field, FIXED64);
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buffer[position++] = (byte) (value >>> (8 * i));
    }
  }

  void doubleField(int field, double value) {
    fixed64Field(field, Double.doubleToRawLongBits(value));
  }

  void fixed32Field(int field, int value) {
    tag(field, FIXED32);
    ensure(4);
    for (int i = 0; i < 4; i++) {
      buffer[position++] = (byte) (value >>> (8 * i));
    }
  }

  void bytesField(int field, byte[] bytes) {
    tag(field, LENGTH_DELIMITED);
    varint(bytes.length);
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, position, bytes.length);
    position += bytes.length;
  }

  /**
   * UTF-8, its length prefixed like a nested message's; a lone surrogate becomes {@code '?'}, as
   * {@code String.getBytes} does, so the text stays valid.
   */
  void stringField(int field, String text) {
    int mark = begin(field);
    ensure(text.length() * 3);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        buffer[position++] = (byte) c;
      } else if (c < 0x800) {
        buffer[position++] = (byte) (0xc0 | c >> 6);
        buffer[position++] = (byte) (0x80 | c & 0x3f);
      } else if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          int cp = Character.toCodePoint(c, text.charAt(++i));
          buffer[position++] = (byte) (0xf0 | cp >> 18);
          buffer[position++] = (byte) (0x80 | cp >> 12 & 0x3f);
          buffer[position++] = (byte) (0x80 | cp >> 6 & 0x3f);
          buffer[position++] = (byte) (0x80 | cp & 0x3f);
        } else {
          buffer[position++] = '?';
        }
      } else {
        buffer[position++] = (byte) (0xe0 | c >> 12);
        buffer[position++] = (byte) (0x80 | c >> 6 & 0x3f);
        buffer[position++] = (byte) (0x80 | c & 0x3f);
      }
    }
    end(mark);
  }

  /** A packed {@code repeated fixed64}. */
  void packedFixed64Field(int field, long[] values) {
    tag(field, LENGTH_DELIMITED);
    varint(8L * values.length);
    ensure(8 * values.length);
    for (long v : values) {
      for (int i = 0; i < 8; i++) {
        buffer[position++] = (byte) (v >>> (8 * i));
      }
    }
  }

  /** A packed {@code repeated double}. */
  void packedDoubleField(int field, double[] values) {
    long[] bits = new long[values.length];
    for (int i = 0; i < values.length; i++) {
      bits[i] = Double.doubleToRawLongBits(values[i]);
    }
    packedFixed64Field(field, bits);
  }

  /** Starts a nested message; pass the returned mark to {@link #end}. */
  int begin(int field) {
    tag(field, LENGTH_DELIMITED);
    return position;
  }

  void end(int mark) {
    int length = position - mark;
    int prefix = varintSize(length);
    ensure(prefix);
    System.arraycopy(buffer, mark, buffer, mark + prefix, length);
    int end = position + prefix;
    position = mark;
    varint(length);
    position = end;
  }

  private static int varintSize(long value) {
    int n = 1;
    while ((value & ~0x7fL) != 0) {
      value >>>= 7;
      n++;
    }
    return n;
  }

  private void tag(int field, int wireType) {
    varint((long) field << 3 | wireType);
  }

  private void varint(long value) {
    ensure(10);
    while ((value & ~0x7fL) != 0) {
      buffer[position++] = (byte) ((value & 0x7f) | 0x80);
      value >>>= 7;
    }
    buffer[position++] = (byte) value;
  }

  private void ensure(int more) {
    if (position + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + more));
    }
  }
}
