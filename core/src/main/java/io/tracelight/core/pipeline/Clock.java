package io.tracelight.core.pipeline;

/** Turns {@link System#nanoTime()} stamps into wall-clock time with one anchor taken at start. */
public final class Clock {
  private static final long ANCHOR_EPOCH_NANOS = System.currentTimeMillis() * 1_000_000L;
  private static final long ANCHOR_NANO_TIME = System.nanoTime();

  private Clock() {}

  public static long epochNanos(long nanoTime) {
    return ANCHOR_EPOCH_NANOS + (nanoTime - ANCHOR_NANO_TIME);
  }
}
