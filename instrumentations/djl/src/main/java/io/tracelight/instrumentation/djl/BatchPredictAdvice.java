package io.tracelight.instrumentation.djl;

import ai.djl.Model;
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
  public static void exit(@Advice.FieldValue("model") Model model, @Advice.Argument(0) List<?> inputs,
      @Advice.Return List<?> outputs, @Advice.Thrown Throwable thrown, @Advice.Enter Object started) {
    if (started == null) {
      return;
    }
    InferenceCall call = (InferenceCall) started;
    try {
      call.details(DjlDetails.of(model, inputs, outputs));
    } finally {
      Inferences.end(call, thrown);
    }
  }
}
