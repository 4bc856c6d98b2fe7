package io.tracelight.core.instrumentation;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.Log;
import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Links advice call sites. Each advice call woven by {@link AdviceMethodVisitor} is an
 * {@code invokedynamic} whose bootstrap is {@code java.lang.TracelightIndyDispatcher}, which calls
 * {@link #bootstrap} here. The {@link ModuleLinker} loads the advice class in a class loader of its
 * instrumentation module that sees both the agent and the instrumented library, and the call site
 * is bound to the advice method for good: a constant call site the JIT inlines. Nothing is
 * injected into the application's class loaders.
 *
 * <p>The bound method is wrapped so that whatever it throws is counted, said once, and never
 * reaches the application (its result is then zero or null, which every advice reads as "not an
 * AI call"). If linking fails the site is bound to a no-op, so a broken hook costs one failed
 * link, not one per call, and the application's method runs as if uninstrumented.
 */
public final class IndyBootstrap {
  private static final MethodHandle REPORT;

  static {
    try {
      REPORT = MethodHandles.lookup().findStatic(InternalErrors.class, "report",
          MethodType.methodType(void.class, String.class, Throwable.class));
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private static volatile ModuleLinker linker;

  private IndyBootstrap() {}

  static void setLinker(ModuleLinker moduleLinker) {
    linker = moduleLinker;
  }

  /**
   * @param adviceMethod the advice method's name
   * @param type the values the woven code pushes, and the advice's result
   * @param args the advice class's binary name and the advice method's descriptor
   */
  public static CallSite bootstrap(
      MethodHandles.Lookup caller, String adviceMethod, MethodType type, Object... args) {
    MethodHandle target = null;
    ModuleLinker current = linker;
    if (current != null && args.length == 2 && args[0] instanceof String && args[1] instanceof String) {
      String where = "advice " + args[0] + "." + adviceMethod;
      try {
        target = suppressing(current.link(caller, (String) args[0], adviceMethod, (String) args[1], type), where);
      } catch (Throwable t) {
        Log.warn(where + " could not be linked; that hook is off: " + t);
      }
    }
    return new ConstantCallSite(target != null ? target : MethodHandles.empty(type));
  }

  /** {@code target}, but a throwable is reported and the default value of its type returned. */
  static MethodHandle suppressing(MethodHandle target, String where) {
    MethodType type = target.type();
    MethodHandle fallback = MethodHandles.dropArguments(MethodHandles.empty(type), 0, Throwable.class);
    MethodHandle handler = MethodHandles.foldArguments(fallback, MethodHandles.insertArguments(REPORT, 0, where));
    return MethodHandles.catchException(target, Throwable.class, handler);
  }
}
