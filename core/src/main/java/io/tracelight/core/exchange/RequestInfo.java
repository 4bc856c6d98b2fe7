package io.tracelight.core.exchange;

import io.tracelight.core.protocol.Protocols;
import io.tracelight.core.protocol.RequestView;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@link RequestView} of one request. While protocols match it, on the application's thread,
 * it reads declared headers straight from the client's request object; once a protocol matched,
 * {@link #freeze} copies the values that protocol declared and drops that object, so it is
 * immutable from then on and may be read by any thread.
 */
final class RequestInfo implements RequestView {
  private final Protocols protocols;
  private final String method;
  private final String scheme;
  private final String host;
  private final int port;
  private final String path;
  private final String rawQuery;
  private Object carrier;
  private HeaderGetter<Object> getter;
  /** Set by {@link #freeze}: the matched protocol's names and their values. */
  private String[] headerNames;
  private String[] headerValues;
  private String[] queryNames;
  private String[] queryValues;
  /**
   * The headers the record policy reads (fidelity rules, user and session ids), set once at start;
   * {@link #freeze} copies their values, only for AI requests.
   */
  static volatile String[] recordedNames = new String[0];
  /** Set by {@link #freeze}: the values of {@link #recordedNames}, or null when none is asked for. */
  private String[] recordedValues;
  /** Set by {@link #freeze}: the request's W3C {@code traceparent}, or null. */
  private String traceparent;

  @SuppressWarnings("unchecked")
  <C> RequestInfo(Protocols protocols, String method, String scheme, String host, int port, String path,
      String rawQuery, C carrier, HeaderGetter<C> getter) {
    this.protocols = protocols;
    this.method = method;
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.path = path;
    this.rawQuery = rawQuery;
    this.carrier = carrier;
    this.getter = (HeaderGetter<Object>) getter;
  }

  /** Copies the header and query values {@code matched} declared, then forgets the client's request object. */
  void freeze(Protocols.Entry matched) {
    String[] recorded = recordedNames;
    if (recorded.length > 0) {
      String[] values = new String[recorded.length];
      for (int i = 0; i < recorded.length; i++) {
        values[i] = liveHeader(recorded[i]);
      }
      recordedValues = values;
    }
    String[] names = matched.requestHeaders;
    String[] values = names.length == 0 ? names : new String[names.length];
    for (int i = 0; i < names.length; i++) {
      values[i] = liveHeader(names[i]);
    }
    String[] params = matched.queryParameters;
    String[] query = params.length == 0 ? params : new String[params.length];
    for (int i = 0; i < params.length; i++) {
      query[i] = parseQuery(params[i]);
    }
    traceparent = liveHeader("traceparent");
    headerValues = values;
    queryValues = query;
    headerNames = names;
    queryNames = params;
    carrier = null;
    getter = null;
  }

  /** A header the record policy asked for, copied when the request matched; null when absent or not asked for. */
  String recordedHeader(String name) {
    String[] names = recordedNames;
    for (int i = 0; recordedValues != null && i < names.length && i < recordedValues.length; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        return recordedValues[i];
      }
    }
    return null;
  }

  String traceparent() {
    return traceparent;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String scheme() {
    return scheme;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String header(String name) {
    String[] names = headerNames != null ? headerNames : protocols.requestHeaders();
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(name)) {
        return headerNames != null ? headerValues[i] : liveHeader(names[i]);
      }
    }
    return null; // undeclared or secret
  }

  @Override
  public String queryParameter(String name) {
    String[] names = queryNames != null ? queryNames : protocols.queryParameters();
    for (int i = 0; i < names.length; i++) {
      if (names[i].equals(name)) {
        return queryNames != null ? queryValues[i] : parseQuery(name);
      }
    }
    return null;
  }

  private String liveHeader(String name) {
    try {
      return carrier == null || getter == null ? null : getter.get(carrier, name);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private String parseQuery(String name) {
    String q = rawQuery;
    if (q == null || q.isEmpty()) {
      return null;
    }
    int from = 0;
    while (from <= q.length()) {
      int amp = q.indexOf('&', from);
      int end = amp < 0 ? q.length() : amp;
      int eq = q.indexOf('=', from);
      int nameEnd = eq < 0 || eq > end ? end : eq;
      if (nameEnd - from == name.length() && q.startsWith(name, from)) {
        String value = nameEnd == end ? "" : q.substring(nameEnd + 1, end);
        try {
          return URLDecoder.decode(value, StandardCharsets.UTF_8.name());
        } catch (java.io.UnsupportedEncodingException | IllegalArgumentException e) {
          return value;
        }
      }
      if (amp < 0) {
        break;
      }
      from = amp + 1;
    }
    return null;
  }

  @Override
  public String toString() {
    return method + " " + scheme + "://" + host + ":" + port + path; // never the query: it may hold a key
  }
}
