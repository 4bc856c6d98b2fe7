package io.tracelight.instrumentation.onnxruntime;

import io.tracelight.core.instrumentation.Advice;

/** After a session is made from a file or from bytes: remembers which. */
public final class SessionConstructorAdvice {
  private SessionConstructorAdvice() {}

  @Advice.OnExit
  public static void exit(@Advice.This Object session, @Advice.Argument(1) Object source) {
    ModelSources.remember(session, source);
  }
}
