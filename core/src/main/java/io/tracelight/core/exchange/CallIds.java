package io.tracelight.core.exchange;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Every AI call's {@code ai.call.id}: 128 random bits drawn on the application's thread when the call
 * starts (two {@code ThreadLocalRandom} longs, no allocation), so the application can ask for it right
 * after the call ({@code Tracelight.lastCall()}) while the record is still being made. Each thread
 * remembers its last call's id in a two-long holder made once per thread.
 *
 * <p>Threads: {@link #draw}, {@link #seen} and {@link #lastOnThisThread} on any application thread, each touching only
 * its own thread's holder; {@link #hex} and {@link #parse} are pure.
 */
public final class CallIds {
  private CallIds() {}

  private static final ThreadLocal<long[]> LAST = new ThreadLocal<long[]>() {
    @Override
    protected long[] initialValue() {
      return new long[2];
    }
  };

  /**
   * Draws a call id (never all zeros), remembers it as this thread's last and returns this thread's
   * holder with it: read both longs at once, before the thread's next call.
   */
  static long[] draw() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high = random.nextLong();
    long low = random.nextLong();
    long[] last = LAST.get();
    last[0] = high;
    last[1] = high == 0 && low == 0 ? 1 : low;
    return last;
  }

  /**
   * Makes a call this thread's last: the thread that receives an asynchronous call's answer (an HTTP
   * client's callback or I/O thread, where the application's continuation usually runs) can then ask for it.
   */
  static void seen(long high, long low) {
    long[] last = LAST.get();
    last[0] = high;
    last[1] = low;
  }

  /** This thread's last call's id (started, or answered, on it), as 32 lowercase hex digits, or null when none. */
  public static String lastOnThisThread() {
    long[] last = LAST.get();
    return last[0] == 0 && last[1] == 0 ? null : hex(last[0], last[1]);
  }

  public static String hex(long high, long low) {
    char[] out = new char[32];
    fill(out, 0, high);
    fill(out, 16, low);
    return new String(out);
  }

  private static void fill(char[] out, int at, long v) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = Character.forDigit((int) (v & 0xf), 16);
      v >>>= 4;
    }
  }

  /** The two longs of a 32-hex-digit id, or null when {@code id} is not one. */
  public static long[] parse(String id) {
    if (id == null || id.length() != 32) {
      return null;
    }
    try {
      return new long[] {Long.parseUnsignedLong(id.substring(0, 16), 16), Long.parseUnsignedLong(id.substring(16), 16)};
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
