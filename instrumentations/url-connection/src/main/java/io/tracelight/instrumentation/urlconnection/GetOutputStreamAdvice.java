package io.tracelight.instrumentation.urlconnection;

import java.io.OutputStream;
import java.net.HttpURLConnection;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** After {@code getOutputStream}: an AI call starts, and the application writes through a tee. */
public final class GetOutputStreamAdvice {
  private GetOutputStreamAdvice() {}

  @Advice.OnMethodExit(inline = false, suppress = Throwable.class)
  @Advice.AssignReturned.ToReturned(index = 0, typing = Assigner.Typing.DYNAMIC)
  public static Object[] exit(@Advice.This HttpURLConnection connection, @Advice.Return OutputStream returned) {
    return UrlConnectionCall.requestStream(connection, returned);
  }
}
