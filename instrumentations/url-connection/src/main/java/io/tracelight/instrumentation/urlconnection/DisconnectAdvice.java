package io.tracelight.instrumentation.urlconnection;

import java.net.HttpURLConnection;
import io.tracelight.core.instrumentation.Advice;

/** Before {@code disconnect}: an AI call whose body was not read to its end is closed. */
public final class DisconnectAdvice {
  private DisconnectAdvice() {}

  @Advice.OnEnter
  public static void enter(@Advice.This HttpURLConnection connection) {
    UrlConnectionCall.disconnecting(connection);
  }
}
