package io.tracelight.core.instrumentation;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * Never used under this name: {@link IndyDispatcher} copies it into {@code java.lang} as
 * {@code java.lang.TracelightIndyDispatcher}, the bootstrap method of every advice call site.
 * Code in {@code java.lang} is visible from every class loader and every module reads
 * {@code java.base}, so instrumented classes anywhere can link to it, and nothing has to be
 * appended to the bootstrap class path (which would also switch off class-data sharing for
 * application classes on some JDKs and print a warning).
 */
public final class IndyDispatcherTemplate {
  /** {@link IndyBootstrap#bootstrap}, set once when the agent starts. */
  public static volatile Method target;

  private IndyDispatcherTemplate() {}

  public static CallSite bootstrap(
      MethodHandles.Lookup caller, String name, MethodType type, Object... args) {
    try {
      return (CallSite) target.invoke(null, caller, name, type, args);
    } catch (Throwable t) {
      return new ConstantCallSite(MethodHandles.empty(type));
    }
  }
}
