package io.tracelight.instrumentation.grpc;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.internal.ManagedChannelImplBuilder;
import io.tracelight.core.InternalErrors;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Recognises a model server's method by its full name and wraps that call in a
 * {@link TracingCall}; any other call is the channel's own, unwrapped. The last interceptor a
 * builder gets runs first, so ours sees the call as the application made it. Stateless; any thread.
 */
final class TracingInterceptor implements ClientInterceptor {
  static final TracingInterceptor INSTANCE = new TracingInterceptor();
  /** Builders already given the interceptor: a builder built twice must not record each call twice. */
  private static final Map<Object, Boolean> GIVEN = new WeakHashMap<>();

  static void addTo(ManagedChannelImplBuilder builder) {
    synchronized (GIVEN) {
      if (GIVEN.put(builder, Boolean.TRUE) != null) {
        return;
      }
    }
    builder.intercept(INSTANCE);
  }

  @Override
  public <ReqT, RespT> ClientCall<ReqT, RespT> interceptCall(MethodDescriptor<ReqT, RespT> method,
      CallOptions callOptions, Channel next) {
    ClientCall<ReqT, RespT> call = next.newCall(method, callOptions);
    try {
      ModelMethod known = ModelMethod.of(method.getFullMethodName());
      if (known == null || method.getType() != MethodDescriptor.MethodType.UNARY) {
        return call;
      }
      return new TracingCall<>(call, method, known, next.authority());
    } catch (Throwable t) {
      InternalErrors.report("grpc", "interceptCall", t);
      return call;
    }
  }
}
