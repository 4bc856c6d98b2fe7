package io.tracelight.core.exchange;

import java.util.concurrent.ThreadLocalRandom;

/** New W3C Trace Context ids: random, lowercase hex, never all zeros (which means "no id"). Any thread. */
public final class TraceIds {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TraceIds() {}

  /** 32 hex digits. */
  public static String newTraceId() {
    char[] id = new char[32];
    writeNewTraceId(id, 0);
    return new String(id);
  }

  /** 16 hex digits. */
  public static String newSpanId() {
    char[] id = new char[16];
    writeNewSpanId(id, 0);
    return new String(id);
  }

  /** Writes a new trace id's 32 hex digits into {@code into} from {@code at}. */
  static void writeNewTraceId(char[] into, int at) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long high;
    long low;
    do {
      high = random.nextLong();
      low = random.nextLong();
    } while (high == 0 && low == 0);
    write(high, into, at);
    write(low, into, at + 16);
  }

  /** Writes a new span id's 16 hex digits into {@code into} from {@code at}. */
  static void writeNewSpanId(char[] into, int at) {
    long v;
    do {
      v = ThreadLocalRandom.current().nextLong();
    } while (v == 0);
    write(v, into, at);
  }

  private static void write(long v, char[] into, int at) {
    for (int i = 15; i >= 0; i--) {
      into[at + i] = HEX[(int) (v & 0xf)];
      v >>>= 4;
    }
  }
}
