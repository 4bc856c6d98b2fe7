package io.tracelight.instrumentation.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseDecoder;
import net.bytebuddy.asm.Advice;

/** After the client's decoder saw its channel close: a response not yet at its end ends closed. */
public final class ChannelInactiveAdvice {
  private ChannelInactiveAdvice() {}

  @Advice.OnMethodExit(inline = false, suppress = Throwable.class, onThrowable = Throwable.class)
  public static void exit(@Advice.This Object decoder, @Advice.Argument(0) ChannelHandlerContext ctx) {
    if (decoder instanceof HttpResponseDecoder) {
      NettyConnection.inactive(ctx);
    }
  }
}
