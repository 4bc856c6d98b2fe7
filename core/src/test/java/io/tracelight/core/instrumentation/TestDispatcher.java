package io.tracelight.core.instrumentation;

import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * What {@code java.lang.TracelightIndyDispatcher} is to the agent, for woven classes in tests:
 * links each advice call site to the advice method in the test's own class loader, suppressing
 * as the agent's linker does.
 */
public final class TestDispatcher {
  static final String INTERNAL_NAME = TestDispatcher.class.getName().replace('.', '/');

  private TestDispatcher() {}

  public static CallSite bootstrap(MethodHandles.Lookup caller, String name, MethodType type, Object... args)
      throws Exception {
    ClassLoader loader = TestDispatcher.class.getClassLoader();
    Class<?> advice = Class.forName((String) args[0], true, loader);
    MethodHandle target = MethodHandles.lookup()
        .findStatic(advice, name, MethodType.fromMethodDescriptorString((String) args[1], loader)).asType(type);
    return new ConstantCallSite(IndyBootstrap.suppressing(target, "advice " + args[0] + "." + name));
  }

  public static Object replacement(Object[] replacements, int index, Object current, Class<?> type) {
    return IndyDispatcherTemplate.replacement(replacements, index, current, type);
  }
}
