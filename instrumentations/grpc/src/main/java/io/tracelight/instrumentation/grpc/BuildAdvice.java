package io.tracelight.instrumentation.grpc;

import io.grpc.internal.ManagedChannelImplBuilder;
import io.tracelight.core.instrumentation.Advice;

/** Before a channel is built: our interceptor joins the builder's, once per builder. */
public final class BuildAdvice {
  private BuildAdvice() {}

  @Advice.OnEnter
  public static void enter(@Advice.This ManagedChannelImplBuilder builder) {
    TracingInterceptor.addTo(builder);
  }
}
