package io.tracelight.instrumentation.xgboost4j;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.InferenceCall;
import io.tracelight.core.exchange.Inferences;
import io.tracelight.core.instrumentation.Advice;

/** Around a booster's predict: one prediction, summarised from the returned rows. */
public final class PredictAdvice {
  private PredictAdvice() {}

  @Advice.OnEnter
  public static Object enter() {
    return Inferences.start("xgboost4j", "xgboost4j");
  }

  @Advice.OnExit(onThrowable = true)
  public static void exit(@Advice.Return float[][] rows, @Advice.Thrown Throwable thrown,
      @Advice.Enter Object started) {
    if (started == null) {
      return;
    }
    InferenceCall call = (InferenceCall) started;
    try {
      call.details(XgboostDetails.of(rows));
    } catch (Throwable t) {
      InternalErrors.report("xgboost4j", "predict", t);
    } finally {
      Inferences.end(call, thrown);
    }
  }
}
