package io.tracelight.core.instrumentation;

import io.tracelight.core.InternalErrors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The library classes, methods and fields a module's advice and helpers use, read from their class
 * files, and whether a class loader has them all: the OpenTelemetry agent's "muzzle" idea, checked
 * when a class first matches rather than recorded at build time, from class files read with ASM. A module whose references a
 * loader lacks (an unsupported version of its library) is not woven there, and one line says what
 * is missing; otherwise it would be woven and then fail on every call.
 *
 * <p>References into the JDK and the agent are not checked: the JDK versions are tested, and the
 * agent ships with itself. Threads: any class-loading thread; the references are read once under
 * this object's monitor (from the agent's own jar); each loader's answer is kept once computed.
 */
final class ModuleReferences {
  /** A class, method or field of the library, named as in class files. */
  static final class Ref {
    final String owner;
    final String name; // null for a class
    final String descriptor;
    final boolean method;

    Ref(String owner, String name, String descriptor, boolean method) {
      this.owner = owner;
      this.name = name;
      this.descriptor = descriptor;
      this.method = method;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Ref && toString().equals(o.toString());
    }

    @Override
    public int hashCode() {
      return toString().hashCode();
    }

    @Override
    public String toString() {
      String type = owner.replace('/', '.');
      if (name == null) {
        return type;
      }
      return method ? type + "." + name + descriptor : type + "." + name + ":" + descriptor;
    }
  }

  private final String helperPrefix;
  private final Collection<String> roots;
  private final ClassLoader agentLoader;
  private List<Ref> refs;
  private final Map<ClassLoader, List<Ref>> missingByLoader = new WeakHashMap<>();
  private List<Ref> missingInBootLoader;

  /**
   * @param roots the module's advice classes (binary names); helpers are found from them
   * @param agentLoader where the module's class files are read from
   */
  ModuleReferences(String helperPackage, Collection<String> roots, ClassLoader agentLoader) {
    this.helperPrefix = helperPackage.replace('.', '/');
    this.roots = roots;
    this.agentLoader = agentLoader;
  }

  /**
   * What {@code loader} (null: the boot loader) lacks of the references; empty when it has them
   * all. Computed outside the monitor (it reads class files through the loader, which may lock);
   * two threads may both compute it, to the same answer.
   */
  List<Ref> missingIn(ClassLoader loader) {
    synchronized (this) {
      List<Ref> known = loader == null ? missingInBootLoader : missingByLoader.get(loader);
      if (known != null) {
        return known;
      }
    }
    List<Ref> missing = check(loader);
    synchronized (this) {
      if (loader == null) {
        missingInBootLoader = missing;
      } else {
        missingByLoader.put(loader, missing);
      }
    }
    return missing;
  }

  private synchronized List<Ref> refs() {
    if (refs == null) {
      refs = collect();
    }
    return refs;
  }

  private List<Ref> check(ClassLoader loader) {
    Map<String, Members> read = new HashMap<>();
    List<Ref> missing = new ArrayList<>();
    for (Ref ref : refs()) {
      Members owner = members(loader, ref.owner, read);
      if (owner == null || (ref.name != null && !hasMember(loader, owner, ref, read))) {
        missing.add(ref);
      }
    }
    return missing;
  }

  /** Declared by the type or inherited from its superclasses or interfaces. */
  private static boolean hasMember(ClassLoader loader, Members type, Ref ref, Map<String, Members> read) {
    String member = ref.method ? ref.name + ref.descriptor : ref.name + ":" + ref.descriptor;
    Deque<Members> todo = new ArrayDeque<>();
    Set<String> seen = new HashSet<>();
    todo.add(type);
    while (!todo.isEmpty()) {
      Members t = todo.poll();
      if (!seen.add(t.name)) {
        continue;
      }
      if (t.members.contains(member)) {
        return true;
      }
      for (String supertype : t.supertypes) {
        Members s = members(loader, supertype, read);
        if (s != null) {
          todo.add(s);
        }
      }
    }
    return false;
  }

