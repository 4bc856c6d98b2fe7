package io.tracelight.core.instrumentation;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.config.Config;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * Installs the enabled instrumentation modules with one class file transformer. Advice is not
 * inlined: each hook is an {@code invokedynamic} bound by {@link IndyBootstrap} to the advice
 * method in the module's own class loader (see {@link ModuleLinker}). Nothing is woven here:
 * classes are woven as they load, and the few loaded before the agent are retransformed.
 */
public final class InstrumentationInstaller {
  private InstrumentationInstaller() {}

  public static void install(Instrumentation inst, Config config, ClassLoader agentLoader) throws Exception {
    List<InstrumentationModule> enabled = new ArrayList<>();
    for (InstrumentationModule m : ServiceLoader.load(InstrumentationModule.class, agentLoader)) {
      if (config.instrumentationEnabled(m.name())) {
        enabled.add(m);
      }
    }
    if (enabled.isEmpty()) {
      return;
    }
    IndyBootstrap.setLinker(new ModuleLinker(enabled, agentLoader, inst));
    IndyDispatcher.install(inst, agentLoader);
    Map<String, List<AdviceTransformer.Binding>> byClass = new HashMap<>();
    for (InstrumentationModule module : enabled) {
      List<String> adviceClasses = new ArrayList<>();
      ModuleReferences references = new ModuleReferences(module.helperPackage(), adviceClasses, agentLoader);
      for (TypeInstrumentation type : module.typeInstrumentations()) {
        type.transform(new TypeTransformer() { // no lambda: the first costs start-up time
          @Override
          public void applyAdviceToMethod(MethodMatcher methods, String advice) {
            adviceClasses.add(advice);
            AdviceTransformer.Binding binding =
                new AdviceTransformer.Binding(methods, advice, module.name(), references);
            for (String name : type.typeNames()) {
              List<AdviceTransformer.Binding> bindings = byClass.get(name);
              if (bindings == null) {
                bindings = new ArrayList<>(2);
                byClass.put(name, bindings);
              }
              bindings.add(binding);
            }
          }
        });
      }
    }
    AdviceTransformer transformer = new AdviceTransformer(byClass, agentLoader, IndyDispatcher.INTERNAL_NAME);
    inst.addTransformer(transformer, true);
    retransformLoaded(inst, transformer);
  }

  /** Classes loaded before the transformer (late attach, or loaded by the agent's start) are woven now. */
  private static void retransformLoaded(Instrumentation inst, AdviceTransformer transformer) {
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (transformer.instruments(c.getName()) && inst.isModifiableClass(c)) {
        try {
          inst.retransformClasses(c);
        } catch (Throwable t) {
          InternalErrors.report("retransforming " + c.getName(), t);
        }
      }
    }
  }
}
