package io.tracelight.core.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Small helpers for reading ids out of raw (percent-encoded) URL paths. */
public final class Paths {
  private Paths() {}

  /** Percent-decodes one path segment (no '+' handling: that is a query convention). */
  public static String decode(String segment) {
    if (segment.indexOf('%') < 0) {
      return segment;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(segment.length());
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c == '%' && i + 2 < segment.length()) {
        int hi = Character.digit(segment.charAt(i + 1), 16);
        int lo = Character.digit(segment.charAt(i + 2), 16);
        if (hi >= 0 && lo >= 0) {
          out.write(hi * 16 + lo);
          i += 2;
          continue;
        }
      }
      byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
      out.write(b, 0, b.length);
    }
    return new String(out.toByteArray(), StandardCharsets.UTF_8);
  }

  /**
   * The segment after {@code marker} in {@code path} (up to the next '/' or ':' when
   * {@code colonEnds}), decoded; null when the marker is absent.
   */
  public static String segmentAfter(String path, String marker, boolean colonEnds) {
    int at = path.indexOf(marker);
    if (at < 0) {
      return null;
    }
    int from = at + marker.length();
    int end = from;
    while (end < path.length()) {
      char c = path.charAt(end);
      if (c == '/' || (colonEnds && c == ':')) {
        break;
      }
      end++;
    }
    return end > from ? decode(path.substring(from, end)) : null;
  }
}
