package io.tracelight.instrumentation.urlconnection;

import java.io.InputStream;
import java.net.HttpURLConnection;
import io.tracelight.core.instrumentation.Advice;

/**
 * Around {@code getInputStream}: the response of an AI call is recorded (its status, or its
 * failure) and its body stream teed. The JDK calls this method from inside itself; only the
 * outermost call on a thread acts.
 */
public final class GetInputStreamAdvice {
  private GetInputStreamAdvice() {}

  /** Returns the call when this is its outermost read, else null. */
  @Advice.OnEnter
  public static Object enter(@Advice.This HttpURLConnection connection) {
    return UrlConnectionCall.enterRead(connection);
  }

  @Advice.OnExit(onThrowable = true)
  @Advice.ToReturned
  public static Object[] exit(@Advice.Enter Object call, @Advice.This HttpURLConnection connection,
      @Advice.Return InputStream returned, @Advice.Thrown Throwable thrown,
      @Advice.FieldValue("responseCode") int status) {
    if (call instanceof UrlConnectionCall) {
      return ((UrlConnectionCall) call).exitRead(connection, returned, thrown, status);
    }
    return null;
  }
}
