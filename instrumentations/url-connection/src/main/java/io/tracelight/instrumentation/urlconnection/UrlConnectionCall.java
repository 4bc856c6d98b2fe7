package io.tracelight.instrumentation.urlconnection;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.Log;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.Exchanges;
import io.tracelight.core.exchange.RequestTeeStream;
import io.tracelight.core.exchange.ResponseTeeStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.ref.WeakReference;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * One AI call over an {@code HttpURLConnection}, from the first stream the application asks for
 * to the end of its response body. A connection's call is found through maps with weak keys (a
 * JDK class cannot be given a field); a POST that is no AI call is remembered as such, so that the
 * JDK's nested reads do not match it again; a call holds its streams weakly, since the JDK's streams
 * hold their connection, so an entry goes when its connection does. The exchange watches the
 * connection: dropped unread, it ends as abandoned.
 *
 * <p>Threads: an application thread using the connection calls in through the advice; a call's
 * fields are guarded by its monitor, never held while calling the connection (whose own lock the
 * JDK holds around nested reads). The JDK's {@code getInputStream} calls itself (through
 * {@code getResponseCode} and {@code getHeaderField}); {@link #busy} marks the thread already in a
 * call's outermost read, or reading headers for the agent, so that nested reads do nothing.
 */
final class UrlConnectionCall {
  private static final String NAME = "url-connection";
  /**
   * Calls by connection, in weak-keyed maps striped by identity hash so that threads using
   * different connections seldom share a lock.
   */
  @SuppressWarnings("unchecked")
  private static final Map<HttpURLConnection, UrlConnectionCall>[] CALLS = new Map[16];

  static {
    for (int i = 0; i < CALLS.length; i++) {
      CALLS[i] = Collections.synchronizedMap(new WeakHashMap<>());
    }
  }

  /** Marks a connection whose request could have been an AI call and was not: it is not matched again. */
  private static final UrlConnectionCall NOT_AI = new UrlConnectionCall(null);
  private static final WeakReference<RequestTeeStream> NO_REQUEST_STREAM = new WeakReference<>(null);
  private static final WeakReference<ResponseTeeStream> NO_RESPONSE_STREAM = new WeakReference<>(null);

  private final Exchange exchange;
  private Thread busy;
  private boolean responded;
  private WeakReference<RequestTeeStream> requestStream = NO_REQUEST_STREAM;
  private WeakReference<ResponseTeeStream> responseStream = NO_RESPONSE_STREAM;

  private UrlConnectionCall(Exchange exchange) {
    this.exchange = exchange;
  }

  /** The connection's call, started now if its request is an AI call; null otherwise. */
  private static UrlConnectionCall of(HttpURLConnection connection, boolean mayStart) {
    return of(connection, mayStart, connection.getRequestMethod());
  }

  private static UrlConnectionCall of(HttpURLConnection connection, boolean mayStart, String method) {
    Map<HttpURLConnection, UrlConnectionCall> calls = CALLS[System.identityHashCode(connection) & (CALLS.length - 1)];
    UrlConnectionCall call = calls.get(connection);
    if (call != null || !mayStart) {
      return call == NOT_AI ? null : call;
    }
    if (!Exchanges.mayBeAiCall(method)) {
      return null; // a GET: a few string comparisons, nothing kept
    }
    URL url = connection.getURL();
    int port = url.getPort() < 0 ? url.getDefaultPort() : url.getPort();
    String host = url.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1); // an IPv6 literal, as the other clients give it
    }
    Exchange exchange = Exchanges.start(NAME, method, url.getProtocol(), host, port, url.getPath(), url.getQuery(),
        connection, ConnectionHeaders.REQUEST);
    if (exchange == null) {
      calls.put(connection, NOT_AI); // the JDK's nested reads need not match it again
      return null;
    }
    call = new UrlConnectionCall(exchange);
    UrlConnectionCall raced = calls.putIfAbsent(connection, call);
    if (raced != null) { // another thread using the connection started it first; ours holds nothing yet
      return raced == NOT_AI ? null : raced;
    }
    exchange.endWhenUnreachable(connection);
    propagate(connection, exchange);
    return call;
  }

  /** With propagation on, the call's {@code traceparent} joins the request properties, unless the app connected already. */
  private static void propagate(HttpURLConnection connection, Exchange exchange) {
    String traceparent = exchange.traceparentToSend();
    if (traceparent == null) {
      return;
    }
    try {
      connection.setRequestProperty("traceparent", traceparent);
    } catch (IllegalStateException connected) {
      Log.warnOnce("url-connection:connected", NAME + ": a connection was opened before its request was written;"
          + " its traceparent is not sent (the record keeps its ids)");
    }
  }

  // ---- getOutputStream

  /**
   * With propagation on, the call starts before {@code getOutputStream} connects, so its header can
   * be added.
   *
   * @return the call started now, or null (propagation off, not an AI call, or started before)
   */
  static Object beforeConnect(HttpURLConnection connection) {
    if (!Exchanges.propagates()) {
      return null;
    }
    try {
      if (of(connection, false) != null) {
        return null;
      }
      String method = connection.getRequestMethod();
      if (method.equals("GET")) {
        method = "POST"; // what the JDK makes of a GET with output, inside this very call
      }
      return of(connection, true, method);
    } catch (Throwable t) {
      InternalErrors.report(NAME, "request", t);
      return null;
    }
  }

  /** @param startedNow the call {@link #beforeConnect} started, failed here if the JDK refused the stream */
  static Object[] requestStream(HttpURLConnection connection, OutputStream returned, Throwable thrown,
      Object startedNow) {
    if (thrown != null) {
      if (startedNow instanceof UrlConnectionCall) {
        ((UrlConnectionCall) startedNow).exchange.fail(thrown);
      }
      return null;
    }
    if (returned == null) {
      return null;
    }
    try {
      UrlConnectionCall call = of(connection, true);
      return call == null ? null : replace(call.requestTee(returned));
    } catch (Throwable t) {
      InternalErrors.report(NAME, "request", t);
      return null;
    }
  }

  /** The same tee for every {@code getOutputStream} (the JDK returns the same stream each time). */
  private synchronized OutputStream requestTee(OutputStream sink) {
    RequestTeeStream tee = requestStream.get();
    if (tee == null || tee.sink != sink) {
      tee = new RequestTeeStream(sink, exchange);
      requestStream = new WeakReference<>(tee);
    }
    return tee;
  }

  // ---- getInputStream

  /** Returns the call if this is its outermost read on this thread (a request without a body starts it). */
  static Object enterRead(HttpURLConnection connection) {
    try {
      UrlConnectionCall call = of(connection, true);
      if (call == null || !call.claim()) {
        return null;
      }
      call.exchange.requestSent(); // the JDK sends a buffered body in this call; nothing more comes
      return call;
    } catch (Throwable t) {
      InternalErrors.report(NAME, "request", t);
      return null;
    }
  }

  Object[] exitRead(HttpURLConnection connection, InputStream returned, Throwable thrown, int status) {
    try {
      if (thrown != null) {
        if (status > 0) {
          responded(connection, status); // an error status: the body comes by getErrorStream
        } else {
          exchange.fail(thrown);
        }
        return null;
      }
      if (returned == null) {
        return null;
      }
      responded(connection, status);
      return replace(responseTee(connection, returned));
    } catch (Throwable t) {
      InternalErrors.report(NAME, "response", t);
      return null;
    } finally {
      release();
    }
  }

  // ---- getErrorStream

  static Object[] errorStream(HttpURLConnection connection, InputStream returned, int status) {
    if (returned == null) {
      return null;
    }
    try {
      UrlConnectionCall call = of(connection, false);
      if (call == null || !call.claim()) {
        return null;
      }
      try {
        call.responded(connection, status);
        return replace(call.responseTee(connection, returned));
      } finally {
        call.release();
      }
    } catch (Throwable t) {
      InternalErrors.report(NAME, "response", t);
      return null;
    }
  }

  // ---- disconnect

  static void disconnecting(HttpURLConnection connection) {
    UrlConnectionCall call = of(connection, false);
    if (call != null) {
      call.exchange.closed(); // a no-op once the body was read to its end
    }
  }

  // ----

  /**
   * What the advice returns to replace the method's return value: a one-element array. Null leaves
   * the return value as it is, which is also what a hook whose link failed returns.
   */
  private static Object[] replace(Object replacement) {
    return new Object[] {replacement};
  }

  private synchronized boolean claim() {
    if (busy != null) {
      return false; // nested in this thread's read, or another thread is reading this connection
    }
    busy = Thread.currentThread();
    return true;
  }

  private synchronized void release() {
    busy = null;
  }

  /** Once: the status and headers. The header reads re-enter getInputStream, which {@link #busy} keeps quiet. */
  private void responded(HttpURLConnection connection, int status) {
    synchronized (this) {
      if (responded) {
        return;
      }
      responded = true;
    }
    // outside the monitor: the connection's own lock is taken in here
    exchange.responseHeaders(status, connection.getContentLengthLong(), connection, ConnectionHeaders.RESPONSE);
  }

  /** The same tee for every read of the same body stream. */
  private synchronized InputStream responseTee(HttpURLConnection connection, InputStream source) {
    ResponseTeeStream tee = responseStream.get();
    if (tee == null || tee.source != source) {
      tee = new ResponseTeeStream(source, exchange, connection);
      responseStream = new WeakReference<>(tee);
    }
    return tee;
  }
}
