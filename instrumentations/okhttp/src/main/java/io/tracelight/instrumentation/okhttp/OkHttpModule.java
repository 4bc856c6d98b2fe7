package io.tracelight.instrumentation.okhttp;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.MethodMatcher;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Collections;
import java.util.List;

/**
 * OkHttp: every client gets a {@link TracingInterceptor} as its first application interceptor
 * when it is built, so {@code execute} and {@code enqueue} are both seen, once per call, through
 * the stable public API of OkHttp 4 and 5.
 */
public final class OkHttpModule implements InstrumentationModule {
  @Override
  public String name() {
    return "okhttp";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new ClientConstructorInstrumentation());
  }

  static final class ClientConstructorInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNames() {
      return Collections.singletonList("okhttp3.OkHttpClient");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          MethodMatcher.constructor().takesArguments(1)
              .takesArgument(0, "okhttp3.OkHttpClient$Builder"),
          "io.tracelight.instrumentation.okhttp.ClientConstructorAdvice");
    }
  }
}
