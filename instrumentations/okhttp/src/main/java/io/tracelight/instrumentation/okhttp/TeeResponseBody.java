package io.tracelight.instrumentation.okhttp;

import io.tracelight.core.exchange.Exchange;
import okhttp3.Call;
import okhttp3.MediaType;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import okio.Okio;

/**
 * The application's response body, with a source that shows the exchange each byte as the
 * application reads it. {@code string()}, {@code bytes()}, {@code byteStream()} and
 * {@code source()} all read through {@link #source()}.
 */
final class TeeResponseBody extends ResponseBody {
  private final ResponseBody delegate;
  private final Exchange exchange;
  private final Call call;
  private BufferedSource source;

  TeeResponseBody(ResponseBody delegate, Exchange exchange, Call call) {
    this.delegate = delegate;
    this.exchange = exchange;
    this.call = call;
    exchange.endWhenUnreachable(this);
  }

  @Override
  public MediaType contentType() {
    return delegate.contentType();
  }

  @Override
  public long contentLength() {
    return delegate.contentLength();
  }

  @Override
  public synchronized BufferedSource source() {
    if (source == null) {
      source = Okio.buffer(new TeeSource(delegate.source(), exchange, call, this));
    }
    return source;
  }

  @Override
  public void close() {
    BufferedSource s;
    synchronized (this) {
      s = source;
    }
    if (s == null) {
      exchange.closed();
      delegate.close();
    } else {
      try {
        s.close();
      } catch (java.io.IOException ignored) {
        // ResponseBody.close() is quiet too
      }
    }
  }
}
