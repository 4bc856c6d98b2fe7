package io.tracelight.core.instrumentation;

/** Applies advice, named by class so that the agent never loads advice classes itself. */
public interface TypeTransformer {
  void applyAdviceToMethod(MethodMatcher methods, String adviceClassName);
}
