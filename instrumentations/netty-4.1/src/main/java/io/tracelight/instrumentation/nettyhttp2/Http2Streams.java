package io.tracelight.instrumentation.nettyhttp2;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.util.AttributeKey;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import io.tracelight.core.InternalErrors;
import io.tracelight.core.Log;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.Exchanges;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The HTTP/2 streams of one Netty connection that carry AI calls, by stream id. HTTP/2 frames are
 * seen where Netty's connection handler writes and reads them, below every client's own adapters
 * (Reactor Netty's, the AWS SDK's), so one stream is one call and no pairing is needed: a request
 * head the client writes starts it, the frames with that stream's id feed it, the end of the
 * stream, a reset, the stream's close (a GOAWAY's) or the connection's close ends it.
 *
 * <p>Threads: a connection's handler reads and writes on its channel's event loop (its stream
 * channels share it), and so does everything here; nothing is shared between connections. The
 * agent copies bytes and never blocks there.
 */
final class Http2Streams {
  static final String NAME = "netty-4.1-http2";
  private static final AttributeKey<Object> KEY = AttributeKey.valueOf("io.tracelight.netty.http2.streams");

  /** One AI call's stream. */
  private static final class Call {
    final Exchange exchange;
    boolean responding;

    Call(Exchange exchange) {
      this.exchange = exchange;
    }
  }

  private final IntObjectMap<Call> calls = new IntObjectHashMap<>();

  private static Http2Streams of(ChannelHandlerContext ctx) {
    Object s = ctx.channel().attr(KEY).get();
    return s instanceof Http2Streams ? (Http2Streams) s : null;
  }

  private static Call call(ChannelHandlerContext ctx, int streamId) {
    Http2Streams s = of(ctx);
    return s == null ? null : s.calls.get(streamId);
  }

  private static void forget(ChannelHandlerContext ctx, int streamId) {
    Http2Streams s = of(ctx);
    if (s != null) {
      s.calls.remove(streamId);
    }
  }

  // ---- frames the client writes

  /** A HEADERS frame went out: a request head (a client's) starts a call; trailers may end the request. */
  static void headersWritten(ChannelHandlerContext ctx, int streamId, Http2Headers headers, boolean endStream,
      ChannelFuture written) {
    try {
      if (written != null && written.isDone() && !written.isSuccess()) {
        return; // refused before it reached the wire: the client fails or retries it on its own
      }
      Call existing = call(ctx, streamId);
      if (existing != null) {
        if (endStream) {
          existing.exchange.requestSent(); // trailers end the request body
        }
        return;
      }
      CharSequence method = headers.method();
      if (method == null) {
        return; // a response: this end is a server
      }
      if (!(ctx.handler() instanceof Http2ConnectionHandler)) {
        return;
      }
      Http2Connection connection = ((Http2ConnectionHandler) ctx.handler()).connection();
      if (connection.stream(streamId) == null) {
        return; // Netty refused to open the stream
      }
      Exchange exchange = start(ctx, method.toString(), headers);
      if (exchange == null) {
        return;
      }
      if (exchange.traceparentToSend() != null) { // seen once written: too late to add a header
        Log.warnOnce("netty-http2:propagation", NAME + ": HTTP/2 requests go out without a traceparent"
            + " (tracelight.propagation covers HTTP/1.1 only on Netty); their records keep their ids");
      }
      Http2Streams s = of(ctx);
      if (s == null) {
        s = new Http2Streams();
        ctx.channel().attr(KEY).set(s);
        connection.addListener(s.new ClosedStreams());
      }
      s.calls.put(streamId, new Call(exchange));
      if (endStream) {
        exchange.requestSent();
      }
    } catch (Throwable t) {
      InternalErrors.report(NAME, "request", t);
    }
  }

