package io.tracelight.core.export;

/**
 * Epoch nanoseconds as ISO-8601 UTC text with microseconds ({@code 2026-11-26T21:55:51.123456Z}),
 * written out by hand: {@code java.time}'s formatter loads about sixty classes on the first record.
 * Stateless; any thread.
 */
public final class IsoTimestamp {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final int SECONDS_PER_DAY = 86_400;
  /** Days from 0000-03-01 (the start of a 400-year era whose years begin in March) to 1970-01-01. */
  private static final long EPOCH_SHIFT_DAYS = 719_468;
  private static final int DAYS_PER_ERA = 146_097;

  private IsoTimestamp() {}

  /** The text for {@code epochNanos}; sub-microsecond digits are cut, as a six-digit pattern does. */
  public static String format(long epochNanos) {
    long seconds = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
    int micros = (int) (Math.floorMod(epochNanos, NANOS_PER_SECOND) / 1000);
    long days = Math.floorDiv(seconds, SECONDS_PER_DAY);
    int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);

    // Civil date from a day count, counting years from March so that February's length comes last.
    long shifted = days + EPOCH_SHIFT_DAYS;
    long era = Math.floorDiv(shifted, DAYS_PER_ERA);
    int dayOfEra = (int) (shifted - era * DAYS_PER_ERA);
    int yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    int dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    int monthFromMarch = (5 * dayOfYear + 2) / 153;
    int day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1;
    int month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
    long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);

    char[] out = new char[27];
    digits(out, 0, year, 4);
    out[4] = '-';
    digits(out, 5, month, 2);
    out[7] = '-';
    digits(out, 8, day, 2);
    out[10] = 'T';
    digits(out, 11, secondOfDay / 3600, 2);
    out[13] = ':';
    digits(out, 14, secondOfDay / 60 % 60, 2);
    out[16] = ':';
    digits(out, 17, secondOfDay % 60, 2);
    out[19] = '.';
    digits(out, 20, micros, 6);
    out[26] = 'Z';
    return new String(out);
  }

  private static void digits(char[] out, int at, long value, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      out[i] = (char) ('0' + value % 10);
      value /= 10;
    }
  }
}
