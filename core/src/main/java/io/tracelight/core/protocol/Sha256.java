package io.tracelight.core.protocol;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A running hash of content (UTF-8 text, or bytes), rendered as lowercase hex: SHA-256, or, when
 * {@code tracelight.hash.key} is set, HMAC-SHA-256 with that key, so that a short prompt's hash cannot
 * be reversed by hashing candidates outside the deployment. {@link #plain()} is SHA-256 whatever the
 * key, for what identifies bytes rather than hides content (a model file). One thread at a time.
 */
public final class Sha256 {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final String HMAC = "HmacSHA256";
  /** The content-hash key, or null; set once at start. */
  private static volatile SecretKeySpec key;
  private final MessageDigest digest;
  private final Mac mac;
  private boolean used;

  /** A content hash: HMAC-SHA-256 when a key is set, else SHA-256. */
  public Sha256() {
    this(key);
  }

  private Sha256(SecretKeySpec with) {
    try {
      if (with != null) {
        mac = Mac.getInstance(HMAC);
        mac.init(with);
        digest = null;
      } else {
        mac = null;
        digest = MessageDigest.getInstance("SHA-256");
      }
    } catch (NoSuchAlgorithmException | java.security.InvalidKeyException e) {
      throw new IllegalStateException("every JVM has SHA-256 and HMAC-SHA-256", e);
    }
  }

  /** SHA-256 whatever the key: for bytes that identify something (a model), not content to hide. */
  public static Sha256 plain() {
    return new Sha256(null);
  }

  /** Makes every content hash from now on an HMAC-SHA-256 with this key; null or empty: plain SHA-256. */
  public static void key(String secret) {
    key = secret == null || secret.isEmpty() ? null
        : new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
  }

  /** True when content hashes are keyed. */
  public static boolean keyed() {
    return key != null;
  }

  public void update(String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    update(bytes, 0, bytes.length);
  }

  public void update(byte[] bytes, int offset, int length) {
    used = true;
    if (mac != null) {
      mac.update(bytes, offset, length);
    } else {
      digest.update(bytes, offset, length);
    }
  }

  /** The buffer's remaining bytes; its position moves (pass a duplicate to keep it). */
  public void update(java.nio.ByteBuffer buffer) {
    used = true;
    if (mac != null) {
      mac.update(buffer);
    } else {
      digest.update(buffer);
    }
  }

  /** The plain SHA-256 of some bytes (see {@link #plain()}), as lowercase hex. */
  public static String hex(byte[] bytes, int offset, int length) {
    Sha256 s = plain();
    s.update(bytes, offset, length);
    return s.hex();
  }

  /** True once any text (even empty) was added. */
  public boolean used() {
    return used;
  }

  public String hex() {
    return toHex(mac != null ? mac.doFinal() : digest.digest());
  }

  /** Bytes (a digest, a MAC) as lowercase hex. */
  public static String toHex(byte[] d) {
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
