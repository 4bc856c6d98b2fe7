package io.tracelight.core.instrumentation;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * A class writer that computes every stack map frame, answering ASM's "common superclass"
 * question from class files read through the woven class's loader instead of loading classes
 * (which, inside a class file transformer, could load the very class being woven or run static
 * initialisers early). A type it cannot read counts as {@code java/lang/Object}, as ASM's own
 * fallback for interfaces does. One instance per woven class.
 */
final class HierarchyClassWriter extends ClassWriter {
  private static final String OBJECT = "java/lang/Object";

  private final ClassLoader loader;
  private final ClassReader woven;
  /** Class headers read so far (null: not found); one class's frames ask about the same few types. */
  private final Map<String, ClassReader> read = new HashMap<>();

  HierarchyClassWriter(ClassLoader loader, ClassReader woven) {
    super(ClassWriter.COMPUTE_FRAMES);
    this.loader = loader;
    this.woven = woven;
  }

  @Override
  protected String getCommonSuperClass(String type1, String type2) {
    if (type1.equals(type2)) {
      return type1;
    }
    List<String> first = superclasses(type1);
    List<String> second = superclasses(type2);
    if (first == null || second == null) {
      return OBJECT;
    }
    for (String t : first) {
      if (second.contains(t)) {
        return t;
      }
    }
    return OBJECT;
  }

  /** The type and its superclasses up to Object; null for an interface or a type not found. */
  private List<String> superclasses(String type) {
    List<String> chain = new ArrayList<>();
    String current = type;
    while (current != null) {
      ClassReader reader = reader(current);
      if (reader == null) {
        return null;
      }
      if ((reader.getAccess() & Opcodes.ACC_INTERFACE) != 0) {
        return null;
      }
      chain.add(current);
      current = reader.getSuperName();
    }
    return chain;
  }

  private ClassReader reader(String type) {
    if (type.equals(woven.getClassName())) {
      return woven;
    }
    if (read.containsKey(type)) {
      return read.get(type);
    }
    byte[] bytes = ClassFiles.read(loader, type);
    ClassReader reader = bytes == null ? null : new ClassReader(bytes);
    read.put(type, reader);
    return reader;
  }
}
