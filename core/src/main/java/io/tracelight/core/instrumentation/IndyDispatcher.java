package io.tracelight.core.instrumentation;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.commons.ClassRemapper;
import net.bytebuddy.jar.asm.commons.SimpleRemapper;

/** Defines {@code java.lang.TracelightIndyDispatcher} from {@link IndyDispatcherTemplate}. */
final class IndyDispatcher {
  static final String NAME = "java.lang.TracelightIndyDispatcher";

  private IndyDispatcher() {}

  /** @return the dispatcher's bootstrap method, to name in the advice call sites */
  static Method install(Instrumentation inst, ClassLoader agentLoader) throws Exception {
    Class<?> dispatcher;
    try {
      dispatcher = Class.forName(NAME, false, null);
    } catch (ClassNotFoundException notYet) {
      dispatcher = define(inst, agentLoader);
    }
    dispatcher.getField("target").set(null, IndyBootstrap.class.getMethod("bootstrap",
        MethodHandles.Lookup.class, String.class, MethodType.class, Object[].class));
    return dispatcher.getMethod("bootstrap",
        MethodHandles.Lookup.class, String.class, MethodType.class, Object[].class);
  }

  private static Class<?> define(Instrumentation inst, ClassLoader agentLoader) throws Exception {
    String template = IndyDispatcherTemplate.class.getName();
    byte[] original = ModuleClassLoader.classBytes(agentLoader, template);
    ClassReader reader = new ClassReader(original);
    ClassWriter writer = new ClassWriter(0);
    reader.accept(new ClassRemapper(writer, new SimpleRemapper(
        template.replace('.', '/'), NAME.replace('.', '/'))), 0);
    Module javaBase = Object.class.getModule();
    Module self = IndyDispatcher.class.getModule();
    inst.redefineModule(javaBase, Collections.emptySet(), Collections.emptyMap(),
        Map.of("java.lang", Set.of(self)), Collections.emptySet(), Collections.emptyMap());
    return MethodHandles.privateLookupIn(Object.class, MethodHandles.lookup()).defineClass(writer.toByteArray());
  }
}
