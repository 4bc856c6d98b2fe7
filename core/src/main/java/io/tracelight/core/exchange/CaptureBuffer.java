package io.tracelight.core.exchange;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A copy of body bytes up to a cap, its memory reserved from the shared {@link CaptureBudget}.
 * Past the cap (or the budget) it is cut: a response buffer drops what it held (a cut JSON body
 * is not decoded), a request buffer keeps the part that fitted (its fields can still be read).
 * One writer at a time; read only after the writes ended.
 */
final class CaptureBuffer {
  private final int cap;
  private final CaptureBudget budget;
  private final boolean keepPrefix;
  private byte[] bytes;
  private int length;
  private long reserved;
  private boolean truncated;
  /** True once bytes were refused: a buffer that never got memory has lost nothing yet. */
  private boolean dropped;

  CaptureBuffer(int cap, long expectedLength, CaptureBudget budget, boolean keepPrefix) {
    this.cap = cap;
    this.budget = budget;
    this.keepPrefix = keepPrefix;
    // unknown length (a stream, mostly): 8 KiB holds a typical streamed answer without regrowing
    int initial = expectedLength > 0 ? (int) Math.min(expectedLength, cap) : Math.min(cap, 8192);
    if (!grow(Math.max(initial, 16))) {
      truncated = true; // no memory under the budget: nothing held, nothing lost yet
    }
  }

  /** Appends, or cuts the body when the cap or the budget is reached. */
  void append(byte[] src, int offset, int count) {
    if (!tryAppend(src, offset, count) && !truncated) {
      if (keepPrefix) {
        int room = room();
        System.arraycopy(src, offset, bytes, length, room);
        length += room;
      }
      cut();
    }
  }

  void append(ByteBuffer src) {
    if (!tryAppend(src) && !truncated) {
      if (keepPrefix) {
        int room = room();
        src.duplicate().get(bytes, length, room);
        length += room;
      }
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

  /** Forgets what was appended (the client is sending the body again), keeping the memory. */
  void reset() {
    length = 0;
    truncated = bytes == null;
    dropped = false;
  }

  /** Bytes that still fit in the array already reserved (a cut keeps at most these). */
  private int room() {
    return bytes == null ? 0 : bytes.length - length;
  }

  private boolean ensure(int count) {
    if (truncated || (long) length + count > cap) {
      return false;
    }
    if (length + count <= bytes.length) {
      return true;
    }
    return grow((int) Math.min(cap, Math.max((long) bytes.length * 2, length + count)));
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

  private void cut() {
    truncated = true;
    dropped = true;
    if (!keepPrefix) {
      bytes = null; // a cut response is not decoded, so it need not be kept
      length = 0;
      release();
    }
  }

  void release() {
    budget.release(reserved);
    reserved = 0;
  }

  /** The bytes, or null when nothing is held. */
  byte[] bytes() {
    return bytes;
  }

  int length() {
    return length;
  }

  boolean truncated() {
    return truncated;
  }

  /** True once bytes were refused (over the cap or the budget), not merely never held. */
  boolean dropped() {
    return dropped;
  }
}
