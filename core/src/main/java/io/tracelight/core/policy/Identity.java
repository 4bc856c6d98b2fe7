package io.tracelight.core.policy;

import io.tracelight.core.Log;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Who made a call: the user and session ids from a request header or the application's logging
 * context (an MDC key), as the user configured. The user id is recorded only as a salted hash
 * ({@code user.id}), the session id as it is ({@code session.id}, {@code gen_ai.conversation.id}).
 * Immutable after construction; {@link #apply} on the pipeline thread.
 */
public final class Identity {
  private final String userHeader;
  private final String userLogKey;
  private final String sessionHeader;
  private final String sessionLogKey;
  private final SecretKeySpec salt;

  public Identity(String userHeader, String userLogKey, String sessionHeader, String sessionLogKey, String salt) {
    this.userHeader = header(userHeader, "user");
    this.userLogKey = emptyToNull(userLogKey);
    this.sessionHeader = header(sessionHeader, "session");
    this.sessionLogKey = emptyToNull(sessionLogKey);
    byte[] secret;
    if (salt != null && !salt.isEmpty()) {
      secret = salt.getBytes(StandardCharsets.UTF_8);
    } else if (this.userHeader == null && this.userLogKey == null) {
      secret = new byte[1]; // no user id is read: nothing is hashed
    } else {
      secret = new byte[32];
      new SecureRandom().nextBytes(secret);
      Log.warn("user ids are hashed with a salt made at start, so user.id differs between runs; set "
          + "TRACELIGHT_USER_SALT (or TRACELIGHT_HASH_KEY) to keep it stable");
    }
    this.salt = new SecretKeySpec(secret, "HmacSHA256");
  }

  public static Identity none() {
    return new Identity(null, null, null, null, "unused");
  }

  private static String emptyToNull(String s) {
    return s == null || s.trim().isEmpty() ? null : s.trim();
  }

  private static String header(String name, String what) {
    String h = emptyToNull(name);
    if (h != null && Secrets.isSecretHeader(h)) {
      Log.warn("tracelight." + what + ".header=" + h + " names a header that holds a secret; it is never read");
      return null;
    }
    return h;
  }

  /** The request headers to copy from AI requests. */
  public List<String> headers() {
    List<String> out = new ArrayList<>(2);
    if (userHeader != null) {
      out.add(userHeader);
    }
    if (sessionHeader != null) {
      out.add(sessionHeader);
    }
    return out;
  }

  /** The logging-context keys to read on the application's thread. */
  public List<String> logKeys() {
    List<String> out = new ArrayList<>(2);
    if (userLogKey != null) {
      out.add(userLogKey);
    }
    if (sessionLogKey != null) {
      out.add(sessionLogKey);
    }
    return out;
  }

  public String userHeader() {
    return userHeader;
  }

  public String userLogKey() {
    return userLogKey;
  }

  public String sessionHeader() {
    return sessionHeader;
  }

  public String sessionLogKey() {
    return sessionLogKey;
  }

  /** Sets the ids on the call: the header's value first, else the logging context's. */
  public void apply(AiCall call, String userFromHeader, String userFromLog, String sessionFromHeader,
      String sessionFromLog) {
    String user = userFromHeader != null ? userFromHeader : userFromLog;
    if (user != null && !user.isEmpty()) {
      call.set(Keys.USER_ID, hash(user));
    }
    String session = sessionFromHeader != null ? sessionFromHeader : sessionFromLog;
    if (session != null && !session.isEmpty()) {
      call.set(Keys.SESSION_ID, session);
      call.set(Keys.CONVERSATION_ID, session);
    }
  }

  String hash(String user) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(salt);
      return io.tracelight.core.protocol.Sha256.toHex(mac.doFinal(user.getBytes(StandardCharsets.UTF_8))).substring(0, 32);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has HMAC-SHA-256", e);
    }
  }
}
