package io.tracelight.core.exchange;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.prediction.OutputSummary;

/**
 * What an in-JVM runtime's instrumentation copied on the application's thread (the model's
 * identity, the inputs' shapes, a bounded copy of the outputs), turned into attributes later on
 * the pipeline thread. Made by one thread, read by the pipeline thread after the hand-off; it must
 * not touch the runtime's objects there (the application may have closed them).
 */
public interface InferenceDetails {
  /** Sets the call's {@code ai.model.*} attributes and summarises its output into {@code output}. */
  void writeTo(AiCall call, OutputSummary output);
}
