package io.tracelight.instrumentation.nettyhttp2;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Headers;
import io.tracelight.core.instrumentation.Advice;

/**
 * The frames Netty's HTTP/2 connection handler writes and reads, as they pass: each advice hands
 * them to {@link Http2Streams}. Frames with a body are seen on entry, while their buffer is alive.
 * Dispatched by invokedynamic; signatures hold only library and JDK types.
 */
public final class Http2Advice {
  private Http2Advice() {}

  /**
   * {@code DefaultHttp2ConnectionEncoder.writeHeaders0}: every HEADERS frame the endpoint writes, seen
   * once written, when Netty has created the stream (it refuses new streams after a GOAWAY, or past
   * the peer's limit).
   */
  public static final class HeadersWritten {
    private HeadersWritten() {}

    @Advice.OnExit(onThrowable = true)
    public static void exit(@Advice.Argument(0) ChannelHandlerContext ctx, @Advice.Argument(1) int streamId,
        @Advice.Argument(2) Http2Headers headers, @Advice.Argument(8) boolean endStream,
        @Advice.Return ChannelFuture written, @Advice.Thrown Throwable thrown) {
      if (thrown == null) {
        Http2Streams.headersWritten(ctx, streamId, headers, endStream, written);
      }
    }
  }

  /** {@code DefaultHttp2ConnectionEncoder.writeData}. */
  public static final class DataWritten {
    private DataWritten() {}

    @Advice.OnEnter
    public static void enter(@Advice.Argument(0) ChannelHandlerContext ctx, @Advice.Argument(1) int streamId,
        @Advice.Argument(2) ByteBuf data, @Advice.Argument(4) boolean endStream) {
      Http2Streams.dataWritten(ctx, streamId, data, endStream);
    }
  }

  /** {@code DefaultHttp2ConnectionEncoder.writeRstStream}. */
  public static final class ResetWritten {
    private ResetWritten() {}

    @Advice.OnEnter
    public static void enter(@Advice.Argument(0) ChannelHandlerContext ctx, @Advice.Argument(1) int streamId,
        @Advice.Argument(2) long errorCode) {
      Http2Streams.resetWritten(ctx, streamId, errorCode);
    }
  }

  /** {@code DefaultHttp2ConnectionDecoder.FrameReadListener.onHeadersRead}, the full overload. */
  public static final class HeadersRead {
    private HeadersRead() {}

    @Advice.OnEnter
    public static void enter(@Advice.Argument(0) ChannelHandlerContext ctx, @Advice.Argument(1) int streamId,
        @Advice.Argument(2) Http2Headers headers, @Advice.Argument(7) boolean endOfStream) {
      Http2Streams.headersRead(ctx, streamId, headers, endOfStream);
    }
  }

  /** {@code DefaultHttp2ConnectionDecoder.FrameReadListener.onDataRead}. */
  public static final class DataRead {
    private DataRead() {}

    @Advice.OnEnter
    public static void enter(@Advice.Argument(0) ChannelHandlerContext ctx, @Advice.Argument(1) int streamId,
        @Advice.Argument(2) ByteBuf data, @Advice.Argument(4) boolean endOfStream) {
      Http2Streams.dataRead(ctx, streamId, data, endOfStream);
    }
  }

  /** {@code DefaultHttp2ConnectionDecoder.FrameReadListener.onRstStreamRead}. */
  public static final class ResetRead {
    private ResetRead() {}

    @Advice.OnEnter
    public static void enter(@Advice.Argument(0) ChannelHandlerContext ctx, @Advice.Argument(1) int streamId,
        @Advice.Argument(2) long errorCode) {
      Http2Streams.resetRead(ctx, streamId, errorCode);
    }
  }

  /** {@code Http2ConnectionHandler.channelInactive}. */
  public static final class Inactive {
    private Inactive() {}

    @Advice.OnEnter
    public static void enter(@Advice.Argument(0) ChannelHandlerContext ctx) {
      Http2Streams.inactive(ctx);
    }
  }
}
