package io.tracelight.core.instrumentation.refs;

import io.tracelight.core.instrumentation.Advice;

/** An advice whose helper uses a library (JUnit's, here): what {@code ModuleReferences} must find. */
public final class RefsAdvice {
  private RefsAdvice() {}

  @Advice.OnEnter
  public static void enter(@Advice.Argument(0) Object value) {
    RefsHelper.check(value);
  }
}
