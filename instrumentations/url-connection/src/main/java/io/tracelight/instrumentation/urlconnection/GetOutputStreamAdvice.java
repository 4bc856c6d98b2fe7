package io.tracelight.instrumentation.urlconnection;

import java.io.OutputStream;
import java.net.HttpURLConnection;
import io.tracelight.core.instrumentation.Advice;

/** After {@code getOutputStream}: an AI call starts, and the application writes through a tee. */
public final class GetOutputStreamAdvice {
  private GetOutputStreamAdvice() {}

  @Advice.OnExit
  @Advice.ToReturned
  public static Object[] exit(@Advice.This HttpURLConnection connection, @Advice.Return OutputStream returned) {
    return UrlConnectionCall.requestStream(connection, returned);
  }
}
