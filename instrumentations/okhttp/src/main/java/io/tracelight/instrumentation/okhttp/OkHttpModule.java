package io.tracelight.instrumentation.okhttp;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Collections;
import java.util.List;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

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
    public ElementMatcher<TypeDescription> typeMatcher() {
      return named("okhttp3.OkHttpClient");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(
          isConstructor().and(takesArguments(1))
              .and(takesArgument(0, named("okhttp3.OkHttpClient$Builder"))),
          "io.tracelight.instrumentation.okhttp.ClientConstructorAdvice");
    }
  }
}
