package io.tracelight.core.drift;

/**
 * The current window of one model: the last {@code windowCalls} calls in {@value #SLICES} slices of
 * equal size. When a slice fills, the window is checked and the oldest slice is emptied for the next
 * calls, so a check always covers the last four slices and the one that just filled.
 *
 * <p>Threads: the pipeline thread only.
 */
final class Window {
  static final int SLICES = 5;
  private final long sliceCalls;
  private int slice;
  private long callsInSlice;
  /** Calls in each slice, for the number a check covers. */
  private final long[] calls = new long[SLICES];

  Window(long windowCalls) {
    this.sliceCalls = Math.max(1, windowCalls / SLICES);
  }

  /** The slice the next call goes in. */
  int slice() {
    return slice;
  }

  /** Counts a call into the current slice; true when the slice is now full and the window is due a check. */
  boolean count() {
    calls[slice]++;
    return ++callsInSlice >= sliceCalls;
  }

  /** Moves to the next slice (the oldest); the caller empties its signals' counts at the returned index. */
  int advance() {
    slice = (slice + 1) % SLICES;
    callsInSlice = 0;
    calls[slice] = 0;
    return slice;
  }

  /** Calls the window holds now. */
  long calls() {
    long n = 0;
    for (long c : calls) {
      n += c;
    }
    return n;
  }
}
