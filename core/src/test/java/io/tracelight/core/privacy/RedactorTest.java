package io.tracelight.core.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.protocol.Sha256;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RedactorTest {
  private static final String TEXT =
      "Mail jane@example.com, card 4111 1111 1111 1111, key sk-proj-AbCdEf0123456789AbCdEf0123, ref CUST-00012345.";

  @AfterEach
  void noKey() {
    Sha256.key(null);
  }

  @Test
  void personalDataIsReplacedByTypedTokensAndCounted() {
    Redactor.Counts counts = new Redactor.Counts();
    String out = Redactor.builtIn().apply(TEXT, true, counts);
    assertEquals("Mail [EMAIL], card [PAYMENT_CARD], key [OPENAI_KEY], ref CUST-00012345.", out);
    assertEquals(List.of("email:1", "openai_key:1", "payment_card:1"), counts.asList());
  }

  @Test
  void secretsAreReplacedEvenWhenPersonalDataIsKept() {
    Redactor.Counts counts = new Redactor.Counts();
    String out = Redactor.builtIn().apply(TEXT, false, counts);
    assertEquals("Mail jane@example.com, card 4111 1111 1111 1111, key [OPENAI_KEY], ref CUST-00012345.", out);
    assertEquals(3, counts.total());
  }

  @Test
  void aKeyMakesTokensThatCorrelateWithoutRevealing() throws Exception {
    Sha256.key("k1");
    String out = Redactor.builtIn().apply("a jane@example.com b jane@example.com c joe@example.com", true,
        new Redactor.Counts());
    String jane = hmac("k1", "jane@example.com").substring(0, 6);
    String joe = hmac("k1", "joe@example.com").substring(0, 6);
    assertEquals("a [EMAIL:" + jane + "] b [EMAIL:" + jane + "] c [EMAIL:" + joe + "]", out);
  }

  private static String hmac(String key, String text) throws Exception {
    javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
    mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(java.nio.charset.StandardCharsets.UTF_8), "HmacSHA256"));
    StringBuilder b = new StringBuilder();
    for (byte x : mac.doFinal(text.getBytes(java.nio.charset.StandardCharsets.UTF_8))) {
      b.append(String.format("%02x", x));
    }
    return b.toString();
  }

  @Test
  void usersPatternsAddTypes() {
    Redactor r = Redactor.withPatterns(Map.of("customer_id", "CUST-[0-9]{8}", "broken", "(unclosed"));
    Redactor.Counts counts = new Redactor.Counts();
    String out = r.apply(TEXT, true, counts);
    assertTrue(out.endsWith("ref [CUSTOMER_ID]."), out);
    assertEquals(List.of("customer_id:1", "email:1", "openai_key:1", "payment_card:1"), counts.asList());
  }

  @Test
  void aCatastrophicPatternForBacktrackingEndsAtOnce() {
    // (a+)+b over "aaaa...c" takes exponential time in java.util.regex; RE2 is linear
    Redactor r = Redactor.withPatterns(Map.of("evil", "(a+)+b"));
    Redactor.Counts counts = new Redactor.Counts();
    String text = "a".repeat(5000) + "c";
    assertEquals(text, r.apply(text, true, counts));
    assertTrue(counts.isEmpty());
  }
}
