package io.tracelight.instrumentation.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.tracelight.core.instrumentation.Advice;

/** After the client's decoder saw its channel close: a response not yet at its end ends closed. */
public final class ChannelInactiveAdvice {
  private ChannelInactiveAdvice() {}

  @Advice.OnExit(onThrowable = true)
  public static void exit(@Advice.This Object decoder, @Advice.Argument(0) ChannelHandlerContext ctx) {
    if (decoder instanceof HttpResponseDecoder) {
      NettyConnection.inactive(ctx);
    }
  }
}
