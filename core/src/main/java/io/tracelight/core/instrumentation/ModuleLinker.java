package io.tracelight.core.instrumentation;

import io.tracelight.core.Log;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.ref.WeakReference;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Links an instrumented call site to its advice method: finds the module by the advice's
 * package, gets (or makes) that module's loader for the instrumented class's loader, and returns
 * a handle to the static advice method. Runs once per call site.
 */
final class ModuleLinker {
  private final List<InstrumentationModule> modules;
  private final ClassLoader agentLoader;
  /** Per module, per instrumented loader; values weak so an undeployed app's loaders can go. */
  private final Map<InstrumentationModule, Map<ClassLoader, WeakReference<ModuleClassLoader>>> loaders =
      new WeakHashMap<>();
  private final Map<InstrumentationModule, ModuleClassLoader> forBootLoader = new WeakHashMap<>();

  private final Instrumentation inst;

  ModuleLinker(List<InstrumentationModule> modules, ClassLoader agentLoader, Instrumentation inst) {
    this.modules = modules;
    this.agentLoader = agentLoader;
    this.inst = inst;
  }

  private ModuleClassLoader newLoader(InstrumentationModule module, ClassLoader instrumented) {
    ModuleClassLoader loader = new ModuleClassLoader(module.helperPackage(), agentLoader, instrumented);
    for (String export : module.jdkExports()) {
      int slash = export.indexOf('/');
      Module m = ModuleLayer.boot().findModule(export.substring(0, slash)).orElse(null);
      if (m == null) {
        continue;
      }
      try {
        inst.redefineModule(m, Set.of(), Map.of(export.substring(slash + 1), Set.of(loader.getUnnamedModule())),
            Map.of(), Set.of(), Map.of());
      } catch (RuntimeException e) {
        Log.warnOnce("export:" + export, "cannot export " + export + " to the " + module.name()
            + " instrumentation (" + e + "); it works without");
      }
    }
    return loader;
  }

  /**
   * The advice method, adapted to the call site's type (the woven code pushes the instrumented
   * method's own types; the advice may declare supertypes, which are cast here).
   */
  MethodHandle link(MethodHandles.Lookup caller, String adviceClass, String method, String descriptor,
      MethodType callSite) throws Exception {
    InstrumentationModule module = moduleOf(adviceClass);
    ClassLoader loader = helperLoader(module, caller.lookupClass().getClassLoader());
    Class<?> advice = Class.forName(adviceClass, true, loader);
    MethodType declared = MethodType.fromMethodDescriptorString(descriptor, loader);
    return MethodHandles.lookup().findStatic(advice, method, declared).asType(callSite);
  }

  private InstrumentationModule moduleOf(String adviceClass) {
    for (InstrumentationModule m : modules) {
      if (adviceClass.startsWith(m.helperPackage())) {
        return m;
      }
    }
    throw new IllegalStateException("no instrumentation module owns " + adviceClass);
  }

  private synchronized ClassLoader helperLoader(InstrumentationModule module, ClassLoader instrumented) {
    if (instrumented == null) {
      ModuleClassLoader boot = forBootLoader.get(module);
      if (boot == null) {
        boot = newLoader(module, null);
        forBootLoader.put(module, boot);
      }
      return boot;
    }
    Map<ClassLoader, WeakReference<ModuleClassLoader>> perLoader = loaders.get(module);
    if (perLoader == null) {
      perLoader = new WeakHashMap<>();
      loaders.put(module, perLoader);
    }
    WeakReference<ModuleClassLoader> ref = perLoader.get(instrumented);
    ModuleClassLoader existing = ref == null ? null : ref.get();
    if (existing == null) {
      existing = newLoader(module, instrumented);
      perLoader.put(instrumented, new WeakReference<>(existing));
    }
    return existing;
  }
}
