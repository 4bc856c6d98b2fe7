package io.tracelight.instrumentation.pmml;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.MethodMatcher;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Collections;
import java.util.List;

/**
 * JPMML's evaluator: {@code ModelEvaluator.evaluate(Map)}, which every model type inherits (none
 * overrides it; a mining model's segments are evaluated inside without passing through it), so one
 * top-level evaluation is one record. Built against 1.7 (keys are names, as since 1.6).
 */
public final class PmmlModule implements InstrumentationModule {
  @Override
  public String name() {
    return "pmml";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new EvaluatorInstrumentation());
  }

  static final class EvaluatorInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNames() {
      return Collections.singletonList("org.jpmml.evaluator.ModelEvaluator");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(MethodMatcher.named("evaluate").takesArguments(1)
          .takesArgument(0, "java.util.Map"), "io.tracelight.instrumentation.pmml.EvaluateAdvice");
    }
  }
}
