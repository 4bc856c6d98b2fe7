package io.tracelight.core.exchange;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes of bodies held for decoding across every call in flight. A capture that would pass the
 * limit is not made (the record says {@code ai.capture.truncated}); nothing ever waits for room.
 */
public final class CaptureBudget {
  private final AtomicLong used = new AtomicLong();
  private final long limit;

  public CaptureBudget(long limit) {
    this.limit = limit;
  }

  boolean tryReserve(long bytes) {
    long current;
    do {
      current = used.get();
      if (current + bytes > limit) {
        return false;
      }
    } while (!used.compareAndSet(current, current + bytes));
    return true;
  }

  void release(long bytes) {
    if (bytes > 0) {
      used.addAndGet(-bytes);
    }
  }

  /** Bytes held right now. */
  public long used() {
    return used.get();
  }
}
