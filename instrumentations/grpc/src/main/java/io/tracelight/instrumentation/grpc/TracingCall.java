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
import java.io.InputStream;

/**
 * One unary call to a model server: started with the call, the request message read (re-encoded by
 * the method's own marshaller, its first {@value #MAX_BYTES} bytes) when it is sent, the response
 * likewise when it arrives, ended when the call closes, on whichever thread gRPC closes it.
 * gRPC calls a call's methods and its listener's one at a time, never concurrently.
 */
final class TracingCall<ReqT, RespT> extends ForwardingClientCall.SimpleForwardingClientCall<ReqT, RespT> {
  /** The protobuf fields read come first (names, shapes); tensor data after them is not needed. */
  static final int MAX_BYTES = 64 * 1024;
  private final MethodDescriptor<ReqT, RespT> method;
  private final GrpcDetails details;
  private InferenceCall record;

  TracingCall(ClientCall<ReqT, RespT> delegate, MethodDescriptor<ReqT, RespT> method, ModelMethod known,
      String authority) {
    super(delegate);
    this.method = method;
    this.details = new GrpcDetails(known, authority);
  }

  @Override
  public void start(Listener<RespT> responseListener, Metadata headers) {
    try {
      record = Inferences.startAsync("grpc", details.method.runtime);
    } catch (Throwable t) {
      InternalErrors.report("grpc", "start", t);
    }
    super.start(record == null ? responseListener : new Listening(responseListener), headers);
  }

  @Override
  public void sendMessage(ReqT message) {
    if (record != null) {
      try {
        details.request(read(method.streamRequest(message)));
      } catch (Throwable t) {
        InternalErrors.report("grpc", "request", t);
      }
    }
    super.sendMessage(message);
  }

  static byte[] read(InputStream in) throws java.io.IOException {
    try (InputStream s = in) {
      return s.readNBytes(MAX_BYTES);
    }
  }

  private final class Listening extends ForwardingClientCallListener.SimpleForwardingClientCallListener<RespT> {
    Listening(Listener<RespT> delegate) {
      super(delegate);
    }

    @Override
    public void onMessage(RespT message) {
      try {
        details.response(read(method.streamResponse(message)));
      } catch (Throwable t) {
        InternalErrors.report("grpc", "response", t);
      }
      super.onMessage(message);
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      try {
        details.status(status.getCode().name());
        record.details(details);
        Inferences.end(record, null);
      } catch (Throwable t) {
        InternalErrors.report("grpc", "end", t);
      }
      super.onClose(status, trailers);
    }
  }
}
