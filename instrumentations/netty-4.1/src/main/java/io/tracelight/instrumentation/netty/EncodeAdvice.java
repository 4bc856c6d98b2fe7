package io.tracelight.instrumentation.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequestEncoder;
import io.tracelight.core.instrumentation.Advice;

/**
 * Around the codec's encoding of an outbound message: a request starts an exchange (queued once
 * encoded), content is copied before the encoder releases it.
 */
public final class EncodeAdvice {
  private EncodeAdvice() {}

  /** Returns the request's exchange or a marker when {@code msg} is a request, else null. */
  @Advice.OnEnter
  public static Object enter(@Advice.This Object encoder, @Advice.Argument(0) ChannelHandlerContext ctx,
      @Advice.Argument(1) Object msg) {
    return encoder instanceof HttpRequestEncoder ? NettyConnection.encoding(ctx, msg) : null;
  }

  @Advice.OnExit(onThrowable = true)
  public static void exit(@Advice.Enter Object started, @Advice.Argument(0) ChannelHandlerContext ctx,
      @Advice.Argument(1) Object msg, @Advice.Thrown Throwable thrown) {
    if (started != null) {
      NettyConnection.encoded(ctx, started, msg, thrown);
    }
  }
}
