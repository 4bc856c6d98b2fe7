package io.tracelight.instrumentation.apachehttpclient5;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The application's request producer, seen from the client: the head it sends starts the call,
 * the bytes the channel accepts are copied (as written, nothing read ahead), the stream's end says
 * the request was sent. Every method passes to the application's producer unchanged.
 * Called by the client's threads one at a time, as the producer itself is.
 */
final class TeeRequestProducer implements AsyncRequestProducer {
  private final AsyncRequestProducer delegate;
  private final AsyncCall call;

  TeeRequestProducer(AsyncRequestProducer delegate, AsyncCall call) {
    this.delegate = delegate;
    this.call = call;
  }

  @Override
  public void sendRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
    delegate.sendRequest(new RequestChannel() {
      @Override
      public void sendRequest(HttpRequest request, EntityDetails entity, HttpContext c)
          throws HttpException, IOException {
        HttpRequest sent = call.start(request, entity);
        try {
          channel.sendRequest(sent, entity, c);
        } catch (Throwable t) {
          call.fail(t); // the client reports this only to the Future
          throw t;
        }
      }
    }, context);
  }

  @Override
  public boolean isRepeatable() {
    return delegate.isRepeatable();
  }

  @Override
  public void failed(Exception cause) {
    try {
      delegate.failed(cause);
    } finally {
      call.fail(cause);
    }
  }

  @Override
  public int available() {
    return delegate.available();
  }

  @Override
  public void produce(DataStreamChannel channel) throws IOException {
    if (!call.isAiCall()) {
      delegate.produce(channel);
      return;
    }
    delegate.produce(new TeeChannel(channel, call)); // the client passes a new channel each time
  }

  @Override
  public void releaseResources() {
    call.producerReleased();
    delegate.releaseResources();
  }

  /** The channel the application's producer writes to: what it accepts is copied. */
  private static final class TeeChannel implements DataStreamChannel {
    private final DataStreamChannel channel;
    private final AsyncCall call;

    TeeChannel(DataStreamChannel channel, AsyncCall call) {
      this.channel = channel;
      this.call = call;
    }

    @Override
    public void requestOutput() {
      channel.requestOutput();
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
      int from = src.position();
      int written = channel.write(src);
      call.requestBytes(src, from, written);
      return written;
    }

    @Override
    public void endStream() throws IOException {
      channel.endStream();
      call.requestSent();
    }

    @Override
    public void endStream(List<? extends Header> trailers) throws IOException {
      channel.endStream(trailers);
      call.requestSent();
    }
  }
}
