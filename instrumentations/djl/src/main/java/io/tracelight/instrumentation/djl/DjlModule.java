package io.tracelight.instrumentation.djl;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.MethodMatcher;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Collections;
import java.util.List;

/**
 * Deep Java Library: {@code Predictor.batchPredict(List)}, through which {@code predict} goes too,
 * whatever the engine. The engine's own run underneath (ONNX Runtime's session) is part of the
 * DJL record, not one of its own.
 */
public final class DjlModule implements InstrumentationModule {
  @Override
  public String name() {
    return "djl";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new PredictorInstrumentation());
  }

  static final class PredictorInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNames() {
      return Collections.singletonList("ai.djl.inference.Predictor");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(MethodMatcher.named("batchPredict").takesArguments(1)
          .takesArgument(0, "java.util.List"), "io.tracelight.instrumentation.djl.BatchPredictAdvice");
    }
  }
}
