package io.tracelight.instrumentation.urlconnection;

import io.tracelight.core.exchange.HeaderGetter;
import java.net.HttpURLConnection;

/** Reads single request or response headers of a connection, for the agent's views. */
final class ConnectionHeaders implements HeaderGetter<HttpURLConnection> {
  /** The JDK withholds {@code Authorization} here; no protocol needs it. */
  static final ConnectionHeaders REQUEST = new ConnectionHeaders(true);
  static final ConnectionHeaders RESPONSE = new ConnectionHeaders(false);

  private final boolean request;

  private ConnectionHeaders(boolean request) {
    this.request = request;
  }

  @Override
  public String get(HttpURLConnection carrier, String name) {
    return request ? carrier.getRequestProperty(name) : carrier.getHeaderField(name);
  }
}
