package io.tracelight.instrumentation.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequestEncoder;
import net.bytebuddy.asm.Advice;

/** Before the codec encodes an outbound message: a request starts an exchange, content is copied. */
public final class EncodeAdvice {
  private EncodeAdvice() {}

  @Advice.OnMethodEnter(inline = false, suppress = Throwable.class)
  public static void enter(@Advice.This Object encoder, @Advice.Argument(0) ChannelHandlerContext ctx,
      @Advice.Argument(1) Object msg) {
    if (encoder instanceof HttpRequestEncoder) {
      NettyConnection.encoding(ctx, msg);
    }
  }
}
