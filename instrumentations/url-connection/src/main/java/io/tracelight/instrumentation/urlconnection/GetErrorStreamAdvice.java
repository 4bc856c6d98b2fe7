package io.tracelight.instrumentation.urlconnection;

import java.io.InputStream;
import java.net.HttpURLConnection;
import io.tracelight.core.instrumentation.Advice;

/** After {@code getErrorStream}: the error body of an AI call is teed as the application reads it. */
public final class GetErrorStreamAdvice {
  private GetErrorStreamAdvice() {}

  @Advice.OnExit
  @Advice.ToReturned
  public static Object[] exit(@Advice.This HttpURLConnection connection, @Advice.Return InputStream returned,
      @Advice.FieldValue("responseCode") int status) {
    return UrlConnectionCall.errorStream(connection, returned, status);
  }
}
