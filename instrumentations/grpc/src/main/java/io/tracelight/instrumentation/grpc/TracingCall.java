package io.tracelight.instrumentation.grpc;

import io.grpc.ClientCall;
import io.grpc.ForwardingClientCall;
import io.grpc.ForwardingClientCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.InferenceCall;
import io.tracelight.core.exchange.Inferences;
import io.grpc.Drainable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One unary call to a model server: started with the call, the request message read when it is
 * sent, the response when it arrives, ended when the call closes, on whichever thread gRPC closes
 * it. A message is read as its method's marshaller writes it again, and only its first
 * {@value #MAX_BYTES} bytes: a protobuf message is drained into a stream that stops the writing
 * there (the rest is never serialised again); a message that is itself a stream (a pass-through
 * marshaller) is never read, since that stream is the application's. The application's thread
 * (start, sendMessage) and gRPC's (the listener) may overlap on a cancelled call: {@link GrpcDetails}
 * takes each part under its lock.
 */
final class TracingCall<ReqT, RespT> extends ForwardingClientCall.SimpleForwardingClientCall<ReqT, RespT> {
  /** The protobuf fields read come first (names, shapes); tensor data after them is not needed. */
  static final int MAX_BYTES = 64 * 1024;
  private final MethodDescriptor<ReqT, RespT> method;
  private final GrpcDetails details;
  private volatile InferenceCall record;

  TracingCall(ClientCall<ReqT, RespT> delegate, MethodDescriptor<ReqT, RespT> method, ModelMethod known,
      String authority) {
    super(delegate);
    this.method = method;
    this.details = new GrpcDetails(known, authority);
  }

  @Override
  public void start(Listener<RespT> responseListener, Metadata headers) {
    InferenceCall started = null;
    if (responseListener != null && record == null) { // a null listener or a second start: the channel's to refuse
      try {
        started = Inferences.startAsync("grpc", details.method.runtime);
      } catch (Throwable t) {
        InternalErrors.report("grpc", "start", t);
      }
    }
    record = started != null ? started : record;
    try {
      super.start(started == null ? responseListener : new Listening(responseListener, started), headers);
    } catch (RuntimeException | Error e) {
      if (started != null) {
        details.status("START_FAILED");
        started.details(details);
        Inferences.end(started, e);
      }
      throw e;
    }
  }

  @Override
  public void sendMessage(ReqT message) {
    if (record != null) {
      try {
        byte[] bytes = firstBytes(message, true);
        if (bytes != null) {
          details.request(bytes);
        }
      } catch (Throwable t) {
        InternalErrors.report("grpc", "request", t);
      }
    }
    super.sendMessage(message);
  }

  /** The message's first bytes as its marshaller writes them, or null when it must not be read. */
  private byte[] firstBytes(Object message, boolean request) throws IOException {
    if (message instanceof InputStream) {
      return null; // the application's own stream
    }
    @SuppressWarnings("unchecked")
    InputStream in = request ? method.streamRequest((ReqT) message) : method.streamResponse((RespT) message);
    return firstBytes(in);
  }

  /** At most the first {@value #MAX_BYTES} bytes of a stream the marshaller made for us; closes it. */
  static byte[] firstBytes(InputStream in) throws IOException {
    try {
      if (in instanceof Drainable) {
        FirstBytes first = new FirstBytes();
        try {
          ((Drainable) in).drainTo(first);
        } catch (FirstBytes.Enough enough) {
          // the rest of the message is not written at all
        }
        return first.bytes();
      }
      byte[] out = new byte[MAX_BYTES];
      int n = 0;
      for (int r; n < MAX_BYTES && (r = in.read(out, n, MAX_BYTES - n)) > 0; ) {
        n += r;
      }
      return java.util.Arrays.copyOf(out, n);
    } finally {
      in.close();
    }
  }

  /** Collects a message's first {@value #MAX_BYTES} bytes, then stops the writer. */
  private static final class FirstBytes extends OutputStream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);

    static final class Enough extends IOException {
      private static final long serialVersionUID = 1L;

      Enough() {
        super("enough of the message read", null);
      }
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      int room = MAX_BYTES - bytes.size();
      bytes.write(b, off, Math.min(room, len));
      if (len >= room) {
        throw new Enough();
      }
    }

    byte[] bytes() {
      return bytes.toByteArray();
    }
  }

  private final class Listening extends ForwardingClientCallListener.SimpleForwardingClientCallListener<RespT> {
    private final InferenceCall started;

    Listening(Listener<RespT> delegate, InferenceCall started) {
      super(delegate);
      this.started = started;
    }

    @Override
    public void onMessage(RespT message) {
      try {
        byte[] bytes = firstBytes(message, false);
        if (bytes != null) {
          details.response(bytes);
        }
      } catch (Throwable t) {
        InternalErrors.report("grpc", "response", t);
      }
      super.onMessage(message);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      try {
        details.status(status.getCode().name());
        started.details(details);
        Inferences.end(started, null);
      } catch (Throwable t) {
        InternalErrors.report("grpc", "end", t);
      }
      super.onClose(status, trailers);
    }
  }
}
