package io.tracelight.instrumentation.onnxruntime;

import ai.onnxruntime.OrtSession;
import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.InferenceCall;
import io.tracelight.core.exchange.Inferences;
import io.tracelight.core.instrumentation.Advice;
import java.util.Map;

/** Around {@code OrtSession.run}: one prediction, described from the inputs and the result. */
public final class RunAdvice {
  private RunAdvice() {}

  /** Returns the {@link InferenceCall} as an Object: the woven method's frame may name only types its class sees. */
  @Advice.OnEnter
  public static Object enter() {
    return Inferences.start("onnxruntime", "onnxruntime");
  }

  @Advice.OnExit(onThrowable = true)
  public static void exit(@Advice.This OrtSession session, @Advice.Argument(0) Map<String, ?> inputs,
      @Advice.Return OrtSession.Result result, @Advice.Thrown Throwable thrown, @Advice.Enter Object started) {
    if (started == null) {
      return;
    }
    InferenceCall call = (InferenceCall) started;
    try {
      call.details(OnnxDetails.copy(session, inputs, result, thrown != null));
    } catch (Throwable t) {
      InternalErrors.report("onnxruntime", "run", t);
    } finally {
      Inferences.end(call, thrown);
    }
  }
}
