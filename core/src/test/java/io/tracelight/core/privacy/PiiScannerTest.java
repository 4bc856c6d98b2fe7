package io.tracelight.core.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The built-in detectors on the values their standards publish as examples (card numbers from the
 * networks' test ranges, the IBAN registry's examples, AWS's documented example key, the JWT of RFC
 * 7519 section 3.1's shape) and on near misses that must not match (a Luhn or mod-97 failure,
 * never-issued SSN ranges, version strings, clock times, bare digit runs).
 */
class PiiScannerTest {

  private static List<String> find(String text) {
    List<String> out = new ArrayList<>();
    PiiScanner.scan(text, (type, start, end) -> out.add(type.label + "=" + text.substring(start, end)));
    return out;
  }

  private static void finds(String text, String... expected) {
    assertEquals(List.of(expected), find(text), text);
  }

  @Test
  void emails() {
    finds("write to jane.doe+ai@mail.example.co.uk today", "email=jane.doe+ai@mail.example.co.uk");
    finds("<a.b_c@x-y.io>.", "email=a.b_c@x-y.io");
    finds("@handle and user@localhost and x@1.2 are not addresses");
  }

  @Test
  void paymentCardsPassLuhn() {
    finds("visa 4111 1111 1111 1111 ok", "payment_card=4111 1111 1111 1111");
    finds("amex 378282246310005.", "payment_card=378282246310005");
    finds("mc 5555-5555-5555-4444", "payment_card=5555-5555-5555-4444");
    finds("not luhn 4111 1111 1111 1112");
    finds("too long 41111111111111111111111");
  }

  @Test
  void ibansPassMod97() {
    finds("pay GB82 WEST 1234 5698 7654 32 now", "iban=GB82 WEST 1234 5698 7654 32");
    finds("DE89370400440532013000", "iban=DE89370400440532013000");
    finds("to DE89 3704 0044 0532 0130 00 FROM me", "iban=DE89 3704 0044 0532 0130 00");
    finds("GB82 WEST 1234 5698 7654 33");
  }

  @Test
  void usSocialSecurityNumbers() {
    finds("ssn 123-45-6789.", "us_ssn=123-45-6789");
    finds("000-12-3456 666-12-3456 912-34-5678 123-00-4567 123-45-0000");
  }

  @Test
  void phoneNumbers() {
    finds("call +44 20 7946 0958 or (415) 555-2671 or 415.555.2671",
        "phone=+44 20 7946 0958", "phone=(415) 555-2671", "phone=415.555.2671");
    finds("1-800-555-0199", "phone=1-800-555-0199");
    finds("order 4155552671, 12 items, 2024-11-27, version 1.2.3");
  }

  @Test
  void ipAddresses() {
    finds("from 192.168.1.20, to 10.0.0.1", "ip_address=192.168.1.20", "ip_address=10.0.0.1");
    finds("v6 2001:db8::8a2e:370:7334 and fe80::1 and 2001:0db8:0000:0000:0000:ff00:0042:8329",
        "ip_address=2001:db8::8a2e:370:7334", "ip_address=fe80::1", "ip_address=2001:0db8:0000:0000:0000:ff00:0042:8329");
    finds("version 1.2.3.4.5, 256.1.1.1, at 10:30:45, std::vector, a::b");
  }

  @Test
  void secrets() {
    finds("key sk-proj-AbCdEf0123456789AbCdEf0123 here", "openai_key=sk-proj-AbCdEf0123456789AbCdEf0123");
    finds("sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123", "anthropic_key=sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123");
    finds("AKIAIOSFODNN7EXAMPLE", "aws_access_key=AKIAIOSFODNN7EXAMPLE");
    finds("AIzaSyA-1234567890abcdefghijklmnopqrstu", "google_api_key=AIzaSyA-1234567890abcdefghijklmnopqrstu");
    String jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
    finds("token " + jwt + ".", "jwt=" + jwt);
    finds("Authorization: Bearer abcdefABCDEF0123456789xyz==", "bearer_token=abcdefABCDEF0123456789xyz==");
    finds("task-management sk-short AKIA1234 Bearer short");
  }

  @Test
  void labelsBeforeANumberDoNotHideIt() {
    finds("SSN:123-45-6789", "us_ssn=123-45-6789");
    finds("tel:+14155552671", "phone=+14155552671");
    finds("card:4111111111111111", "payment_card=4111111111111111");
    finds("on 11/27/2026 at 10:30 version 2.4.1");
  }

  @Test
  void aGroupedIbanFollowedByAWordIsStillFound() {
    finds("ES91 2100 0418 4502 0005 1332 Thanks", "iban=ES91 2100 0418 4502 0005 1332");
  }

  @Test
  void keysOfAnyLengthButNotHyphenatedWords() {
    String longKey = "sk-proj-" + "Ab3".repeat(200);
    finds("k " + longKey + " end", "openai_key=" + longKey);
    finds("we use sk-learn-compatible-models and a bearer instruments-are-financial-things");
    finds("Authorization: Basic dXNlcjpwYXNzd29yZA==", "basic_credentials=dXNlcjpwYXNzd29yZA==");
    finds("Basic principles of design");
    finds("Bearer\tabcdefABCDEF0123456789xyz", "bearer_token=abcdefABCDEF0123456789xyz");
  }

  @Test
  void matchesComeInOrderWithoutOverlap() {
    finds("a@b.com 123-45-6789 4111111111111111 192.168.0.1",
        "email=a@b.com", "us_ssn=123-45-6789", "payment_card=4111111111111111", "ip_address=192.168.0.1");
  }

  @Test
  void adversarialInputsEndWithTheRightAnswer() {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 200_000; i++) {
      many.append("1 ");
    }
    finds(many.toString());
    StringBuilder ats = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      ats.append("a.");
    }
    ats.append("@example.com");
    finds(ats.toString()); // a local part longer than 64 characters is no address (RFC 5321)
    finds("to " + ats.substring(ats.length() - 40), "email=a.a.a.a.a.a.a.a.a.a.a.a.a.a.@example.com");
    finds("eyJ-".repeat(50_000)); // each start would rescan the run: the failed run is remembered
    finds("sk-".repeat(50_000));
    StringBuilder digits = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      digits.append("12-");
    }
    finds(digits.toString());
  }
}
