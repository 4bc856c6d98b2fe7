package io.tracelight.core.protocol;

import static io.tracelight.core.pipeline.ExchangeDriver.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.ExchangeDriver;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** With {@code tracelight.hash.key}, a record's content hashes are HMAC-SHA-256 with the key. */
class HashKeyTest {
  private static final String SYSTEM = "You are a helpful assistant.\nAnswer in French. Be brief.";
  private static final String ANSWER = "La capitale de la France est Paris.";

  @AfterEach
  void noKey() {
    Sha256.key(null);
  }

  private static AiCall chat() {
    return new ExchangeDriver().call(resource("chat-request.json"), 200, "application/json",
        resource("chat-response.json"), 64);
  }

  static String hex(byte[] bytes) {
    StringBuilder b = new StringBuilder();
    for (byte x : bytes) {
      b.append(String.format("%02x", x));
    }
    return b.toString();
  }

  static String hmac(String key, String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return hex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  static String sha256(String text) throws Exception {
    return hex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void contentHashesAreKeyedWhenAKeyIsSet() throws Exception {
    AiCall plain = chat();
    assertEquals(sha256(SYSTEM), plain.get(Keys.SYSTEM_HASH));
    assertEquals(sha256(ANSWER), plain.get(Keys.OUTPUT_HASH));

    Sha256.key("deployment-secret-1");
    AiCall keyed = chat();
    assertEquals(hmac("deployment-secret-1", SYSTEM), keyed.get(Keys.SYSTEM_HASH));
    assertEquals(hmac("deployment-secret-1", ANSWER), keyed.get(Keys.OUTPUT_HASH));
    assertEquals(keyed.get(Keys.SYSTEM_HASH), chat().get(Keys.SYSTEM_HASH), "comparable inside the deployment");

    Sha256.key("another-deployment");
    assertNotEquals(keyed.get(Keys.SYSTEM_HASH), chat().get(Keys.SYSTEM_HASH), "useless outside it");
  }

  @Test
  void aModelsBytesAreHashedPlainWhateverTheKey() throws Exception {
    Sha256.key("deployment-secret-1");
    byte[] model = "not really an onnx model".getBytes(StandardCharsets.UTF_8);
    assertEquals(sha256("not really an onnx model"), Sha256.hex(model, 0, model.length));
  }
}
