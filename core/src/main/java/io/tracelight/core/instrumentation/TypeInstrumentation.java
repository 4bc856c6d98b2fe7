package io.tracelight.core.instrumentation;

import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** A type matcher plus the advice to apply to its methods. */
public interface TypeInstrumentation {
  /** Keep it name-based where possible: it runs for every class the JVM loads. */
  ElementMatcher<TypeDescription> typeMatcher();

  void transform(TypeTransformer transformer);
}
