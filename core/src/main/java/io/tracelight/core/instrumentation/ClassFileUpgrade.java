package io.tracelight.core.instrumentation;

import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.field.FieldDescription;
import net.bytebuddy.description.method.MethodList;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Raises a class file older than Java 7 to Java 7, so that it may hold the advice's
 * {@code invokedynamic}: libraries still built for Java 6 (Apache HttpClient 4.x is) would
 * otherwise fail to load once woven. Java 7 class files need stack map frames, which older ones may
 * lack, so every frame is computed (types resolved from the class files, nothing loaded). A
 * {@code jsr} (compilers for Java 1.4 and older) cannot be kept in a Java 7 class: such a class is
 * left as it is, with one line saying so.
 */
final class ClassFileUpgrade extends AsmVisitorWrapper.AbstractBase {
  static final ClassFileUpgrade INSTANCE = new ClassFileUpgrade();

  /** Thrown while weaving a class that uses {@code jsr}; the class then loads unchanged. */
  static final class UsesJsr extends RuntimeException {
    UsesJsr() {
      super("its class file uses jsr (compiled for Java 1.4 or older)", null, false, false);
    }
  }

  private ClassFileUpgrade() {}

  static boolean needed(TypeDescription type) {
    ClassFileVersion version = type.getClassFileVersion();
    return version != null && version.isLessThan(ClassFileVersion.JAVA_V7);
  }

  @Override
  public int mergeWriter(int flags) {
    return flags | ClassWriter.COMPUTE_FRAMES;
  }

  @Override
  public ClassVisitor wrap(TypeDescription instrumentedType, ClassVisitor classVisitor, Implementation.Context context,
      TypePool typePool, net.bytebuddy.description.field.FieldList<FieldDescription.InDefinedShape> fields,
      MethodList<?> methods, int writerFlags, int readerFlags) {
    return new ClassVisitor(OpenedClassReader.ASM_API, classVisitor) {
      @Override
      public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
        super.visit(Math.max(version & 0xffff, Opcodes.V1_7), access, name, signature, superName, interfaces);
      }

      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
          String[] exceptions) {
        return new MethodVisitor(OpenedClassReader.ASM_API,
            super.visitMethod(access, name, descriptor, signature, exceptions)) {
          @Override
          public void visitJumpInsn(int opcode, Label label) {
            if (opcode == Opcodes.JSR) {
              throw new UsesJsr();
            }
            super.visitJumpInsn(opcode, label);
          }
        };
      }
    };
  }
}
