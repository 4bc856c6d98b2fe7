package io.tracelight.core.instrumentation;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/** Defines {@code java.lang.TracelightIndyDispatcher} from {@link IndyDispatcherTemplate}. */
final class IndyDispatcher {
  static final String NAME = "java.lang.TracelightIndyDispatcher";
  static final String INTERNAL_NAME = NAME.replace('.', '/');

  private IndyDispatcher() {}

  /** Defines the dispatcher (once per JVM) and points it at {@link IndyBootstrap#bootstrap}. */
  static void install(Instrumentation inst, ClassLoader agentLoader) throws Exception {
    Class<?> dispatcher;
    try {
      dispatcher = Class.forName(NAME, false, null);
    } catch (ClassNotFoundException notYet) {
      dispatcher = define(inst, agentLoader);
    }
    dispatcher.getField("target").set(null, IndyBootstrap.class.getMethod("bootstrap",
        MethodHandles.Lookup.class, String.class, MethodType.class, Object[].class));
  }

  private static Class<?> define(Instrumentation inst, ClassLoader agentLoader) throws Exception {
    String template = IndyDispatcherTemplate.class.getName().replace('.', '/');
    ClassReader reader = new ClassReader(ClassFiles.read(agentLoader, template));
    ClassWriter writer = new ClassWriter(0);
    reader.accept(new Renamer(writer, template), 0);
    Module javaBase = Object.class.getModule();
    Module self = IndyDispatcher.class.getModule();
    inst.redefineModule(javaBase, Collections.emptySet(), Collections.emptyMap(),
        Map.of("java.lang", Set.of(self)), Collections.emptySet(), Collections.emptyMap());
    return MethodHandles.privateLookupIn(Object.class, MethodHandles.lookup()).defineClass(writer.toByteArray());
  }

  /** Renames the template: its own name and its references to its own static field. */
  private static final class Renamer extends ClassVisitor {
    private final String template;

    Renamer(ClassVisitor next, String template) {
      super(Opcodes.ASM9, next);
      this.template = template;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
      super.visit(version, access, INTERNAL_NAME, signature, superName, interfaces);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
        String[] exceptions) {
      return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
        @Override
        public void visitFieldInsn(int opcode, String owner, String field, String fieldDescriptor) {
          super.visitFieldInsn(opcode, owner.equals(template) ? INTERNAL_NAME : owner, field, fieldDescriptor);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String method, String methodDescriptor,
            boolean isInterface) {
          super.visitMethodInsn(opcode, owner.equals(template) ? INTERNAL_NAME : owner, method, methodDescriptor,
              isInterface);
        }
      };
    }
  }
}
