package io.tracelight.core.exchange;

import io.tracelight.core.InternalErrors;

/**
 * One prediction by a model running in the JVM (ONNX Runtime, DJL, PMML, Tribuo): started and
 * ended on the application's thread around the runtime's predict method, then handed to the
 * pipeline. The application's thread writes it until {@link Inferences#end}; the pipeline
 * thread reads it after.
 */
public final class InferenceCall extends CallStart {
  private final Exchanges.Setup setup;
  public final String instrumentation;
  /** {@code ai.model.runtime}. */
  public final String runtime;
  public final long startNanos = System.nanoTime();
  private long endNanos;
  /** The span current on the application's thread at the start (see {@link ContextCapture}), or null. */
  private final Object context;
  private Throwable failure;
  private InferenceDetails details;

  InferenceCall(Exchanges.Setup setup, String instrumentation, String runtime) {
    this.setup = setup;
    this.instrumentation = instrumentation;
    this.runtime = runtime;
    ContextCapture capture = setup.contextCapture;
    this.context = capture == null ? null : capture.capture();
  }

  /** What the instrumentation copied for the record; set before {@link Inferences#end}. */
  public void details(InferenceDetails details) {
    this.details = details;
  }

  void end(Throwable thrown) {
    endNanos = System.nanoTime();
    failure = thrown;
    setup.ended.increment();
    try {
      setup.sink.accept(this);
    } catch (Throwable t) {
      InternalErrors.report(instrumentation, "hand-off", t);
    }
  }

  public long endNanos() {
    return endNanos;
  }

  /** What the predict method threw, or null. */
  public Throwable failure() {
    return failure;
  }

  public InferenceDetails details() {
    return details;
  }

  /** The span the call joins: the application's current span when it started, or null. */
  public TraceParent parent() {
    ContextCapture capture = setup.contextCapture;
    return context == null ? null : capture.parentOf(context);
  }

  /** The host agent's context when the call started (extension mode), or null. */
  public Object hostContext() {
    ContextCapture capture = setup.contextCapture;
    return capture != null && capture.hostPropagates() ? context : null;
  }
}
