package io.tracelight.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA-256 an audit line ends with when {@code TRACELIGHT_AUDIT_KEY} is set: computed over
 * the line without it, appended as its last member {@code "mac"}. One thread at a time.
 */
final class AuditMac {
  static final String FIELD = ",\"mac\":\"";
  private final Mac mac;

  private AuditMac(Mac mac) {
    this.mac = mac;
  }

  /** Null when there is no key. */
  static AuditMac of(String key) {
    if (key == null || key.isEmpty()) {
      return null;
    }
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return new AuditMac(m);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HMAC-SHA-256", e);
    }
  }

  /** The hex HMAC of {@code bytes[0..length)}. */
  String hex(byte[] bytes, int length) {
    mac.update(bytes, 0, length);
    return io.tracelight.core.protocol.Sha256.toHex(mac.doFinal());
  }

  /** {@code {...}} becomes {@code {...,"mac":"<hex>"}}. */
  byte[] append(byte[] body) {
    String tag = hex(body, body.length);
    byte[] suffix = (FIELD + tag + "\"}").getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[body.length - 1 + suffix.length];
    System.arraycopy(body, 0, out, 0, body.length - 1);
    System.arraycopy(suffix, 0, out, body.length - 1, suffix.length);
    return out;
  }
}
