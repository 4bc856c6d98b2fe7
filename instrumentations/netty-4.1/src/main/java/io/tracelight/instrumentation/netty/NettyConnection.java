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
 * The requests of one Netty client channel, in the order they were encoded; HTTP/1.1 answers in
 * that order (pipelined or not). An AI call's place holds its exchange, any other request's a
 * marker, so that each response pairs with its own request.
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

  /**
   * Before the encoder takes {@code msg}: a request's exchange is started (returned, to be queued
   * once encoded), content is copied while the message is still alive.
   */
  static Object encoding(ChannelHandlerContext ctx, Object msg) {
    Object started = null;
    try {
      if (msg instanceof HttpRequest) {
        try {
          Exchange exchange = start(ctx, (HttpRequest) msg);
          started = exchange != null ? exchange : NOT_AI;
        } catch (Throwable t) {
          started = NOT_AI; // it still takes its place in the queue
          InternalErrors.report(NAME, "request", t);
        }
        propagate(started, (HttpRequest) msg, true);
      }
      NettyConnection c = of(ctx);
      if (c == null && started != null) {
        c = new NettyConnection();
        ctx.channel().attr(KEY).set(c);
      }
      if (c != null) {
        if (started != null) {
          c.sending = started instanceof Exchange ? (Exchange) started : null;
        }
        if (c.sending != null && (msg instanceof HttpContent || msg instanceof ByteBuf || msg instanceof FileRegion)) {
          c.requestContent(msg);
        }
      }
    } catch (Throwable t) {
      InternalErrors.report(NAME, "request", t);
    }
    return started;
  }

  /** After the encoder: a request it encoded takes its place in the queue; one it refused does not. */
  /**
   * With propagation on, the call's {@code traceparent} is set on the application's message just
   * before the encoder writes its head, and taken off once written, so a message written again
   * does not carry this call's span as its parent.
   */
  private static void propagate(Object started, HttpRequest request, boolean add) {
    try {
      String traceparent = started instanceof Exchange ? ((Exchange) started).traceparentToSend() : null;
      if (traceparent == null) {
        return;
      }
      if (add) {
        request.headers().set("traceparent", traceparent);
      } else if (traceparent.equals(request.headers().get("traceparent"))) {
        request.headers().remove("traceparent");
      }
    } catch (Throwable t) {
      InternalErrors.report(NAME, "propagation", t);
    }
  }

  static void encoded(ChannelHandlerContext ctx, Object started, Object msg, Throwable thrown) {
    if (msg instanceof HttpRequest) {
      propagate(started, (HttpRequest) msg, false);
    }
    NettyConnection c = of(ctx);
    if (c == null) {
      return;
    }
    if (thrown == null) {
      c.inFlight.add(started);
    } else {
      if (started instanceof Exchange) {
        ((Exchange) started).fail(thrown);
      }
      if (c.sending == started) {
        c.sending = null;
      }
    }
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

  /** Until the next final response, decoding ends with an interim one's empty last content. */
  private boolean interim;
  /** Inside {@code decodeLast}: how far the nested {@code decode} already showed the output. */
  private int decodedInLast = -1;

  // ---- inbound, after the decoder

  static void decoded(ChannelHandlerContext ctx, List<Object> out, int from) {
    try {
      NettyConnection c = of(ctx);
      if (c != null) {
        for (int i = from; i < out.size(); i++) {
          c.inbound(out.get(i));
        }
        if (c.decodedInLast >= 0) {
          c.decodedInLast = out.size();
        }
      }
    } catch (Throwable t) {
      InternalErrors.report(NAME, "response", t);
    }
  }

  /** {@code decodeLast} starts (the channel's input ended): it may call {@code decode}, then add its own. */
  static void decodeLastStarting(ChannelHandlerContext ctx, int outSize) {
    NettyConnection c = of(ctx);
    if (c != null) {
      c.decodedInLast = outSize;
    }
  }

  /** {@code decodeLast} ended: what it added itself (the end of a body delimited by the close). */
  static void decodeLastEnded(ChannelHandlerContext ctx, List<Object> out) {
    NettyConnection c = of(ctx);
    if (c != null && c.decodedInLast >= 0) {
      int from = c.decodedInLast;
      c.decodedInLast = -1;
      decoded(ctx, out, from);
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
      if (status == 101) { // switching protocols: no HTTP/1.1 response follows on this channel
        Object head = inFlight.poll();
        if (head instanceof Exchange) {
          ((Exchange) head).closed();
        }
        receiving = null;
        interim = true;
        return;
      }
      if (status >= 100 && status < 200) {
        interim = true; // 100 Continue, 103 Early Hints: the real answer follows
        return;
      }
      interim = false;
      Object head = inFlight.peek();
      receiving = head instanceof Exchange ? (Exchange) head : null;
      if (receiving != null) {
        receiving.responseHeaders(status, HttpUtil.getContentLength(response, -1L), response, NettyHeaders.INSTANCE);
      }
    }
    if (msg instanceof HttpContent) {
      if (interim) {
        if (msg instanceof LastHttpContent) {
          interim = false; // the interim answer's own (empty) end; the request waits on
        }
        return;
      }
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
      c.interim = false;
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
