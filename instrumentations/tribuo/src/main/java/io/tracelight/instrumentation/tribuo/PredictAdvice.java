package io.tracelight.instrumentation.tribuo;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.InferenceCall;
import io.tracelight.core.exchange.Inferences;
import io.tracelight.core.instrumentation.Advice;
import org.tribuo.Model;
import org.tribuo.Prediction;

/** Around {@code predict(Example)}: one prediction of one row. */
public final class PredictAdvice {
  private PredictAdvice() {}

  @Advice.OnEnter
  public static Object enter() {
    return Inferences.start("tribuo", "tribuo");
  }

  @Advice.OnExit(onThrowable = true)
  public static void exit(@Advice.This Model<?> model, @Advice.Return Prediction<?> prediction,
      @Advice.Thrown Throwable thrown, @Advice.Enter Object started) {
    if (started == null) {
      return;
    }
    InferenceCall call = (InferenceCall) started;
    try {
      call.details(TribuoDetails.of(model, prediction == null ? new Object[0] : new Object[] {prediction}, 1));
    } catch (Throwable t) {
      InternalErrors.report("tribuo", "predict", t);
    } finally {
      Inferences.end(call, thrown);
    }
  }
}
