package io.tracelight.instrumentation.urlconnection;

import java.io.OutputStream;
import java.net.HttpURLConnection;
import io.tracelight.core.instrumentation.Advice;

/**
 * After {@code getOutputStream}: an AI call starts, and the application writes through a tee. With
 * propagation on, the call starts before it instead, while the connection still takes headers.
 */
public final class GetOutputStreamAdvice {
  private GetOutputStreamAdvice() {}

  /** Returns the call started before connecting (propagation on), else null. */
  @Advice.OnEnter
  public static Object enter(@Advice.This HttpURLConnection connection) {
    return UrlConnectionCall.beforeConnect(connection);
  }

  @Advice.OnExit(onThrowable = true)
  @Advice.ToReturned
  public static Object[] exit(@Advice.Enter Object startedNow, @Advice.This HttpURLConnection connection,
      @Advice.Return OutputStream returned, @Advice.Thrown Throwable thrown) {
    return UrlConnectionCall.requestStream(connection, returned, thrown, startedNow);
  }
}
