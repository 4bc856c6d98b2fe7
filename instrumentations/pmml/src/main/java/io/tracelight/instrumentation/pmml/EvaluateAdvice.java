package io.tracelight.instrumentation.pmml;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.InferenceCall;
import io.tracelight.core.exchange.Inferences;
import io.tracelight.core.instrumentation.Advice;
import java.util.Map;
import org.jpmml.evaluator.ModelEvaluator;

/** Around {@code ModelEvaluator.evaluate}: one prediction of one row. */
public final class EvaluateAdvice {
  private EvaluateAdvice() {}

  @Advice.OnEnter
  public static Object enter() {
    return Inferences.start("pmml", "pmml");
  }

  @Advice.OnExit(onThrowable = true)
  public static void exit(@Advice.This ModelEvaluator<?> evaluator, @Advice.Argument(0) Map<String, ?> arguments,
      @Advice.Return Map<String, ?> results, @Advice.Thrown Throwable thrown, @Advice.Enter Object started) {
    if (started == null) {
      return;
    }
    InferenceCall call = (InferenceCall) started;
    try {
      call.details(PmmlDetails.of(evaluator, arguments, results));
    } catch (Throwable t) {
      InternalErrors.report("pmml", "evaluate", t);
    } finally {
      Inferences.end(call, thrown);
    }
  }
}
