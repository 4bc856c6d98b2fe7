package io.tracelight.instrumentation.urlconnection;

import java.net.HttpURLConnection;
import net.bytebuddy.asm.Advice;

/** Before {@code disconnect}: an AI call whose body was not read to its end is closed. */
public final class DisconnectAdvice {
  private DisconnectAdvice() {}

  @Advice.OnMethodEnter(inline = false, suppress = Throwable.class)
  public static void enter(@Advice.This HttpURLConnection connection) {
    UrlConnectionCall.disconnecting(connection);
  }
}
