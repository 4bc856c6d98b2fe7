package io.tracelight.core.instrumentation.refs;

import org.junit.jupiter.api.Assertions;
import org.opentest4j.AssertionFailedError;

/** Reached only through {@link RefsAdvice}: its references count as the module's. */
final class RefsHelper {
  private RefsHelper() {}

  static void check(Object value) {
    try {
      Assertions.assertNotNull(value);
    } catch (AssertionFailedError e) {
      throw new IllegalStateException(e.getMessage()); // a method AssertionFailedError inherits
    }
  }
}
