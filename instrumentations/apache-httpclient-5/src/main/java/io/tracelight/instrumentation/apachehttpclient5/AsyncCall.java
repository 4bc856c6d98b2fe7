package io.tracelight.instrumentation.apachehttpclient5;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.Exchanges;
import java.nio.Buffer;
import java.nio.ByteBuffer;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.net.URIAuthority;

/**
 * One call through the async client, from {@code doExecute} to the consumer's release. Whether it
 * is an AI call is known only when the producer sends the request head, so the producer and
 * consumer wrappers exist for every call and pass straight through when it is not one.
 *
 * <p>Threads: {@link #start} runs on the thread the client sends the head from (the caller's, or
 * an I/O reactor thread); everything else runs on the connection's I/O reactor thread, one call at
 * a time. {@code exchange} is volatile to publish it from the first to the second.
 */
final class AsyncCall {
  static final String NAME = "apache-httpclient-5";

  private final HttpHost target;
  private volatile Exchange exchange;
  /** The request was sent once: a second head or a body written again is a retry. */
  private boolean requestStarted;
  private boolean restartBody;
  private boolean bodyWritten;
  private volatile boolean responseStarted;

  AsyncCall(HttpHost target) {
    this.target = target;
  }

  /** The request head goes out; the first one decides whether this is an AI call. */
  void start(HttpRequest request, EntityDetails entity) {
    try {
      Exchange e = exchange;
      if (requestStarted) {
        if (e != null) {
          e.requestRestarted(); // the same producer sending again: its body follows anew
          bodyWritten = false;
        }
        return;
      }
      requestStarted = true;
      String method = request.getMethod();
      if (!Exchanges.mayBeAiCall(method)) {
        return;
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
        return; // nowhere to tell the protocols about
      }
      if (scheme == null) {
        scheme = target != null ? target.getSchemeName() : "https";
      }
      if (port < 0) {
        port = "http".equalsIgnoreCase(scheme) ? 80 : 443;
      }
      String path = request.getPath();
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
      }
    } catch (Throwable t) {
      InternalErrors.report(NAME, "request", t);
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

  /** The consumer let go: a call that has not ended by now was cancelled or cut short. */
  void released() {
    Exchange e = exchange;
    if (e != null && !e.hasEnded()) {
      if (responseStarted) {
        e.closed();
      } else {
        e.cancelled();
      }
    }
  }
}
