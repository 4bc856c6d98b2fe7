package io.tracelight.core.exchange;

/** Where finished exchanges and in-JVM inference calls go: the pipeline, or a list in tests. Must not block. */
public interface ExchangeSink {
  void accept(Exchange exchange);

  /** A finished in-JVM inference call; a sink that only takes exchanges drops it. */
  default void accept(InferenceCall call) {}

  /** Feedback or an outcome the application reported; a sink that only takes exchanges drops it. */
  default void accept(io.tracelight.core.feedback.FeedbackEvent event) {}
}
