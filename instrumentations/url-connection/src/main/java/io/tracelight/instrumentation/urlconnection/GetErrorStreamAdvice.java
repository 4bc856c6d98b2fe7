package io.tracelight.instrumentation.urlconnection;

import java.io.InputStream;
import java.net.HttpURLConnection;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** After {@code getErrorStream}: the error body of an AI call is teed as the application reads it. */
public final class GetErrorStreamAdvice {
  private GetErrorStreamAdvice() {}

  @Advice.OnMethodExit(inline = false, suppress = Throwable.class)
  @Advice.AssignReturned.ToReturned(index = 0, typing = Assigner.Typing.DYNAMIC)
  public static Object[] exit(@Advice.This HttpURLConnection connection, @Advice.Return InputStream returned,
      @Advice.FieldValue("responseCode") int status) {
    return UrlConnectionCall.errorStream(connection, returned, status);
  }
}
