package io.tracelight.instrumentation.tribuo;

import io.tracelight.core.instrumentation.InstrumentationModule;
import io.tracelight.core.instrumentation.MethodMatcher;
import io.tracelight.core.instrumentation.TypeInstrumentation;
import io.tracelight.core.instrumentation.TypeTransformer;
import java.util.Arrays;
import java.util.List;

/**
 * Tribuo: {@code Model.predict(Iterable)} and {@code predict(Dataset)} (a batch, in the base class),
 * and {@code predict(Example)} in the model classes Tribuo ships that define it (a model of another
 * class is seen through its batches only). A prediction made inside another (an ensemble's members,
 * a transformed model's inner one, an ONNX model's session) is part of the outer record.
 */
public final class TribuoModule implements InstrumentationModule {
  /** Tribuo's model classes that define {@code predict(Example)}. */
  static final List<String> SINGLE = Arrays.asList(
      "org.tribuo.classification.sgd.linear.LinearSGDModel",
      "org.tribuo.classification.sgd.fm.FMClassificationModel",
      "org.tribuo.classification.sgd.kernel.KernelSVMModel",
      "org.tribuo.classification.baseline.DummyClassifierModel",
      "org.tribuo.classification.mnb.MultinomialNaiveBayesModel",
      "org.tribuo.regression.sgd.linear.LinearSGDModel",
      "org.tribuo.regression.sgd.fm.FMRegressionModel",
      "org.tribuo.regression.baseline.DummyRegressionModel",
      "org.tribuo.regression.impl.SkeletalIndependentRegressionModel",
      "org.tribuo.regression.impl.SkeletalIndependentRegressionSparseModel",
      "org.tribuo.common.tree.TreeModel",
      "org.tribuo.common.liblinear.LibLinearModel",
      "org.tribuo.common.libsvm.LibSVMModel",
      "org.tribuo.common.xgboost.XGBoostModel",
      "org.tribuo.common.nearest.KNNModel",
      "org.tribuo.ensemble.WeightedEnsembleModel",
      "org.tribuo.transform.TransformedModel",
      "org.tribuo.interop.ExternalModel");

  @Override
  public String name() {
    return "tribuo";
  }

  @Override
  public List<TypeInstrumentation> typeInstrumentations() {
    return Arrays.asList(new BatchInstrumentation(), new SingleInstrumentation());
  }

  static final class BatchInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNames() {
      // TransformedModel overrides predict(Dataset) without calling Model's: one record, not one per row
      return Arrays.asList("org.tribuo.Model", "org.tribuo.transform.TransformedModel");
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(MethodMatcher.named("predict").takesArguments(1)
          .takesArgument(0, "java.lang.Iterable"), "io.tracelight.instrumentation.tribuo.BatchPredictAdvice");
      transformer.applyAdviceToMethod(MethodMatcher.named("predict").takesArguments(1)
          .takesArgument(0, "org.tribuo.Dataset"), "io.tracelight.instrumentation.tribuo.BatchPredictAdvice");
    }
  }

  static final class SingleInstrumentation implements TypeInstrumentation {
    @Override
    public List<String> typeNames() {
      return SINGLE;
    }

    @Override
    public void transform(TypeTransformer transformer) {
      transformer.applyAdviceToMethod(MethodMatcher.named("predict").takesArguments(1)
          .takesArgument(0, "org.tribuo.Example"), "io.tracelight.instrumentation.tribuo.PredictAdvice");
    }
  }
}
