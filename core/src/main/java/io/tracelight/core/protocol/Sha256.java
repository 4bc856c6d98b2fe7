package io.tracelight.core.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** A running SHA-256 over UTF-8 text (or bytes), rendered as lowercase hex. One thread at a time. */
public final class Sha256 {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private final MessageDigest digest;
  private boolean used;

  public Sha256() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  public void update(String text) {
    used = true;
    digest.update(text.getBytes(StandardCharsets.UTF_8));
  }

  public void update(byte[] bytes, int offset, int length) {
    used = true;
    digest.update(bytes, offset, length);
  }

  /** The buffer's remaining bytes; its position moves (pass a duplicate to keep it). */
  public void update(java.nio.ByteBuffer buffer) {
    used = true;
    digest.update(buffer);
  }

  /** The hash of some bytes, as lowercase hex. */
  public static String hex(byte[] bytes, int offset, int length) {
    Sha256 s = new Sha256();
    s.update(bytes, offset, length);
    return s.hex();
  }

  /** True once any text (even empty) was added. */
  public boolean used() {
    return used;
  }

  public String hex() {
    byte[] d = digest.digest();
    char[] out = new char[d.length * 2];
    for (int i = 0; i < d.length; i++) {
      out[2 * i] = HEX[(d[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[d[i] & 0xf];
    }
    return new String(out);
  }

  public static String of(String text) {
    Sha256 s = new Sha256();
    s.update(text);
    return s.hex();
  }

  /** Joins texts with '\n' into one hash (several system messages or blocks). */
  public static final class Joined {
    private final Sha256 hash = new Sha256();

    public void add(String text) {
      if (hash.used()) {
        hash.update("\n");
      }
      hash.update(text);
    }

    public boolean any() {
      return hash.used();
    }

    /** The hash, or null when nothing was added. */
    public String hexOrNull() {
      return hash.used() ? hash.hex() : null;
    }
  }
}
