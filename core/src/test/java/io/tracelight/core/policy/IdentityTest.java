package io.tracelight.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdentityTest {
  @Test
  void theUserIsASaltedHashAndTheSessionAsItIs() {
    Identity id = new Identity("x-user-id", "user_id", "x-session", null, "salt-1");
    assertEquals(List.of("x-user-id", "x-session"), id.headers());
    assertEquals(List.of("user_id"), id.logKeys());
    AiCall call = new AiCall();
    id.apply(call, "alice@example.com", "bob", "s-42", null);
    String hash = call.get(Keys.USER_ID);
    assertEquals(32, hash.length());
    assertEquals(hash, new Identity(null, "u", null, null, "salt-1").hash("alice@example.com"), "stable under one salt");
    assertNotEquals(hash, new Identity(null, "u", null, null, "salt-2").hash("alice@example.com"));
    assertEquals("s-42", call.get(Keys.SESSION_ID));
    assertEquals("s-42", call.get(Keys.CONVERSATION_ID));

    AiCall fromLog = new AiCall();
    id.apply(fromLog, null, "alice@example.com", null, null);
    assertEquals(hash, fromLog.get(Keys.USER_ID), "the logging context when no header");
  }

  @Test
  void aSecretHeaderIsNeverRead() {
    Identity id = new Identity("Authorization", null, "cookie", null, "s");
    assertTrue(id.headers().isEmpty());
    AiCall call = new AiCall();
    id.apply(call, null, null, null, null);
    assertNull(call.get(Keys.USER_ID));
  }
}
