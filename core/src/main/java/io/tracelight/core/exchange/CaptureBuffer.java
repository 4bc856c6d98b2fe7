package io.tracelight.core.exchange;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A copy of body bytes up to a cap, its memory reserved from the shared {@link CaptureBudget};
 * past the cap (or the budget) it drops what it held and only remembers that it was cut.
 */
final class CaptureBuffer {
  private final int cap;
  private final CaptureBudget budget;
  private byte[] bytes;
  private int length;
  private long reserved;
  private boolean truncated;

  CaptureBuffer(int cap, long expectedLength, CaptureBudget budget) {
    this.cap = cap;
    this.budget = budget;
    // unknown length (a stream, mostly): 8 KiB holds a typical streamed answer without regrowing
    int initial = expectedLength > 0 ? (int) Math.min(expectedLength, cap) : Math.min(cap, 8192);
    if (!grow(Math.max(initial, 16))) {
      cut();
    }
  }

  /** Appends, or cuts the body (drops what it held) when the cap or the budget is reached. */
  void append(byte[] src, int offset, int count) {
    if (!tryAppend(src, offset, count)) {
      cut();
    }
  }

  void append(ByteBuffer src) {
    if (!tryAppend(src)) {
      cut();
    }
  }

  /** Appends if there is room under the cap and the budget; otherwise changes nothing. */
  boolean tryAppend(byte[] src, int offset, int count) {
    if (!ensure(count)) {
      return false;
    }
    System.arraycopy(src, offset, bytes, length, count);
    length += count;
    return true;
  }

  boolean tryAppend(ByteBuffer src) {
    int count = src.remaining();
    if (!ensure(count)) {
      return false;
    }
    src.duplicate().get(bytes, length, count);
    length += count;
    return true;
  }

  private boolean ensure(int count) {
    if (truncated || (long) length + count > cap) {
      return false;
    }
    return length + count <= bytes.length
        || grow((int) Math.min(cap, Math.max((long) bytes.length * 2, length + count)));
  }

  private boolean grow(int size) {
    long extra = size - (bytes == null ? 0 : bytes.length);
    if (!budget.tryReserve(extra)) {
      return false;
    }
    reserved += extra;
    bytes = bytes == null ? new byte[size] : Arrays.copyOf(bytes, size);
    return true;
  }

  /** A cut body is not decoded, so it need not be kept. */
  private void cut() {
    truncated = true;
    bytes = null;
    release();
  }

  void release() {
    budget.release(reserved);
    reserved = 0;
  }

  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  boolean truncated() {
    return truncated;
  }
}
