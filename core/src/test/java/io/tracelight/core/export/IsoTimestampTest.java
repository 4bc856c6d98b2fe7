package io.tracelight.core.export;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class IsoTimestampTest {
  private static final DateTimeFormatter JAVA_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

  private static String javaTime(long epochNanos) {
    return JAVA_TIME.format(Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
        Math.floorMod(epochNanos, 1_000_000_000L)));
  }

  @Test
  void knownInstants() {
    assertEquals("1970-01-01T00:00:00.000000Z", IsoTimestamp.format(0));
    assertEquals("1969-12-31T23:59:59.999999Z", IsoTimestamp.format(-1));
    assertEquals("2024-02-29T12:34:56.789012Z", IsoTimestamp.format(1_709_210_096_789_012_345L));
    assertEquals("2262-04-11T23:47:16.854775Z", IsoTimestamp.format(Long.MAX_VALUE));
    assertEquals("1677-09-21T00:12:43.145224Z", IsoTimestamp.format(Long.MIN_VALUE));
  }

  @Test
  void agreesWithJavaTimeOverTheWholeRange() {
    SplittableRandom random = new SplittableRandom(26);
    for (int i = 0; i < 200_000; i++) {
      long nanos = random.nextLong();
      assertEquals(javaTime(nanos), IsoTimestamp.format(nanos), "epoch nanos " + nanos);
    }
  }

  @Test
  void agreesWithJavaTimeEitherSideOfEveryMidnight() {
    long day = 86_400L * 1_000_000_000L;
    for (long d = -106_000; d < 106_000; d++) { // every day from 1679 to 2260
      long midnight = d * day;
      assertEquals(javaTime(midnight), IsoTimestamp.format(midnight));
      assertEquals(javaTime(midnight - 1), IsoTimestamp.format(midnight - 1));
    }
  }
}
