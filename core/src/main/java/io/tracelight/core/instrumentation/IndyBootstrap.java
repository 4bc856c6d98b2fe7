package io.tracelight.core.instrumentation;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import io.tracelight.core.Log;

/**
 * Links advice call sites. Byte Buddy writes each (non-inlined) advice call as an
 * {@code invokedynamic} whose bootstrap is {@code java.lang.TracelightIndyDispatcher}, which
 * calls {@link #bootstrap} here. The {@link ModuleLinker} loads the advice class in a class loader
 * of its instrumentation module that sees both the agent and the instrumented library, and the
 * call site is bound to the advice method for good: a constant call site the JIT inlines.
 * Nothing is injected into the application's class loaders.
 *
 * <p>If linking fails the site is bound to a no-op, so a broken hook costs one failed link, not
 * one per call, and the application's method runs as if uninstrumented.
 */
public final class IndyBootstrap {
  private static volatile ModuleLinker linker;

  private IndyBootstrap() {}

  static void setLinker(ModuleLinker moduleLinker) {
    linker = moduleLinker;
  }

  /**
   * Byte Buddy's default bootstrap arguments: advice class name, enter (0) or exit (1),
   * instrumented type, instrumented method name and, for methods, a handle to it.
   */
  public static CallSite bootstrap(
      MethodHandles.Lookup caller, String adviceMethod, MethodType type, Object... args) {
    MethodHandle target = null;
    ModuleLinker current = linker;
    if (current != null && args.length > 0 && args[0] instanceof String) {
      try {
        target = current.link(caller, (String) args[0], adviceMethod, type);
      } catch (Throwable t) {
        Log.warn("advice " + args[0] + "." + adviceMethod + " could not be linked; that hook is off: " + t);
      }
    }
    return new ConstantCallSite(target != null ? target : MethodHandles.empty(type));
  }
}
