package io.tracelight.instrumentation.onnxruntime;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.MethodMatcher;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Collections;
import java.util.List;

/**
 * ONNX Runtime's Java API: every {@code OrtSession.run} overload is one prediction (the overloads
 * call each other; the outermost is recorded), and the session's constructors remember where its
 * model came from (a file, or bytes, hashed once).
 */
public final class OnnxRuntimeModule implements InstrumentationModule {
  @Override
  public String name() {
    return "onnxruntime";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new SessionInstrumentation());
  }

  static final class SessionInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNames() {
      return Collections.singletonList("ai.onnxruntime.OrtSession");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(MethodMatcher.named("run").takesArgument(0, "java.util.Map"),
          "io.tracelight.instrumentation.onnxruntime.RunAdvice");
      transformer.applyAdviceToMethod(MethodMatcher.constructor().takesArguments(4)
          .takesArgument(0, "ai.onnxruntime.OrtEnvironment"),
          "io.tracelight.instrumentation.onnxruntime.SessionConstructorAdvice");
    }
  }
}
