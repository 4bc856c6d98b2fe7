package io.tracelight.instrumentation.xgboost4j;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.MethodMatcher;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Collections;
import java.util.List;

/**
 * XGBoost4J's Java booster (which the Scala one wraps): the public {@code predict(DMatrix ...)}
 * overloads and {@code inplace_predict} (each calls another; the outermost is recorded).
 * {@code predictLeaf} and {@code predictContrib} explain a model; they are not predictions.
 */
public final class XgboostModule implements InstrumentationModule {
  @Override
  public String name() {
    return "xgboost4j";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Collections.singletonList(new BoosterInstrumentation());
  }

  static final class BoosterInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNames() {
      return Collections.singletonList("ml.dmlc.xgboost4j.java.Booster");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      for (int arguments = 1; arguments <= 3; arguments++) { // the private 5-argument one serves predictLeaf too
        transformer.applyAdviceToMethod(MethodMatcher.named("predict").takesArguments(arguments)
            .takesArgument(0, "ml.dmlc.xgboost4j.java.DMatrix"), "io.tracelight.instrumentation.xgboost4j.PredictAdvice");
      }
      transformer.applyAdviceToMethod(MethodMatcher.named("inplace_predict").takesArgument(0, "float[]"),
          "io.tracelight.instrumentation.xgboost4j.PredictAdvice");
    }
  }
}
