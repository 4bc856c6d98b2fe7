package io.tracelight.core.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Woven advice is an {@code invokedynamic}, which class files older than Java 7 may not hold:
 * Apache HttpClient 4.5 is built for Java 6. Such classes are raised to Java 7 with their frames
 * computed; a class using {@code jsr} is left alone with one line.
 */
class ClassFileUpgradeTest {
  /** The advice the test weaves: it does nothing, so the class's own result shows. */
  public static final class NoOpAdvice {
    @Advice.OnExit
    public static void exit() {}
  }

  private static AdviceTransformer transformer(String className) {
    ClassLoader loader = ClassFileUpgradeTest.class.getClassLoader();
    return new AdviceTransformer(Map.of(className, List.of(new AdviceTransformer.Binding(
        MethodMatcher.named("sample"), NoOpAdvice.class.getName(), "test",
        new ModuleReferences(ClassFileUpgradeTest.class.getPackageName() + ".", List.of(NoOpAdvice.class.getName()),
            loader)))), loader, TestDispatcher.INTERNAL_NAME);
  }

  /** {@code static int sample(int x) { return x > 0 ? x + 1 : 0; }}, with no stack map frames. */
  private static byte[] javaSixClass(String internalName) {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V1_6, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, internalName, null, "java/lang/Object", null);
    MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "sample", "(I)I", null, null);
    m.visitCode();
    Label zero = new Label();
    m.visitVarInsn(Opcodes.ILOAD, 0);
    m.visitJumpInsn(Opcodes.IFLE, zero);
    m.visitVarInsn(Opcodes.ILOAD, 0);
    m.visitInsn(Opcodes.ICONST_1);
    m.visitInsn(Opcodes.IADD);
    m.visitInsn(Opcodes.IRETURN);
    m.visitLabel(zero);
    m.visitInsn(Opcodes.ICONST_0);
    m.visitInsn(Opcodes.IRETURN);
    m.visitMaxs(0, 0);
    m.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  /** {@code sample} calling a subroutine with {@code jsr}, as Java 1.4 compilers wrote finally blocks. */
  private static byte[] jsrClass(String internalName) {
    ClassWriter cw = new ClassWriter(0);
    cw.visit(Opcodes.V1_4, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, internalName, null, "java/lang/Object", null);
    MethodVisitor m = cw.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, "sample", "(I)I", null, null);
    m.visitCode();
    Label subroutine = new Label();
    m.visitJumpInsn(Opcodes.JSR, subroutine);
    m.visitVarInsn(Opcodes.ILOAD, 0);
    m.visitInsn(Opcodes.IRETURN);
    m.visitLabel(subroutine);
    m.visitVarInsn(Opcodes.ASTORE, 1);
    m.visitVarInsn(Opcodes.RET, 1);
    m.visitMaxs(1, 2);
    m.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static final class Loader extends ClassLoader {
    Loader() {
      super(ClassFileUpgradeTest.class.getClassLoader());
    }

    Class<?> define(String name, byte[] bytes) {
      return defineClass(name, bytes, 0, bytes.length);
    }
  }

  private static int majorVersion(byte[] classFile) {
    return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
  }

  @Test
  void aJavaSixClassIsRaisedToJavaSevenAndStillRuns() throws Throwable {
    String name = "org.example.OldLibrary";
    byte[] original = javaSixClass(name.replace('.', '/'));
    byte[] woven = transformer(name).transform(null, null, name.replace('.', '/'), null, null, original);
    assertNotNull(woven, "the class was woven");
    assertEquals(51, majorVersion(woven));
    Class<?> c = new Loader().define(name, woven);
    Method sample = c.getMethod("sample", int.class);
    assertEquals(6, sample.invoke(null, 5), "verified with computed frames, the advice ran and changed nothing");
    assertEquals(0, sample.invoke(null, -5));
  }

  @Test
  void theSameClassWovenWithoutTheUpgradeWouldNotLoad() throws Exception {
    String name = "org.example.OldLibraryUnpatched";
    byte[] original = javaSixClass(name.replace('.', '/'));
    byte[] woven = transformer(name).transform(null, null, name.replace('.', '/'), null, null, original);
    woven[7] = 50; // back to Java 6: an invokedynamic in a Java 6 class
    byte[] patched = woven;
    assertThrows(ClassFormatError.class, () -> new Loader().define(name, patched));
  }

  @Test
  void aClassUsingJsrIsLeftAsItIsWithOneLine() throws Exception {
    String name = "org.example.AncientLibrary";
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    byte[] woven;
    try {
      woven = transformer(name).transform(null, null, name.replace('.', '/'), null, null, jsrClass(name.replace('.', '/')));
    } finally {
      System.setErr(err);
    }
    assertNull(woven, "the class loads unchanged");
    String said = captured.toString(StandardCharsets.UTF_8);
    assertTrue(said.startsWith("[tracelight] cannot instrument " + name + ": its class file uses jsr"), said);
    assertEquals(1, said.split("\n").length, said);
  }
}
