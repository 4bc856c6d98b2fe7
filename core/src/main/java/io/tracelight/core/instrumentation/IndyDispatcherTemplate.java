package io.tracelight.core.instrumentation;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * Never used under this name: {@link IndyDispatcher} copies it into {@code java.lang} as
 * {@code java.lang.TracelightIndyDispatcher}, the bootstrap method of every advice call site and
 * the one helper woven code calls directly. Code in {@code java.lang} is visible from every class
 * loader and every module reads {@code java.base}, so instrumented classes anywhere can link to
 * it, and nothing has to be appended to the bootstrap class path (which would also switch off
 * class-data sharing for application classes on some JDKs and print a warning).
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

  /**
   * What {@code Advice.ToArguments} and {@code Advice.ToReturned} put in place of {@code current}:
   * element {@code index} of the advice's array when there is one and it is of {@code type}.
   * Woven code casts the result to {@code type}, which this makes sure cannot fail.
   */
  public static Object replacement(Object[] replacements, int index, Object current, Class<?> type) {
    if (replacements != null && index < replacements.length) {
      Object replacement = replacements[index];
      if (type.isInstance(replacement)) {
        return replacement;
      }
    }
    return current;
  }
}
