package io.tracelight.instrumentation.djl;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.InferenceCall;
import io.tracelight.core.exchange.Inferences;
import io.tracelight.core.instrumentation.Advice;
import java.util.List;

/** Around {@code Predictor.batchPredict}: one prediction of the batch ({@code predict} is a batch of one). */
public final class BatchPredictAdvice {
  private BatchPredictAdvice() {}

  @Advice.OnEnter
  public static Object enter() {
    return Inferences.start("djl", "djl");
  }

  @Advice.OnExit(onThrowable = true)
  public static void exit(@Advice.This Object predictor, @Advice.Argument(0) List<?> inputs,
      @Advice.Return List<?> outputs, @Advice.Thrown Throwable thrown, @Advice.Enter Object started) {
    if (started == null) {
      return;
    }
    InferenceCall call = (InferenceCall) started;
    try {
      call.details(DjlDetails.of(DjlDetails.modelOf(predictor), inputs, outputs));
    } catch (Throwable t) {
      InternalErrors.report("djl", "batchPredict", t);
    } finally {
      Inferences.end(call, thrown);
    }
  }
}
