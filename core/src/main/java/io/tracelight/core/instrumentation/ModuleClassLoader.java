package io.tracelight.core.instrumentation;

/**
 * Loads one instrumentation module's advice and helpers beside one instrumented class loader.
 * Classes of the module's package are defined here, from the agent jar; the rest of the agent's
 * classes come from the agent's loader; everything else (the library, the JDK, the application's
 * {@code io.tracelight.api} jar) from the instrumented loader. So helpers can implement library interfaces and call the agent, and the
 * application's loaders stay untouched.
 */
final class ModuleClassLoader extends ClassLoader {
  static {
    registerAsParallelCapable();
  }

  private final String helperPackage;
  private final ClassLoader agentLoader;
  private final ClassLoader instrumented;

  ModuleClassLoader(String helperPackage, ClassLoader agentLoader, ClassLoader instrumented) {
    super(null);
    this.helperPackage = helperPackage;
    this.agentLoader = agentLoader;
    this.instrumented = instrumented;
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        if (name.startsWith(helperPackage)) {
          c = defineHelper(name);
        } else if (name.startsWith("io.tracelight.") && !name.startsWith("io.tracelight.api.")) {
          // the application's own copy of the tracelight-api jar is library, like any other
          c = agentLoader.loadClass(name);
        } else {
          c = Class.forName(name, false, instrumented);
        }
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  private Class<?> defineHelper(String name) throws ClassNotFoundException {
    byte[] bytes = ClassFiles.read(agentLoader, name.replace('.', '/'));
    if (bytes == null) {
      throw new ClassNotFoundException(name);
    }
    return defineClass(name, bytes, 0, bytes.length);
  }
}
