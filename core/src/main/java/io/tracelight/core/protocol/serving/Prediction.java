package io.tracelight.core.protocol.serving;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.prediction.OutputSummary;
import io.tracelight.core.prediction.Tensor;
import java.util.ArrayList;
import java.util.List;

/** The attributes every model-server decoder sets the same way. Stateless. */
final class Prediction {
  private Prediction() {}

  /** Marks the call a prediction of the given server protocol. */
  static void start(AiCall call, String runtime) {
    call.set(Keys.PREDICT_OPERATION, "predict");
    call.set(Keys.MODEL_RUNTIME, runtime);
  }

  /** The inputs' descriptions, and the batch size from the first input's first dimension. */
  static void inputs(AiCall call, List<Tensor> inputs) {
    if (inputs.isEmpty()) {
      return;
    }
    List<String> described = new ArrayList<>(inputs.size());
    for (Tensor t : inputs) {
      described.add(t.describe());
    }
    call.set(Keys.MODEL_INPUTS, described);
    long rows = inputs.get(0).rows();
    if (rows >= 0) {
      call.set(Keys.BATCH_SIZE, rows);
    }
  }

  /** The outputs' descriptions and the summary of what they predicted. */
  static void outputs(AiCall call, List<Tensor> outputs) {
    if (outputs.isEmpty()) {
      return;
    }
    List<String> described = new ArrayList<>(outputs.size());
    for (Tensor t : outputs) {
      described.add(t.describe());
    }
    call.set(Keys.MODEL_OUTPUTS, described);
    OutputSummary summary = summary(call);
    Tensor.summarise(outputs, summary);
    finish(call, summary);
  }

  /** The call's summary, made on first use. */
  static OutputSummary summary(AiCall call) {
    if (call.outputSummary == null) {
      call.outputSummary = new OutputSummary();
    }
    return call.outputSummary;
  }

  /** Writes the summary's attributes; a call whose output gave no row keeps none. */
  static void finish(AiCall call, OutputSummary summary) {
    summary.writeTo(call);
    if (summary.rows() == 0) {
      call.outputSummary = null;
    }
  }
}
