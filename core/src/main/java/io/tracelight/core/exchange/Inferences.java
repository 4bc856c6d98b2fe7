package io.tracelight.core.exchange;

import io.tracelight.core.AgentThread;
import io.tracelight.core.InstrumentationHealth;

/**
 * The in-JVM runtimes' way in: {@link #start} when a predict method is entered, {@link #end} when
 * it returns or throws. One prediction per thread at a time is recorded: a runtime that runs
 * another inside (DJL and Tribuo on ONNX Runtime, a predict overload calling another) gets one
 * record, the outermost's.
 */
public final class Inferences {
  /** The prediction under way on this thread, so that one nested inside it is not recorded again. */
  private static final ThreadLocal<InferenceCall> ACTIVE = new ThreadLocal<>();

  private Inferences() {}

  /**
   * On the application's thread, entering a predict method.
   *
   * @return the call to end, or null when nothing is to be recorded (the agent is not set up, the
   *     instrumentation is off, or a prediction is already under way on this thread)
   */
  public static InferenceCall start(String instrumentation, String runtime) {
    Exchanges.Setup s = Exchanges.setup();
    if (s == null || InstrumentationHealth.isOff(instrumentation) || ACTIVE.get() != null
        || Thread.currentThread() instanceof AgentThread) {
      return null;
    }
    InferenceCall call = new InferenceCall(s, instrumentation, runtime);
    ACTIVE.set(call);
    s.started.increment();
    return call;
  }

  /**
   * A prediction that ends on another thread than the one starting it (a gRPC call, closed on one of
   * gRPC's threads): recorded whatever is under way on this thread, and nothing nests in it.
   */
  public static InferenceCall startAsync(String instrumentation, String runtime) {
    Exchanges.Setup s = Exchanges.setup();
    if (s == null || InstrumentationHealth.isOff(instrumentation) || Thread.currentThread() instanceof AgentThread) {
      return null;
    }
    InferenceCall call = new InferenceCall(s, instrumentation, runtime);
    s.started.increment();
    return call;
  }

  /** Leaving the predict method ({@code thrown} is what it threw, or null), or a call made by {@link #startAsync} ending. */
  public static void end(InferenceCall call, Throwable thrown) {
    if (call == null) {
      return;
    }
    if (ACTIVE.get() == call) {
      ACTIVE.remove();
    }
    call.end(thrown);
  }
}
