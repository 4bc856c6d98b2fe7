package io.tracelight.core.instrumentation;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.Log;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;

/**
 * The agent's one class file transformer. A class is looked up by name in a map of the classes
 * some module instruments (one hash lookup: that is all a class nobody instruments costs, however
 * many modules there are); a class found there is woven by {@link ClassWeaver} with ASM. Classes
 * keep their shape, so retransformation (late attach) works. Threads: any class-loading thread;
 * the map is fixed at construction, each binding reads its advice once.
 */
final class AdviceTransformer implements ClassFileTransformer {
  /** One advice class applied to the methods a matcher picks in the classes a type instrumentation names. */
  static final class Binding {
    final MethodMatcher methods;
    final String adviceClass;
    /** The module's name, for messages. */
    final String module;
    /** What the module's advice and helpers need of the library; null when nothing is checked. */
    final ModuleReferences references;
    private volatile AdviceSpec advice;

    Binding(MethodMatcher methods, String adviceClass, String module, ModuleReferences references) {
      this.methods = methods;
      this.adviceClass = adviceClass;
      this.module = module;
      this.references = references;
    }

    AdviceSpec advice(ClassLoader agentLoader) {
      AdviceSpec a = advice;
      if (a == null) {
        a = AdviceSpec.read(adviceClass, ClassFiles.read(agentLoader, adviceClass.replace('.', '/')));
        advice = a;
      }
      return a;
    }
  }

  /** By the internal name of the class they weave. */
  private final Map<String, List<Binding>> byClass;
  /** The same classes' binary names, for the classes already loaded at start. */
  private final Set<String> classNames;
  private final ClassLoader agentLoader;
  private final ClassWeaver weaver;

  /**
   * @param byClass bindings by the binary name of the class they weave
   * @param agentLoader where the advice class files are read from
   */
  AdviceTransformer(Map<String, List<Binding>> byClass, ClassLoader agentLoader, String dispatcher) {
    this.byClass = new HashMap<>();
    this.classNames = new HashSet<>(byClass.keySet());
    for (Map.Entry<String, List<Binding>> e : byClass.entrySet()) {
      this.byClass.put(e.getKey().replace('.', '/'), new ArrayList<>(e.getValue()));
    }
    this.agentLoader = agentLoader;
    this.weaver = new ClassWeaver(dispatcher);
  }

  /** Whether some module weaves the class with this binary name. */
  boolean instruments(String className) {
    return classNames.contains(className);
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> redefined,
      ProtectionDomain domain, byte[] bytes) {
    List<Binding> candidates = internalName == null ? null : byClass.get(internalName);
    if (candidates == null) {
      return null;
    }
    String name = internalName.replace('/', '.');
    try {
      byte[] woven = weave(name, bytes, loader, candidates);
      if (woven != null && Boolean.getBoolean("tracelight.internal.debug")) {
        Log.warn("instrumented " + name);
      }
      return woven;
    } catch (ClassWeaver.UsesJsr e) {
      Log.warnOnce("jsr:" + name, "cannot instrument " + name + ": " + e.getMessage() + "; its calls are not recorded");
      return null;
    } catch (Throwable t) {
      InternalErrors.report("instrumenting " + name, t);
      return null; // the class loads unchanged
    }
  }

  /** The woven class file, or null when no binding applies to the class. */
  private byte[] weave(String name, byte[] bytes, ClassLoader loader, List<Binding> candidates) {
    ClassReader reader = new ClassReader(bytes);
    List<MethodMatcher> matchers = new ArrayList<>(candidates.size());
    for (Binding b : candidates) {
      matchers.add(b.methods);
    }
    ClassWeaver.Shape shape = ClassWeaver.shape(reader, matchers);
    Map<String, AdviceSpec> plan = new LinkedHashMap<>();
    for (Binding b : candidates) {
      List<ClassWeaver.Method> methods = shape.matching(b.methods);
      if (!applies(b, methods, name, loader)) {
        continue;
      }
      AdviceSpec advice = b.advice(agentLoader);
      for (ClassWeaver.Method m : methods) {
        AdviceSpec earlier = plan.putIfAbsent(m.key(), advice);
        if (earlier != null) {
          throw new IllegalStateException(m.name + m.descriptor + " is matched by both " + earlier.adviceClass
              + " and " + advice.adviceClass + "; one advice per method");
        }
      }
    }
    return plan.isEmpty() ? null : weaver.weave(reader, shape, plan, loader);
  }

  /**
   * Whether a matched binding may be woven: the class has a method it hooks, and the loader has
   * every class and member the module's code uses. Otherwise this is a version of the library the
   * module does not support, and one line says so.
   */
  private static boolean applies(Binding b, List<ClassWeaver.Method> methods, String name, ClassLoader loader) {
    if (methods.isEmpty()) {
      Log.warnOnce("no-method:" + b.adviceClass + ":" + name, b.module + " is not applied to " + name
          + ": it has no method the module hooks (a version the module does not support); "
          + "calls through it are not recorded");
      return false;
    }
    if (b.references == null) {
      return true;
    }
    List<ModuleReferences.Ref> missing = b.references.missingIn(loader);
    if (!missing.isEmpty()) {
      Log.warnOnce("missing:" + b.module + ":" + System.identityHashCode(loader), b.module + " is not applied to "
          + name + ": its library lacks " + missing.get(0)
          + (missing.size() > 1 ? " and " + (missing.size() - 1) + " more" : "")
          + " (a version the module does not support); calls through it are not recorded");
      return false;
    }
    return true;
  }
}
