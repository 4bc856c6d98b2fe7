package io.tracelight.instrumentation.grpc;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.MethodMatcher;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Collections;
import java.util.List;

/**
 * grpc-java clients: every channel gets a {@link TracingInterceptor} when it is built
 * ({@code ManagedChannelImplBuilder.build}, to which the Netty, OkHttp and in-process builders
 * delegate), as OkHttp clients get theirs. The interceptor records the model servers' methods
 * (Triton's and KServe's {@code ModelInfer}, TF Serving's {@code Predict}, {@code Classify},
 * {@code Regress}) and passes every other call through untouched.
 */
public final class GrpcModule implements InstrumentationModule {
  @Override
  public String name() {
    return "grpc";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new BuilderInstrumentation());
  }

  static final class BuilderInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNames() {
      return Collections.singletonList("io.grpc.internal.ManagedChannelImplBuilder");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(MethodMatcher.named("build").takesArguments(0),
          "io.tracelight.instrumentation.grpc.BuildAdvice");
    }
  }
}
