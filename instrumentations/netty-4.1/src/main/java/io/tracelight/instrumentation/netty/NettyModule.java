package io.tracelight.instrumentation.netty;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.MethodMatcher;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Netty's HTTP/1.1 client codec, under every client built on it: Reactor Netty (Spring's
 * {@code WebClient}), the Vert.x web client, the AWS SDK's {@code netty-nio-client}. Requests are
 * seen as the codec encodes them and responses as it decodes them, on the channel's event loop;
 * the agent only copies bytes there and never waits. The hooks: {@code HttpObjectEncoder.encode},
 * {@code HttpObjectDecoder.decode} and {@code decodeLast}, {@code ByteToMessageDecoder.channelInactive},
 * each acting only for a client's encoder and decoder.
 */
public final class NettyModule implements InstrumentationModule {
  private static final String PKG = "io.tracelight.instrumentation.netty.";

  @Override
  public String name() {
    return "netty-4.1";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(
        hook("io.netty.handler.codec.http.HttpObjectEncoder", "encode", "java.lang.Object", "EncodeAdvice"),
        hook("io.netty.handler.codec.http.HttpObjectDecoder", "decode", "io.netty.buffer.ByteBuf", "DecodeAdvice"),
        hook("io.netty.handler.codec.http.HttpObjectDecoder", "decodeLast", "io.netty.buffer.ByteBuf",
            "DecodeLastAdvice"),
        new ChannelInactive());
  }

  /** {@code method(ChannelHandlerContext, <second>, List)} of one class. */
  private static TypeInstrumentation hook(String type, String method, String second, String advice) {
    return new TypeInstrumentation() {
      @Override
      public List<String> typeNames() {
        return Collections.singletonList(type);
      }

      @Override
      public void transform(TypeTransformer transformer) {
        transformer.applyAdviceToMethod(MethodMatcher.named(method).takesArguments(3)
            .takesArgument(0, "io.netty.channel.ChannelHandlerContext")
            .takesArgument(1, second)
            .takesArgument(2, "java.util.List"), PKG + advice);
      }
    };
  }

  static final class ChannelInactive implements TypeInstrumentation {
    @Override
    public List<String> typeNames() {
      return Collections.singletonList("io.netty.handler.codec.ByteToMessageDecoder");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(MethodMatcher.named("channelInactive").takesArguments(1)
          .takesArgument(0, "io.netty.channel.ChannelHandlerContext"), PKG + "ChannelInactiveAdvice");
    }
  }
}
