package io.tracelight.core.instrumentation;

import java.util.List;

/**
 * One interception point (a library or a runtime), declared: a name, type instrumentations and
 * advice classes named by string. Found through {@link java.util.ServiceLoader}; the shape of the
 * OpenTelemetry javaagent extension API. Its advice and helper classes (everything in its Java
 * package) are loaded by a {@link ModuleClassLoader} beside the instrumented library.
 */
public interface InstrumentationModule {
  /** The toggle name, {@code tracelight.instrumentation.<name>.enabled}; the module's folder name. */
  String name();

  List<TypeInstrumentation> typeInstrumentations();

  /**
   * JDK-internal packages ({@code module/package}) the helpers need, exported to this module's
   * class loaders only, when they are made. A helper that uses one must cope with its absence.
   */
  default List<String> jdkExports() {
    return java.util.Collections.emptyList();
  }

  /** The package whose classes are loaded beside the instrumented library; ends with a dot. */
  default String helperPackage() {
    return getClass().getPackage().getName() + ".";
  }
}
