package io.tracelight.core.instrumentation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Weaves advice into one class file with ASM: a first pass finds the methods to weave (and how
 * many locals each has), a second writes the class with {@link AdviceMethodVisitor} on those
 * methods; every other method is copied as it is, byte for byte. A class file older than Java 7
 * is raised to Java 7 (an {@code invokedynamic} needs it), with every frame computed from class
 * files read through the class's loader (nothing loaded); one using {@code jsr} cannot be raised.
 * Stateless; any thread.
 */
final class ClassWeaver {
  /** Thrown while weaving a class that uses {@code jsr}; the class then loads unchanged. */
  static final class UsesJsr extends RuntimeException {
    UsesJsr() {
      super("its class file uses jsr (compiled for Java 1.4 or older)", null, false, false);
    }
  }

  /** A method of the class being woven. */
  static final class Method {
    final int access;
    final String name;
    final String descriptor;
    int maxLocals;

    Method(int access, String name, String descriptor) {
      this.access = access;
      this.name = name;
      this.descriptor = descriptor;
    }

    String key() {
      return name + descriptor;
    }
  }

  /** The class's version and the methods some matcher picked, with their sizes. */
  static final class Shape {
    int version;
    final List<Method> methods = new ArrayList<>();

    List<Method> matching(MethodMatcher matcher) {
      List<Method> out = new ArrayList<>(2);
      for (Method m : methods) {
        if (matcher.matches(m.name, m.descriptor)) {
          out.add(m);
        }
      }
      return out;
    }

    boolean needsUpgrade() {
      return (version & 0xffff) < Opcodes.V1_7;
    }
  }

  private final String dispatcher;

  /** @param dispatcher internal name of the class whose {@code bootstrap} links the advice call sites */
  ClassWeaver(String dispatcher) {
    this.dispatcher = dispatcher;
  }

  /** First pass: the methods any of {@code matchers} picks; only their code is read (for max locals). */
  static Shape shape(ClassReader reader, List<MethodMatcher> matchers) {
    Shape shape = new Shape();
    reader.accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public void visit(int version, int access, String name, String signature, String superName,
          String[] interfaces) {
        shape.version = version;
      }

      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
          String[] exceptions) {
        if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
          return null;
        }
        for (MethodMatcher matcher : matchers) {
          if (matcher.matches(name, descriptor)) {
            Method method = new Method(access, name, descriptor);
            shape.methods.add(method);
            return new MethodVisitor(Opcodes.ASM9) {
              @Override
              public void visitMaxs(int maxStack, int maxLocals) {
                method.maxLocals = maxLocals;
              }
            };
          }
        }
        return null;
      }
    }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    return shape;
  }

  /** Second pass: the class with each planned method (keyed by name and descriptor) woven. */
  byte[] weave(ClassReader reader, Shape shape, Map<String, AdviceSpec> plan, ClassLoader loader) {
    Map<String, Method> methods = new HashMap<>();
    for (Method m : shape.methods) {
      methods.put(m.key(), m);
    }
    boolean upgrade = shape.needsUpgrade();
    ClassWriter writer = upgrade
        ? new HierarchyClassWriter(loader, reader)
        : new ClassWriter(reader, ClassWriter.COMPUTE_MAXS); // unchanged methods are copied as they are
    String owner = reader.getClassName();
    reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
      @Override
      public void visit(int version, int access, String name, String signature, String superName,
          String[] interfaces) {
        super.visit(upgrade ? Opcodes.V1_7 : version, access, name, signature, superName, interfaces);
      }

      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
          String[] exceptions) {
        MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
        if (upgrade) {
          next = new JsrCheck(next);
        }
        AdviceSpec advice = plan.get(name + descriptor);
        if (advice == null) {
          return next;
        }
        return new AdviceMethodVisitor(next, owner, access, name, descriptor, methods.get(name + descriptor).maxLocals,
            advice, dispatcher);
      }
    }, upgrade ? ClassReader.SKIP_FRAMES : ClassReader.EXPAND_FRAMES);
    return writer.toByteArray();
  }

  /** Refuses {@code jsr}, which a Java 7 class may not hold. */
  private static final class JsrCheck extends MethodVisitor {
    JsrCheck(MethodVisitor next) {
      super(Opcodes.ASM9, next);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
      if (opcode == Opcodes.JSR) {
        throw new UsesJsr();
      }
      super.visitJumpInsn(opcode, label);
    }
  }
}
