package io.tracelight.instrumentation.netty;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Arrays;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

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
      public ElementMatcher<TypeDescription> typeMatcher() {
        return named(type);
      }

      @Override
      public void transform(TypeTransformer transformer) {
        transformer.applyAdviceToMethod(named(method).and(takesArguments(3))
            .and(takesArgument(0, named("io.netty.channel.ChannelHandlerContext")))
            .and(takesArgument(1, named(second)))
            .and(takesArgument(2, named("java.util.List"))), PKG + advice);
      }
    };
  }

  static final class ChannelInactive implements TypeInstrumentation {
    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("io.netty.handler.codec.ByteToMessageDecoder");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(named("channelInactive").and(takesArguments(1))
          .and(takesArgument(0, named("io.netty.channel.ChannelHandlerContext"))), PKG + "ChannelInactiveAdvice");
    }
  }
}
