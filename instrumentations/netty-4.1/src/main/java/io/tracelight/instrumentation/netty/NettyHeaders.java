package io.tracelight.instrumentation.netty;

import io.netty.handler.codec.http.HttpMessage;
import io.tracelight.core.exchange.HeaderGetter;

/** Reads single headers of Netty requests and responses, for the agent's views. */
final class NettyHeaders implements HeaderGetter<HttpMessage> {
  static final NettyHeaders INSTANCE = new NettyHeaders();

  private NettyHeaders() {}

  @Override
  public String get(HttpMessage carrier, String name) {
    return carrier.headers().get(name);
  }
}
