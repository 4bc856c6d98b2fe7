package io.tracelight.core.instrumentation;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Applies advice, named by class so that the agent never loads advice classes itself. */
public interface TypeTransformer {
  void applyAdviceToMethod(ElementMatcher<? super MethodDescription> methods, String adviceClassName);
}