  private static Exchange start(ChannelHandlerContext ctx, String method, Http2Headers headers) {
    if (!Exchanges.mayBeAiCall(method)) {
      return null;
    }
    CharSequence scheme = headers.scheme();
    CharSequence authority = headers.authority();
    CharSequence rawPath = headers.path();
    if (authority == null || rawPath == null) {
      return null;
    }
    String a = authority.toString();
    int at = a.lastIndexOf('@');
    if (at >= 0) {
      a = a.substring(at + 1);
    }
    String host = a;
    int port = -1;
    int colon = a.lastIndexOf(':');
    if (colon > a.lastIndexOf(']')) {
      host = a.substring(0, colon);
      try {
        port = Integer.parseInt(a.substring(colon + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String s = scheme == null ? "https" : scheme.toString();
    if (port < 0) {
      port = s.equals("http") ? 80 : 443;
    }
    String path = rawPath.toString();
    int query = path.indexOf('?');
    return Exchanges.start(NAME, method, s, host, port, query < 0 ? path : path.substring(0, query),
        query < 0 ? null : path.substring(query + 1), headers, Http2HeaderGetter.INSTANCE);
  }

  /** A DATA frame goes out: its bytes are copied (indexes untouched) before the writer may release it. */
  static void dataWritten(ChannelHandlerContext ctx, int streamId, ByteBuf data, boolean endStream) {
    try {
      Call c = call(ctx, streamId);
      if (c != null) {
        copy(data, c.exchange, true);
        if (endStream) {
          c.exchange.requestSent();
        }
      }
    } catch (Throwable t) {
      InternalErrors.report(NAME, "request", t);
    }
  }

  /**
   * The client resets a stream: with CANCEL the app let go of the call (closed early once its answer
   * was under way); with another code Netty found the stream broken.
   */
  static void resetWritten(ChannelHandlerContext ctx, int streamId, long errorCode) {
    try {
      Call c = call(ctx, streamId);
      if (c != null) {
        forget(ctx, streamId);
        if (errorCode != Http2Error.CANCEL.code()) {
          c.exchange.fail(new IOException("HTTP/2 stream reset by the client, error code " + errorCode));
        } else if (c.responding) {
          c.exchange.closed();
        } else {
          c.exchange.cancelled();
        }
      }
    } catch (Throwable t) {
      InternalErrors.report(NAME, "response", t);
    }
  }

  // ---- frames the client reads

  static void headersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers, boolean endOfStream) {
    try {
      Call c = call(ctx, streamId);
      if (c == null) {
        return;
      }
      if (!c.responding) {
        int status = status(headers);
        if (status >= 100 && status < 200 && !endOfStream) {
          return; // 100 Continue, 103 Early Hints: the real answer follows on this stream
        }
        c.responding = true;
        c.exchange.responseHeaders(status, contentLength(headers), headers, Http2HeaderGetter.INSTANCE);
      }
      if (endOfStream) { // no body, or the trailers after it
        forget(ctx, streamId);
        c.exchange.complete();
      }
    } catch (Throwable t) {
      InternalErrors.report(NAME, "response", t);
    }
  }

  static void dataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, boolean endOfStream) {
    try {
      Call c = call(ctx, streamId);
      if (c == null) {
        return;
      }
      copy(data, c.exchange, false);
      if (endOfStream) {
        forget(ctx, streamId);
        c.exchange.complete();
      }
    } catch (Throwable t) {
      InternalErrors.report(NAME, "response", t);
    }
  }

  static void resetRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
    try {
      Call c = call(ctx, streamId);
      if (c != null) {
        forget(ctx, streamId);
        c.exchange.fail(new IOException("HTTP/2 stream reset by the server, error code " + errorCode));
      }
    } catch (Throwable t) {
      InternalErrors.report(NAME, "response", t);
    }
  }

  /** The connection closed: calls still open end, closed early if their answer was under way. */
  static void inactive(ChannelHandlerContext ctx) {
    try {
      Http2Streams s = of(ctx);
      if (s == null) {
        return;
      }
      for (Call c : s.calls.values()) {
        if (c.responding) {
          c.exchange.closed();
        } else {
          c.exchange.fail(new IOException("connection closed before the response"));
        }
      }
      s.calls.clear();
    } catch (Throwable t) {
      InternalErrors.report(NAME, "response", t);
    }
  }

  /**
   * Streams Netty closes without a frame the hooks see (streams above a GOAWAY's last id, a
   * timeout closing the stream): a call still open when its stream closes ends there.
   */
  private final class ClosedStreams extends Http2ConnectionAdapter {
    @Override
    public void onStreamClosed(Http2Stream stream) {
      try {
        Call c = calls.remove(stream.id());
        if (c == null) {
          return;
        }
        if (c.responding) {
          c.exchange.closed();
        } else {
          c.exchange.fail(new IOException("HTTP/2 stream closed before the response"));
        }
      } catch (Throwable t) {
        InternalErrors.report(NAME, "response", t);
      }
    }
  }

  private static int status(Http2Headers headers) {
    CharSequence status = headers.status();
    if (status == null) {
      return 0;
    }
    try {
      return Integer.parseInt(status.toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static long contentLength(Http2Headers headers) {
    CharSequence length = headers.get("content-length");
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * The readable bytes, indexes untouched. The same as {@code NettyConnection}'s: each module's
   * helpers live in its own class loader, and no shared place can see Netty's classes.
   */
  private static void copy(ByteBuf buf, Exchange exchange, boolean request) {
    int length = buf.readableBytes();
    if (length == 0) {
      return;
    }
    int index = buf.readerIndex();
    int count = buf.nioBufferCount();
    if (count == 1) {
      feed(buf.nioBuffer(index, length), exchange, request);
    } else if (count > 1) {
      for (ByteBuffer b : buf.nioBuffers(index, length)) {
        feed(b, exchange, request);
      }
    } else {
      byte[] bytes = ByteBufUtil.getBytes(buf, index, length, false);
      feed(ByteBuffer.wrap(bytes), exchange, request);
    }
  }

  private static void feed(ByteBuffer b, Exchange exchange, boolean request) {
    if (request) {
      exchange.requestBytes(b);
    } else {
      exchange.responseBytes(b);
    }
  }
}
