package io.tracelight.instrumentation.nettyhttp2;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.MethodMatcher;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Netty's HTTP/2 connection handler (netty-codec-http2), under every client built on it: Reactor
 * Netty with {@code h2}/{@code h2c} (Spring's {@code WebClient}), the AWS SDK's
 * {@code netty-nio-client}, whose Bedrock async client speaks HTTP/2 by default. A module of its
 * own beside {@code netty-4.1}, so that an app without netty-codec-http2 still gets HTTP/1.1.
 * The hooks are where frames are written ({@code DefaultHttp2ConnectionEncoder}) and read
 * ({@code DefaultHttp2ConnectionDecoder.FrameReadListener}), and the connection's close.
 */
public final class NettyHttp2Module implements InstrumentationModule {
  private static final String PKG = "io.tracelight.instrumentation.nettyhttp2.Http2Advice$";
  private static final String H2 = "io.netty.handler.codec.http2.";
  private static final String CTX = "io.netty.channel.ChannelHandlerContext";

  @Override
  public String name() {
    return "netty-4.1-http2";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(
        hook(H2 + "DefaultHttp2ConnectionEncoder",
            MethodMatcher.named("writeHeaders0").takesArguments(10).takesArgument(2, H2 + "Http2Headers"),
            "HeadersWritten"),
        hook(H2 + "DefaultHttp2ConnectionEncoder",
            MethodMatcher.named("writeData").takesArguments(6).takesArgument(2, "io.netty.buffer.ByteBuf"),
            "DataWritten"),
        hook(H2 + "DefaultHttp2ConnectionEncoder", MethodMatcher.named("writeRstStream").takesArguments(4),
            "ResetWritten"),
        hook(H2 + "DefaultHttp2ConnectionDecoder$FrameReadListener",
            MethodMatcher.named("onHeadersRead").takesArguments(8).takesArgument(2, H2 + "Http2Headers"),
            "HeadersRead"),
        hook(H2 + "DefaultHttp2ConnectionDecoder$FrameReadListener",
            MethodMatcher.named("onDataRead").takesArguments(5).takesArgument(2, "io.netty.buffer.ByteBuf"),
            "DataRead"),
        hook(H2 + "DefaultHttp2ConnectionDecoder$FrameReadListener",
            MethodMatcher.named("onRstStreamRead").takesArguments(3),
            "ResetRead"),
        hook(H2 + "Http2ConnectionHandler", MethodMatcher.named("channelInactive").takesArguments(1), "Inactive"));
  }

  private static TypeInstrumentation hook(String type, MethodMatcher method, String advice) {
    return new TypeInstrumentation() {
      @Override
      public List<String> typeNames() {
        return Collections.singletonList(type);
      }

      @Override
      public void transform(TypeTransformer transformer) {
        transformer.applyAdviceToMethod(method.takesArgument(0, CTX), PKG + advice);
      }
    };
  }
}
