package io.tracelight.instrumentation.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.FileRegion;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.Exchanges;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The AI calls of one Netty channel, in the order their requests were written; HTTP/1.1 answers
 * in that order. A channel gets one only once it carries an AI call; after that, other requests
 * hold their place in the queue so that responses pair with the right request.
 *
 * <p>Threads: a channel's encoder and decoder run on its event loop, and so does everything here;
 * nothing is shared between channels. The agent copies bytes and never blocks there.
 */
final class NettyConnection {
  private static final String NAME = "netty-4.1";
  private static final AttributeKey<Object> KEY = AttributeKey.valueOf("io.tracelight.netty.connection");
  /** The place of a request that is no AI call. */
  private static final Object NOT_AI = new Object();

  private final ArrayDeque<Object> inFlight = new ArrayDeque<>();
  /** The exchange whose request body is being written, or null. */
  private Exchange sending;
  /** The exchange whose response is being decoded (its headers arrived), or null. */
  private Exchange receiving;

  private static NettyConnection of(ChannelHandlerContext ctx) {
    Object c = ctx.channel().attr(KEY).get();
    return c instanceof NettyConnection ? (NettyConnection) c : null;
  }

  // ---- outbound, before the encoder

  static void encoding(ChannelHandlerContext ctx, Object msg) {
    try {
      if (msg instanceof HttpRequest) {
        request(ctx, (HttpRequest) msg);
      }
      if (msg instanceof HttpContent || msg instanceof ByteBuf || msg instanceof FileRegion) {
        NettyConnection c = of(ctx);
        if (c != null && c.sending != null) {
          c.requestContent(msg);
        }
      }
    } catch (Throwable t) {
      InternalErrors.report(NAME, "request", t);
    }
  }

  private static void request(ChannelHandlerContext ctx, HttpRequest request) {
    NettyConnection c = of(ctx);
    Exchange exchange = start(ctx, request);
    if (exchange == null) {
      if (c != null) {
        c.inFlight.add(NOT_AI);
        c.sending = null;
      }
      return;
    }
    if (c == null) {
      c = new NettyConnection();
      Attribute<Object> attr = ctx.channel().attr(KEY);
      attr.set(c);
    }
    c.inFlight.add(exchange);
    c.sending = exchange;
  }

  private static Exchange start(ChannelHandlerContext ctx, HttpRequest request) {
    String method = request.method().name();
    if (!Exchanges.mayBeAiCall(method)) {
      return null;
    }
    String uri = request.uri();
    String scheme = ctx.pipeline().get(SslHandler.class) != null ? "https" : "http";
    String authority = null;
    int pathStart = 0;
    int schemeEnd = uri.indexOf("://");
    if (schemeEnd > 0 && !uri.startsWith("/")) { // absolute form, through a proxy
      int authorityStart = schemeEnd + 3;
      int slash = uri.indexOf('/', authorityStart);
      pathStart = slash < 0 ? uri.length() : slash;
      authority = uri.substring(authorityStart, pathStart);
    }
    if (authority == null) {
      authority = request.headers().get(HttpHeaderNames.HOST);
    }
    String host = null;
    int port = -1;
    if (authority != null) {
      int colon = authority.lastIndexOf(':');
      if (colon > authority.lastIndexOf(']')) {
        host = authority.substring(0, colon);
        port = parsePort(authority.substring(colon + 1));
      } else {
        host = authority;
      }
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
    }
    SocketAddress remote = ctx.channel().remoteAddress();
    if (remote instanceof InetSocketAddress) {
      InetSocketAddress address = (InetSocketAddress) remote;
      if (host == null) {
        host = address.getHostString();
      }
      if (port < 0 && authority == null) {
        port = address.getPort();
      }
    }
    if (port < 0) {
      port = scheme.equals("https") ? 443 : 80;
    }
    int query = uri.indexOf('?', pathStart);
    String path = query < 0 ? uri.substring(pathStart) : uri.substring(pathStart, query);
    return Exchanges.start(NAME, method, scheme, host, port, path.isEmpty() ? "/" : path,
        query < 0 ? null : uri.substring(query + 1), request, NettyHeaders.INSTANCE);
  }

  private static int parsePort(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void requestContent(Object msg) {
    Exchange exchange = sending;
    if (msg instanceof FileRegion) {
      exchange.requestNotCaptured(); // written by the kernel; the agent cannot see it
      return;
    }
    ByteBuf content = msg instanceof ByteBuf ? (ByteBuf) msg : ((HttpContent) msg).content();
    copy(content, exchange, true);
    if (msg instanceof LastHttpContent) {
      exchange.requestSent();
      sending = null;
    }
  }

  // ---- inbound, after the decoder

  static void decoded(ChannelHandlerContext ctx, List<Object> out, int from) {
    try {
      NettyConnection c = of(ctx);
      if (c != null) {
        for (int i = from; i < out.size(); i++) {
          c.inbound(out.get(i));
        }
      }
    } catch (Throwable t) {
      InternalErrors.report(NAME, "response", t);
    }
  }

  private void inbound(Object msg) {
    if (msg instanceof DecoderResultProvider) {
      DecoderResult result = ((DecoderResultProvider) msg).decoderResult();
      if (result.isFailure()) {
        Object head = inFlight.poll();
        if (head instanceof Exchange) {
          ((Exchange) head).fail(result.cause());
        }
        receiving = null;
        return;
      }
    }
    if (msg instanceof HttpResponse) {
      HttpResponse response = (HttpResponse) msg;
      int status = response.status().code();
      if (status >= 100 && status < 200) {
        return; // an interim answer (100 Continue): the real one follows
      }
      Object head = inFlight.peek();
      receiving = head instanceof Exchange ? (Exchange) head : null;
      if (receiving != null) {
        receiving.responseHeaders(status, HttpUtil.getContentLength(response, -1L), response, NettyHeaders.INSTANCE);
      }
    }
    if (msg instanceof HttpContent) {
      if (receiving != null) {
        copy(((HttpContent) msg).content(), receiving, false);
      }
      if (msg instanceof LastHttpContent) {
        if (receiving != null) {
          receiving.complete();
        }
        inFlight.poll();
        receiving = null;
      }
    }
  }

  static void inactive(ChannelHandlerContext ctx) {
    try {
      NettyConnection c = of(ctx);
      if (c == null) {
        return;
      }
      for (Object pending : c.inFlight) {
        if (pending instanceof Exchange) {
          Exchange exchange = (Exchange) pending;
          if (exchange == c.receiving) {
            exchange.closed(); // the connection closed before the response's end
          } else {
            exchange.fail(new IOException("connection closed before the response"));
          }
        }
      }
      c.inFlight.clear();
      c.sending = null;
      c.receiving = null;
    } catch (Throwable t) {
      InternalErrors.report(NAME, "response", t);
    }
  }

  /** Shows the exchange the buffer's readable bytes, moving no index. */
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
      if (request) {
        exchange.requestBytes(bytes, 0, bytes.length);
      } else {
        exchange.responseBytes(bytes, 0, bytes.length);
      }
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
