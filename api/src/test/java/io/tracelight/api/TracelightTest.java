package io.tracelight.api;

import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Without the agent every method is harmless. */
class TracelightTest {
  @Test
  void withoutTheAgentNothingHappensAndNothingThrows() {
    assertNull(Tracelight.lastCall());
    Tracelight.feedback(null, Double.NaN, null);
    Tracelight.feedback("abc", 1, "thumbs_up");
    Tracelight.outcome("abc", "chargeback");
    Tracelight.outcome(null, 3.5);
    try (Tracelight.Scope scope = Tracelight.session("s-1", "u-1")) {
      assertNull(Tracelight.lastCall());
    }
    Tracelight.session(null, null).close();
  }
}