  /** A class's declared methods and fields and its supertypes, as its class file says; null if absent. */
  private static Members members(ClassLoader loader, String internalName, Map<String, Members> read) {
    if (read.containsKey(internalName)) {
      return read.get(internalName);
    }
    byte[] bytes = ClassFiles.read(loader, internalName);
    Members m = null;
    if (bytes != null) {
      m = new Members(internalName);
      new ClassReader(bytes).accept(m, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    }
    read.put(internalName, m);
    return m;
  }

  /** What {@link #hasMember} needs of one class file. */
  private static final class Members extends ClassVisitor {
    final String name;
    final Set<String> members = new HashSet<>();
    final List<String> supertypes = new ArrayList<>(4);

    Members(String name) {
      super(Opcodes.ASM9);
      this.name = name;
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
      if (superName != null) {
        supertypes.add(superName);
      }
      supertypes.addAll(Arrays.asList(interfaces));
    }

    @Override
    public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
      members.add(name + ":" + descriptor);
      return null;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
        String[] exceptions) {
      members.add(name + descriptor);
      return null;
    }
  }

  // ---- reading the module's class files

  private List<Ref> collect() {
    Set<Ref> found = new LinkedHashSet<>();
    Set<String> visited = new HashSet<>();
    Deque<String> helpers = new ArrayDeque<>();
    for (String root : roots) {
      helpers.add(root.replace('.', '/'));
    }
    while (!helpers.isEmpty()) {
      String helper = helpers.poll();
      if (!visited.add(helper)) {
        continue;
      }
      try {
        byte[] bytes = ClassFiles.read(agentLoader, helper);
        if (bytes == null) {
          throw new IllegalStateException("class file not found");
        }
        new ClassReader(bytes).accept(new Collector(found, helpers), ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
      } catch (Throwable t) {
        InternalErrors.report("reading the references of " + helper, t);
      }
    }
    return new ArrayList<>(found);
  }

  private static boolean checked(String internalName) {
    return !(internalName.startsWith("java/") || internalName.startsWith("javax/") || internalName.startsWith("jdk/")
        || internalName.startsWith("sun/") || internalName.startsWith("com/sun/")
        || internalName.startsWith("io/tracelight/"));
  }

  /** Adds the library references of one class; queues the module's other classes it names. */
  private final class Collector extends ClassVisitor {
    private final Set<Ref> found;
    private final Deque<String> helpers;

    Collector(Set<Ref> found, Deque<String> helpers) {
      super(Opcodes.ASM9);
      this.found = found;
      this.helpers = helpers;
    }

    void type(Type t) {
      while (t.getSort() == Type.ARRAY) {
        t = t.getElementType();
      }
      if (t.getSort() == Type.OBJECT) {
        className(t.getInternalName());
      } else if (t.getSort() == Type.METHOD) {
        type(t.getReturnType());
        for (Type a : t.getArgumentTypes()) {
          type(a);
        }
      }
    }

    void className(String internalName) {
      if (internalName.startsWith("[")) {
        type(Type.getType(internalName));
      } else if (internalName.startsWith(helperPrefix)) {
        helpers.add(internalName);
      } else if (checked(internalName)) {
        found.add(new Ref(internalName, null, null, false));
      }
    }

    void member(String owner, String name, String descriptor, boolean method) {
      if (owner.startsWith("[")) {
        type(Type.getType(owner));
      } else if (owner.startsWith(helperPrefix)) {
        helpers.add(owner);
      } else if (checked(owner)) {
        found.add(new Ref(owner, name, descriptor, method));
      }
      type(Type.getType(descriptor));
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
      if (superName != null) {
        className(superName);
      }
      for (String i : interfaces) {
        className(i);
      }
    }

    @Override
    public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
      type(Type.getType(descriptor));
      return null;
    }

    @Override
    public void visitInnerClass(String name, String outerName, String innerName, int access) {
      if (name.startsWith(helperPrefix)) {
        helpers.add(name);
      }
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
      type(Type.getMethodType(descriptor));
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public void visitTypeInsn(int opcode, String type) {
          className(type);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
          member(owner, name, descriptor, false);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
          member(owner, name, descriptor, true);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... args) {
          type(Type.getMethodType(descriptor));
          for (Object a : args) {
            if (a instanceof Handle) {
              Handle h = (Handle) a;
              member(h.getOwner(), h.getName(), h.getDesc(), h.getTag() >= 5); // tags 1-4 are fields
            } else if (a instanceof Type) {
              type((Type) a);
            }
          }
        }

        @Override
        public void visitLdcInsn(Object value) {
          if (value instanceof Type) {
            type((Type) value);
          }
        }

        @Override
        public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
          if (type != null) {
            className(type);
          }
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int dimensions) {
          type(Type.getType(descriptor));
        }
      };
    }
  }
}
