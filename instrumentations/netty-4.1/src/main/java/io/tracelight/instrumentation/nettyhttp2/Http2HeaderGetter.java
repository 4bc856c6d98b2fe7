package io.tracelight.instrumentation.nettyhttp2;

import io.netty.handler.codec.http2.Http2Headers;
import io.tracelight.core.exchange.HeaderGetter;

/** Reads single HTTP/2 headers (lower-case names on the wire) for the agent's views. */
final class Http2HeaderGetter implements HeaderGetter<Http2Headers> {
  static final Http2HeaderGetter INSTANCE = new Http2HeaderGetter();

  private Http2HeaderGetter() {}

  @Override
  public String get(Http2Headers carrier, String name) {
    CharSequence value = carrier.get(name); // asked in lower case, as HTTP/2 sends them
    return value == null ? null : value.toString();
  }
}
