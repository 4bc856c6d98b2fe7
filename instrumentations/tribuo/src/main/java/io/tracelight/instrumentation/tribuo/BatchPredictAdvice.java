package io.tracelight.instrumentation.tribuo;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.InferenceCall;
import io.tracelight.core.exchange.Inferences;
import io.tracelight.core.instrumentation.Advice;
import java.util.List;
import org.tribuo.Model;

/** Around {@code Model.predict(Iterable)} and {@code predict(Dataset)}: one prediction of a batch. */
public final class BatchPredictAdvice {
  private BatchPredictAdvice() {}

  @Advice.OnEnter
  public static Object enter() {
    return Inferences.start("tribuo", "tribuo");
  }

  @Advice.OnExit(onThrowable = true)
  public static void exit(@Advice.This Model<?> model, @Advice.Return List<?> predictions,
      @Advice.Thrown Throwable thrown, @Advice.Enter Object started) {
    if (started == null) {
      return;
    }
    InferenceCall call = (InferenceCall) started;
    try {
      call.details(TribuoDetails.of(model, TribuoDetails.firstRows(predictions),
          predictions == null ? 0 : predictions.size()));
    } catch (Throwable t) {
      InternalErrors.report("tribuo", "batch", t);
    } finally {
      Inferences.end(call, thrown);
    }
  }
}
