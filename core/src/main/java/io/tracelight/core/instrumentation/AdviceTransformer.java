package io.tracelight.core.instrumentation;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.Log;
import java.lang.instrument.ClassFileTransformer;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * The agent's one class file transformer. For each class the JVM loads it asks the type
 * instrumentations' matchers (against a lazily parsed description, so a name check costs no
 * parsing) and, on a match, weaves the advice into the methods with Byte Buddy, changing no
 * class shape (retransformation stays possible). Byte Buddy's {@code AgentBuilder} would do the
 * same but costs a few hundred milliseconds of start-up; this costs the matching.
 */
final class AdviceTransformer implements ClassFileTransformer {
  /** One advice class applied to the methods of the types a type instrumentation matches. */
  static final class Binding {
    final ElementMatcher<TypeDescription> types;
    final ElementMatcher<? super MethodDescription> methods;
    final String adviceClass;
    /** The module's name, for messages. */
    final String module;
    /** What the module's advice and helpers need of the library; null for the agent's own sample. */
    final ModuleReferences references;

    Binding(ElementMatcher<TypeDescription> types, ElementMatcher<? super MethodDescription> methods, String adviceClass,
        String module, ModuleReferences references) {
      this.types = types;
      this.methods = methods;
      this.adviceClass = adviceClass;
      this.module = module;
      this.references = references;
    }
  }

  private final List<Binding> bindings;
  /** The JDK classes (internal names) some module weaves; every other JDK class is skipped by name. */
  private final Set<String> jdkClasses;
  private final Method bootstrap;
  private final ClassFileLocator agentClasses;
  /** Built on first use: Byte Buddy's weaving machinery is a few hundred classes to load. */
  private volatile Weaver weaver;

  AdviceTransformer(List<Binding> bindings, Set<String> jdkClasses, Method bootstrap, ClassFileLocator agentClasses) {
    this.bindings = bindings;
    this.jdkClasses = jdkClasses;
    this.bootstrap = bootstrap;
    this.agentClasses = agentClasses;
  }

  /** The immutable Byte Buddy objects every weave shares. */
  private static final class Weaver {
    final Advice.WithCustomMapping mapping;
    final ByteBuddy byteBuddy = new ByteBuddy()
        .with(TypeValidation.DISABLED)
        .with(Implementation.Context.Disabled.Factory.INSTANCE);

    Weaver(Method bootstrap) {
      mapping = Advice.withCustomMapping().with(new Advice.AssignReturned.Factory()).bootstrap(bootstrap);
    }
  }

  private Weaver weaver() {
    Weaver w = weaver;
    if (w == null) {
      w = new Weaver(bootstrap);
      weaver = w;
    }
    return w;
  }

  /**
   * Loads and runs the weaving machinery once on a class of the agent's own, so that the first
   * application class to instrument does not pay for it. Runs on a background thread at start.
   */
  void warmUp(String sampleClass, String sampleAdvice) {
    try {
      byte[] bytes = agentClasses.locate(sampleClass).resolve();
      weave(sampleClass, bytes, null, agentClasses, List.of(new Binding(
          net.bytebuddy.matcher.ElementMatchers.named(sampleClass),
          net.bytebuddy.matcher.ElementMatchers.named("sample"), sampleAdvice, "warm-up", null)));
    } catch (Throwable t) {
      InternalErrors.report("instrumentation warm-up", t);
    }
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String internalName, Class<?> redefined,
      ProtectionDomain domain, byte[] bytes) {
    if (internalName == null || ignored(internalName)) {
      return null;
    }
    String name = internalName.replace('/', '.');
    try {
      ClassFileLocator classes =
          loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader);
      byte[] woven = weave(name, bytes, loader, classes, bindings);
      if (woven != null && Boolean.getBoolean("tracelight.internal.debug")) {
        Log.warn("instrumented " + name);
      }
      return woven;
    } catch (ClassFileUpgrade.UsesJsr e) {
      Log.warnOnce("jsr:" + name, "cannot instrument " + name + ": " + e.getMessage() + "; its calls are not recorded");
      return null;
    } catch (Throwable t) {
      InternalErrors.report("instrumenting " + name, t);
      return null; // the class loads unchanged
    }
  }

  /** The woven class file, or null when no binding matches the type (or none applies to it). */
  private byte[] weave(String name, byte[] bytes, ClassLoader loader, ClassFileLocator classes,
      List<Binding> candidates) {
    ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, bytes), classes, agentClasses);
    TypePool pool = new TypePool.Default.WithLazyResolution(
        new TypePool.CacheProvider.Simple(), locator, TypePool.Default.ReaderMode.FAST);
    TypeDescription type = pool.describe(name).resolve();
    DynamicType.Builder<?> builder = null;
    for (Binding b : candidates) {
      if (b.types.matches(type) && applies(b, type, loader, classes)) {
        Weaver w = weaver();
        if (builder == null) {
          builder = w.byteBuddy.redefine(type, locator);
        }
        builder = builder.visit(w.mapping.to(pool.describe(b.adviceClass).resolve(), locator).on(b.methods));
      }
    }
    if (builder == null) {
      return null;
    }
    if (ClassFileUpgrade.needed(type)) {
      builder = builder.visit(ClassFileUpgrade.INSTANCE);
    }
    return builder.make(pool).getBytes();
  }

  /**
   * Whether a matched binding may be woven into {@code type}: the type has a method it hooks, and
   * the loader has every class and member the module's code uses. Otherwise this is a version of
   * the library the module does not support, and one line says so.
   */
  private static boolean applies(Binding b, TypeDescription type, ClassLoader loader, ClassFileLocator classes) {
    if (b.references == null) {
      return true;
    }
    if (type.getDeclaredMethods().filter(b.methods).isEmpty()) {
      Log.warnOnce("no-method:" + b.adviceClass + ":" + type.getName(), b.module + " is not applied to "
          + type.getName() + ": it has no method the module hooks (a version the module does not support); "
          + "calls through it are not recorded");
      return false;
    }
    List<ModuleReferences.Ref> missing = b.references.missingIn(loader, classes);
    if (!missing.isEmpty()) {
      Log.warnOnce("missing:" + b.module + ":" + System.identityHashCode(loader), b.module + " is not applied to "
          + type.getName() + ": its library lacks " + missing.get(0)
          + (missing.size() > 1 ? " and " + (missing.size() - 1) + " more" : "")
          + " (a version the module does not support); calls through it are not recorded");
      return false;
    }
    return true;
  }

  /**
   * Classes no instrumentation targets: the agent's own, Byte Buddy's and the JDK's but for the
   * few a module names. The JDK's classes are skipped without parsing: weaving one by a broad
   * matcher could reach code the agent itself runs.
   */
  private boolean ignored(String internalName) {
    if (internalName.startsWith("io/tracelight/") || internalName.startsWith("net/bytebuddy/")) {
      return true;
    }
    if (internalName.startsWith("java/") || internalName.startsWith("javax/") || internalName.startsWith("sun/")
        || internalName.startsWith("com/sun/") || internalName.startsWith("jdk/")) {
      return !jdkClasses.contains(internalName);
    }
    return false;
  }
}
