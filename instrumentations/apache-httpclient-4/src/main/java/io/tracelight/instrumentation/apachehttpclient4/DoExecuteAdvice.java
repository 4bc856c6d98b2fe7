package io.tracelight.instrumentation.apachehttpclient4;

import io.tracelight.core.instrumentation.Advice;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;

/**
 * Around {@code doExecute}: for an AI call, the request's entity is teed while the client sends
 * it (and given back after), and the response's entity is teed as the application reads it.
 * Dispatched by invokedynamic; signatures hold only library and JDK types.
 */
public final class DoExecuteAdvice {
  private DoExecuteAdvice() {}

  /** Returns the call's state, or null when the request is no AI call. */
  @Advice.OnEnter
  public static Object enter(@Advice.Argument(0) HttpHost target, @Advice.Argument(1) HttpRequest request) {
    return Apache4Call.start(target, request);
  }

  @Advice.OnExit(onThrowable = true)
  public static void exit(@Advice.Enter Object call, @Advice.Argument(1) HttpRequest request,
      @Advice.Return Object response, @Advice.Thrown Throwable thrown) {
    if (call instanceof Apache4Call) {
      ((Apache4Call) call).end(request, response, thrown);
    }
  }
}
