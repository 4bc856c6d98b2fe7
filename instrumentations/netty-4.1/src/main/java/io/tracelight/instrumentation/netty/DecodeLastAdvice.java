package io.tracelight.instrumentation.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.util.List;
import io.tracelight.core.instrumentation.Advice;

/**
 * Around the decoder's last decoding when the channel's input ends: the end of a body delimited by
 * the connection's close is added here, outside {@code decode}.
 */
public final class DecodeLastAdvice {
  private DecodeLastAdvice() {}

  @Advice.OnEnter
  public static void enter(@Advice.This Object decoder, @Advice.Argument(0) ChannelHandlerContext ctx,
      @Advice.Argument(2) List<Object> out) {
    if (decoder instanceof HttpResponseDecoder) {
      NettyConnection.decodeLastStarting(ctx, out.size());
    }
  }

  @Advice.OnExit(onThrowable = true)
  public static void exit(@Advice.This Object decoder, @Advice.Argument(0) ChannelHandlerContext ctx,
      @Advice.Argument(2) List<Object> out) {
    if (decoder instanceof HttpResponseDecoder) {
      NettyConnection.decodeLastEnded(ctx, out);
    }
  }
}
