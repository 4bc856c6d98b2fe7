package io.tracelight.instrumentation.apachehttpclient5;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.Exchanges;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import org.apache.hc.client5.http.config.Configurable;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.net.URIAuthority;

/**
 * One call through the async client, from {@code doExecute} to its {@code Future}'s end. Whether it
 * is an AI call is known only when the producer sends the request head, so the wrappers exist for
 * every call and pass straight through when it is not one.
 *
 * <p>Threads: {@link #start} runs on the caller's thread; the body's writes and reads run on an I/O
 * dispatcher thread (a retry may move to another, after a hand-off through the client's executor);
 * the ends may come from any thread (a cancel on the caller's, a failure on a pool callback's), and
 * the exchange keeps the first. Fields read across those threads are volatile.
 */
final class AsyncCall {
  static final String NAME = "apache-httpclient-5";

  private final HttpHost target;
  private volatile Exchange exchange;
  /** The request was sent once: a second head or a body written again is a retry. */
  private boolean requestStarted;
  private volatile boolean restartBody;
  private volatile boolean bodyWritten;
  private volatile boolean responseStarted;
  /** The {@code traceparent} this call's heads carry (propagation on), or null. */
  private String traceparent;

  AsyncCall(HttpHost target) {
    this.target = target;
  }

  /**
   * The request head goes out; the first one decides whether this is an AI call.
   *
   * @return the head to send: the application's, or with propagation on a copy of it that also
   *     carries the call's {@code traceparent} (the application's object is left as it was)
   */
  HttpRequest start(HttpRequest request, EntityDetails entity) {
    try {
      Exchange e = exchange;
      if (requestStarted) {
        if (e != null) {
          e.requestRestarted(); // the same producer sending again: its body follows anew
          bodyWritten = false;
        }
        return traceparent == null ? request : withHeader(request, "traceparent", traceparent); // a retry
      }
      requestStarted = true;
      String method = request.getMethod();
      if (!Exchanges.mayBeAiCall(method)) {
        return request;
      }
      String scheme = request.getScheme();
      URIAuthority authority = request.getAuthority();
      String host;
      int port;
      if (authority != null) {
        host = authority.getHostName();
        port = authority.getPort();
      } else if (target != null) {
        host = target.getHostName();
        port = target.getPort();
      } else {
        java.net.URI uri = request.getUri(); // an absolute URI as the path, no target
        if (uri.getHost() == null) {
          return request;
        }
        host = uri.getHost();
        port = uri.getPort();
        scheme = uri.getScheme();
      }
      if (scheme == null) {
        scheme = target != null ? target.getSchemeName() : "https";
      }
      if (port < 0) {
        port = "http".equalsIgnoreCase(scheme) ? 80 : 443;
      }
      String path = request.getPath();
      if (path != null && !path.startsWith("/")) {
        java.net.URI uri = request.getUri();
        path = uri.getRawQuery() == null ? uri.getRawPath() : uri.getRawPath() + "?" + uri.getRawQuery();
      }
      String query = null;
      if (path != null) {
        int q = path.indexOf('?');
        if (q >= 0) {
          query = path.substring(q + 1);
          path = path.substring(0, q);
        }
      }
      e = Exchanges.start(NAME, method, scheme, host, port, path, query, request, ApacheHeaders.INSTANCE);
      if (e != null) {
        exchange = e;
        if (entity == null) {
          e.requestSent();
        }
        traceparent = e.traceparentToSend();
        if (traceparent != null) {
          return withHeader(request, "traceparent", traceparent);
        }
      }
    } catch (Throwable t) {
      InternalErrors.report(NAME, "request", t);
    }
    return request;
  }

  /** A copy of the head with one header more; the application's request object is not changed. */
  private static HttpRequest withHeader(HttpRequest request, String name, String value) {
    HeadCopy copy = new HeadCopy(request);
    copy.setVersion(request.getVersion());
    copy.setHeaders(request.getHeaders());
    copy.setHeader(name, value);
    return copy;
  }

  /**
   * The copy keeps what the client reads from the request besides its head: the per-request
   * {@code RequestConfig} (timeouts, redirects, proxy), which the client takes from a
   * {@link Configurable} request.
   */
  private static final class HeadCopy extends BasicHttpRequest implements Configurable {
    private final RequestConfig config;

    HeadCopy(HttpRequest request) {
      super(request.getMethod(), request.getScheme(), request.getAuthority(), request.getPath());
      this.config = request instanceof Configurable ? ((Configurable) request).getConfig() : null;
    }

    @Override
    public RequestConfig getConfig() {
      return config;
    }
  }

  boolean isAiCall() {
    return exchange != null;
  }

  /** The channel accepted {@code written} bytes of {@code src} from {@code from} on. */
  void requestBytes(ByteBuffer src, int from, int written) {
    Exchange e = exchange;
    if (e == null || written <= 0) {
      return;
    }
    try {
      if (restartBody && bodyWritten) {
        e.requestRestarted(); // a retry produces the body again from its start
      }
      restartBody = false;
      bodyWritten = true;
      ByteBuffer accepted = src.duplicate();
      ((Buffer) accepted).limit(from + written);
      ((Buffer) accepted).position(from);
      e.requestBytes(accepted);
    } catch (Throwable t) {
      InternalErrors.report(NAME, "request capture", t);
    }
  }

  void requestSent() {
    Exchange e = exchange;
    if (e != null) {
      e.requestSent();
    }
  }

  /** The producer let go of its body: if it writes again, that is a new attempt. */
  void producerReleased() {
    restartBody = true;
  }

  void responseHeaders(HttpResponse response, EntityDetails entity) {
    Exchange e = exchange;
    if (e == null) {
      return;
    }
    try {
      responseStarted = true;
      e.responseHeaders(response.getCode(), entity == null ? -1 : entity.getContentLength(), response,
          ApacheHeaders.INSTANCE);
    } catch (Throwable t) {
      InternalErrors.report(NAME, "response", t);
    }
  }

  /** A chunk of the response, read without moving the buffer. */
  void responseBytes(ByteBuffer src) {
    Exchange e = exchange;
    if (e != null) {
      e.responseBytes(src);
    }
  }

  void complete() {
    Exchange e = exchange;
    if (e != null) {
      e.complete();
    }
  }

  void fail(Throwable cause) {
    Exchange e = exchange;
    if (e != null) {
      e.fail(cause);
    }
  }

  /** The app cancelled the call: closed early when its response was under way. */
  void cancelled() {
    Exchange e = exchange;
    if (e != null) {
      if (responseStarted) {
        e.closed();
      } else {
        e.cancelled();
      }
    }
  }

  /** The app's consumer threw on a chunk: it gave up on the response under way. */
  void gaveUp() {
    Exchange e = exchange;
    if (e != null) {
      e.closed();
    }
  }
}
