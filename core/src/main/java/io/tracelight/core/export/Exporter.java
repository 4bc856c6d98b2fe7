package io.tracelight.core.export;

import io.tracelight.core.model.AiCall;
import java.io.IOException;

/** Receives every finished call on the pipeline thread. */
public interface Exporter {
  String name();

  void export(AiCall call) throws IOException;

  /** Called when the queue runs empty: a good moment to push buffered output out. */
  void flush() throws IOException;

  void close() throws IOException;

  /** An alert event (an episode firing or resolved, an announced change); on the pipeline thread. */
  default void alert(io.tracelight.core.alert.Alert alert) {}

  /** Feedback or an outcome the application reported, joined to its call's model when known; on the pipeline thread. */
  default void feedback(io.tracelight.core.feedback.FeedbackEvent event) {}

  /** The pipeline feeding this exporter, once it exists (made after the exporters): for its drop count. */
  default void watch(io.tracelight.core.pipeline.Pipeline pipeline) {}

  /** Adds this exporter's own counts (sent, dropped) to the exit summary; called after {@link #close}. */
  default void report(io.tracelight.core.metrics.Summary summary) {}
}
