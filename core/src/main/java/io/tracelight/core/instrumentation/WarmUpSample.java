package io.tracelight.core.instrumentation;

/** A class of the agent's own that the warm-up weaves (and never loads) to load Byte Buddy's weaver. */
final class WarmUpSample {
  private WarmUpSample() {}

  static int sample(int x) {
    return x + 1;
  }

  /** Shaped like the real advice: not inlined, dispatched by invokedynamic, suppressing. */
  static final class Advice {
    private Advice() {}

    @net.bytebuddy.asm.Advice.OnMethodEnter(inline = false, suppress = Throwable.class)
    @net.bytebuddy.asm.Advice.AssignReturned.AsScalar
    @net.bytebuddy.asm.Advice.AssignReturned.ToArguments(@net.bytebuddy.asm.Advice.AssignReturned.ToArguments.ToArgument(0))
    public static int enter(@net.bytebuddy.asm.Advice.Argument(0) int x) {
      return x;
    }

    @net.bytebuddy.asm.Advice.OnMethodExit(inline = false, suppress = Throwable.class, onThrowable = Throwable.class)
    public static void exit(@net.bytebuddy.asm.Advice.Thrown Throwable t) {}
  }
}
