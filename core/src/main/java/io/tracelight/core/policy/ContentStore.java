package io.tracelight.core.policy;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.Log;
import io.tracelight.core.export.RollingFile;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The restricted store for captured text ({@code tracelight.capture.store=file}): {@code content.jsonl}
 * in the output directory, readable by its owner only, one line per call keyed by a reference the
 * record carries ({@code ai.content.ref}), so the record (and every exporter) holds no text. With
 * {@code TRACELIGHT_CONTENT_KEY} each line's text is sealed with AES-256-GCM (a fresh 96-bit nonce
 * per line, the reference as associated data); {@code java -jar tracelight-agent.jar content <file>}
 * opens it again. Pipeline thread only.
 */
public final class ContentStore {
  private final RollingFile file;
  private final SecretKeySpec key;
  private final SecureRandom random;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);
  private boolean broken;
  private long failed;

  private ContentStore(RollingFile file, SecretKeySpec key) {
    this.file = file;
    this.key = key;
    this.random = key == null ? null : new SecureRandom();
    this.broken = file == null;
  }

  /**
   * Opens the store; when the file cannot be written it says so and the store keeps nothing (the
   * text never falls back into the record).
   */
  public static ContentStore open(Path dir, String contentKey, long maxBytes, boolean daily,
      RollingFile.Retention retention) {
    RollingFile file = RollingFile.openOwnerOnly(dir, "content", maxBytes, daily, retention);
    if (file == null) {
      Log.warn("captured text is not kept anywhere (tracelight.capture.store=file and the file cannot be written)");
    }
    return new ContentStore(file, aesKey(contentKey));
  }

  /** AES-256 key from the configured secret: its SHA-256 (a passphrase or a random string alike). */
  static SecretKeySpec aesKey(String secret) {
    if (secret == null || secret.isEmpty()) {
      return null;
    }
    try {
      return new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)),
          "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /** Stores the call's text; returns its reference, or null when it could not be written. */
  public String put(AiCall call, String system, String input, String output) {
    if (broken) {
      failed++;
      return null;
    }
    String ref = call.traceId + "-" + call.spanId;
    try {
      byte[] text = textJson(ref, system, input, output);
      if (file.due(0)) {
        file.rotate();
      }
      if (key == null) {
        file.stream().write(text);
      } else {
        file.stream().write(sealed(ref, text));
      }
      file.stream().write('\n');
      return ref;
    } catch (IOException | GeneralSecurityException e) {
      broken = true;
      failed++;
      Log.warn("writing " + file.file() + " failed (" + e + "); captured text is not kept from now on");
      return null;
    }
  }

  private byte[] textJson(String ref, String system, String input, String output) throws IOException {
    buffer.reset();
    try (JsonGenerator g = Json.FACTORY.createGenerator(buffer)) {
      g.writeStartObject();
      g.writeStringField("ref", ref);
      if (system != null) {
        g.writeStringField("gen_ai.system_instructions", system);
      }
      if (input != null) {
        g.writeStringField("gen_ai.input.messages", input);
      }
      if (output != null) {
        g.writeStringField("gen_ai.output.messages", output);
      }
      g.writeEndObject();
    }
    return buffer.toByteArray();
  }

  private byte[] sealed(String ref, byte[] text) throws IOException, GeneralSecurityException {
    byte[] nonce = new byte[12];
    random.nextBytes(nonce);
    Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
    aes.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
    aes.updateAAD(ref.getBytes(StandardCharsets.UTF_8));
    byte[] data = aes.doFinal(text);
    buffer.reset();
    try (JsonGenerator g = Json.FACTORY.createGenerator(buffer)) {
      g.writeStartObject();
      g.writeStringField("ref", ref);
      g.writeStringField("alg", "AES-256-GCM");
      g.writeStringField("nonce", Base64.getEncoder().encodeToString(nonce));
      g.writeStringField("data", Base64.getEncoder().encodeToString(data));
      g.writeEndObject();
    }
    return buffer.toByteArray();
  }

  public void flush() {
    if (file != null) {
      file.sweepHourly(); // text past its age goes even while nothing new is written
    }
    if (!broken) {
      try {
        file.flush();
      } catch (IOException e) {
        broken = true;
        Log.warn("writing " + file.file() + " failed (" + e + "); captured text is not kept from now on");
      }
    }
  }

  public void close() {
    flush();
    try {
      if (file != null) {
        file.close();
      }
    } catch (IOException ignored) {
      // said by flush
    }
  }

  public long failed() {
    return failed;
  }

  /**
   * Opens a sealed line again: the plain JSON of its text. Fails (a {@link GeneralSecurityException})
   * with the wrong key or a line that was changed.
   */
  static String open(String line, SecretKeySpec key) throws IOException, GeneralSecurityException {
    String ref = null;
    String nonce = null;
    String data = null;
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    try (JsonParser p = Json.parser(bytes, 0, bytes.length)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("ref")) {
          ref = p.getText();
        } else if (name.equals("nonce")) {
          nonce = p.getText();
        } else if (name.equals("data")) {
          data = p.getText();
        } else {
          p.skipChildren();
        }
      }
    }
    if (data == null) {
      return line; // stored without a key
    }
    Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
    aes.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, Base64.getDecoder().decode(nonce)));
    aes.updateAAD(ref.getBytes(StandardCharsets.UTF_8));
    return new String(aes.doFinal(Base64.getDecoder().decode(data)), StandardCharsets.UTF_8);
  }

  /**
   * {@code java -jar tracelight-agent.jar content <file> [ref]}: prints each line's text (or the one
   * with {@code ref}), opening sealed lines with {@code TRACELIGHT_CONTENT_KEY}.
   */
  public static int main(String[] args) {
    if (args.length < 2 || args.length > 3) {
      System.err.println("usage: java -jar tracelight-agent.jar content <content file> [ref]"
          + "  (TRACELIGHT_CONTENT_KEY in the environment opens sealed lines)");
      return 2;
    }
    SecretKeySpec key = aesKey(System.getenv("TRACELIGHT_CONTENT_KEY"));
    try {
      int n = 0;
      for (String line : Files.readAllLines(java.nio.file.Paths.get(args[1]), StandardCharsets.UTF_8)) {
        n++;
        if (args.length == 3 && !line.contains("\"ref\":\"" + args[2] + "\"")) {
          continue;
        }
        if (line.contains("\"data\":\"") && key == null) {
          System.err.println("line " + n + " is sealed: set TRACELIGHT_CONTENT_KEY");
          return 1;
        }
        try {
          System.out.println(open(line, key));
        } catch (GeneralSecurityException e) {
          System.err.println("line " + n + " does not open: the wrong key, or the line was changed");
          return 1;
        }
      }
      return 0;
    } catch (IOException e) {
      System.err.println("cannot read " + args[1] + ": " + e);
      return 1;
    }
  }
}
