package io.tracelight.instrumentation.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseDecoder;
import java.util.List;
import io.tracelight.core.instrumentation.Advice;

/** After the codec decoded inbound bytes: the response objects it added are shown to the exchange. */
public final class DecodeAdvice {
  private DecodeAdvice() {}

  /** How many objects the output held before this decode. */
  @Advice.OnEnter
  public static int enter(@Advice.Argument(2) List<Object> out) {
    return out.size();
  }

  @Advice.OnExit(onThrowable = true)
  public static void exit(@Advice.Enter int before, @Advice.This Object decoder,
      @Advice.Argument(0) ChannelHandlerContext ctx, @Advice.Argument(2) List<Object> out) {
    if (decoder instanceof HttpResponseDecoder && out.size() > before) {
      NettyConnection.decoded(ctx, out, before);
    }
  }
}
