package io.tracelight.instrumentation.jdkhttpclient;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import io.tracelight.core.instrumentation.Advice;

/**
 * For an AI call, swaps the application's request for one whose body is teed as it is sent and
 * its {@code BodyHandler} for one that tees the response, and watches the returned future for
 * failures before any body arrives. Dispatched by invokedynamic; signatures hold only JDK types.
 */
public final class SendAsyncAdvice {
  private SendAsyncAdvice() {}

  /** Returns {request, handler} to send instead, or null (not an AI call: nothing is assigned). */
  @Advice.OnEnter
  @Advice.ToArguments({0, 1})
  public static Object[] enter(
      @Advice.Argument(0) HttpRequest request, @Advice.Argument(1) HttpResponse.BodyHandler<?> handler) {
    return TracingBodyHandler.wrap(request, handler);
  }

  @Advice.OnExit(onThrowable = true)
  public static void exit(
      @Advice.Argument(1) HttpResponse.BodyHandler<?> handler,
      @Advice.Return CompletableFuture<?> future,
      @Advice.Thrown Throwable thrown) {
    if (handler instanceof TracingBodyHandler) {
      ((TracingBodyHandler<?>) handler).watch(future, thrown);
    }
  }
}
