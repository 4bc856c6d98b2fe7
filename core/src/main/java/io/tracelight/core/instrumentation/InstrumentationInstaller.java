package io.tracelight.core.instrumentation;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.config.Config;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.ServiceLoader;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;

/**
 * Installs the enabled instrumentation modules with one class file transformer. Advice is not
 * inlined: each hook is an {@code invokedynamic} bound by {@link IndyBootstrap} to the advice
 * method in the module's own class loader (see {@link ModuleLinker}).
 */
public final class InstrumentationInstaller {
  private InstrumentationInstaller() {}

  public static void install(Instrumentation inst, Config config, ClassLoader agentLoader,
      boolean lateAttach) throws Exception {
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
    Method bootstrap = IndyDispatcher.install(inst, agentLoader);
    List<AdviceTransformer.Binding> bindings = new ArrayList<>();
    Set<String> jdkClasses = new HashSet<>();
    ClassFileLocator agentClasses = ClassFileLocator.ForClassLoader.of(agentLoader);
    for (InstrumentationModule module : enabled) {
      for (String jdkClass : module.jdkClasses()) {
        jdkClasses.add(jdkClass.replace('.', '/'));
      }
      List<String> adviceClasses = new ArrayList<>();
      ModuleReferences references = new ModuleReferences(module.helperPackage(), adviceClasses, agentClasses);
      for (TypeInstrumentation type : module.typeInstrumentations()) {
        type.transform((methods, advice) -> {
          adviceClasses.add(advice);
          bindings.add(new AdviceTransformer.Binding(type.typeMatcher(), methods, advice, module.name(), references));
        });
      }
    }
    AdviceTransformer transformer = new AdviceTransformer(bindings, jdkClasses, bootstrap, agentClasses);
    inst.addTransformer(transformer, true);
    if (lateAttach) {
      // Attached to a running app: its classes are loaded; weave them before returning.
      retransformLoaded(inst, bindings);
      return;
    }
    // At start-up the weaving machinery (and any target loaded already) is dealt with beside the
    // application's start.
    Thread warmUp = new Thread(() -> {
      // named by string: the sample is woven from its class file, never loaded
      transformer.warmUp("io.tracelight.core.instrumentation.WarmUpSample",
          "io.tracelight.core.instrumentation.WarmUpSample$Advice");
      retransformLoaded(inst, bindings);
    }, "tracelight-warmup");
    warmUp.setDaemon(true);
    warmUp.start();
  }

  /** Classes loaded before the agent (late attach, or loaded by the agent's start) are woven now. */
  private static void retransformLoaded(Instrumentation inst, List<AdviceTransformer.Binding> bindings) {
    List<Class<?>> targets = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (!inst.isModifiableClass(c) || c.isArray() || c.isPrimitive()) {
        continue;
      }
      TypeDescription type = null;
      for (AdviceTransformer.Binding b : bindings) {
        if (type == null) {
          type = TypeDescription.ForLoadedType.of(c);
        }
        if (b.types.matches(type)) {
          targets.add(c);
          break;
        }
      }
    }
    for (Class<?> c : targets) {
      try {
        inst.retransformClasses(c);
      } catch (Throwable t) {
        InternalErrors.report("retransforming " + c.getName(), t);
      }
    }
  }
}
