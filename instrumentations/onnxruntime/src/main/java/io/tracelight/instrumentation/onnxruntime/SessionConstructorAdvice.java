package io.tracelight.instrumentation.onnxruntime;

import ai.onnxruntime.OrtSession;
import io.tracelight.core.instrumentation.Advice;

/** After a session is made from a file or from bytes: remembers which, and its metadata. */
public final class SessionConstructorAdvice {
  private SessionConstructorAdvice() {}

  @Advice.OnExit
  public static void exit(@Advice.This OrtSession session, @Advice.Argument(1) Object source) {
    ModelSources.remember(session, source);
  }
}
