package io.tracelight.core.instrumentation;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * An advice class as its class file declares it ({@link Advice}'s annotations): the enter and
 * exit methods and what each parameter is bound to. Read once per advice class with ASM, without
 * loading it. Immutable once read; any thread.
 */
final class AdviceSpec {
  enum Kind { ARGUMENT, THIS, RETURN, THROWN, ENTER, FIELD }

  /** One parameter of an advice method. */
  static final class Parameter {
    final Kind kind;
    final int argument; // ARGUMENT only
    final String field; // FIELD only
    final String descriptor; // the advice's own parameter type

    Parameter(Kind kind, int argument, String field, String descriptor) {
      this.kind = kind;
      this.argument = argument;
      this.field = field;
      this.descriptor = descriptor;
    }
  }

  /** The enter or the exit method. */
  static final class Hook {
    final String name;
    final String descriptor;
    final Parameter[] parameters;

    Hook(String name, String descriptor, Parameter[] parameters) {
      this.name = name;
      this.descriptor = descriptor;
      this.parameters = parameters;
    }

    String returnType() {
      return Descriptors.returnType(descriptor);
    }

    boolean uses(Kind kind) {
      for (Parameter p : parameters) {
        if (p.kind == kind) {
          return true;
        }
      }
      return false;
    }
  }

  private static final String ADVICE = "Lio/tracelight/core/instrumentation/Advice$";

  final String adviceClass;
  final Hook enter;
  final Hook exit;
  final boolean onThrowable;
  /** Argument indexes the enter method's array elements replace; null when it replaces none. */
  final int[] toArguments;
  final boolean toReturned;

  private AdviceSpec(String adviceClass, Reader r) {
    this.adviceClass = adviceClass;
    this.enter = r.enter;
    this.exit = r.exit;
    this.onThrowable = r.onThrowable;
    this.toArguments = r.toArguments;
    this.toReturned = r.toReturned;
  }

  /** Reads the advice class; throws {@link IllegalArgumentException} saying what is wrong with it. */
  static AdviceSpec read(String adviceClass, byte[] classFile) {
    if (classFile == null) {
      throw new IllegalArgumentException("advice class " + adviceClass + " not found");
    }
    Reader reader = new Reader();
    new ClassReader(classFile).accept(reader, ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
    AdviceSpec spec = new AdviceSpec(adviceClass, reader);
    spec.validate();
    return spec;
  }

  private void validate() {
    if (enter == null && exit == null) {
      fail("has neither an @OnEnter nor an @OnExit method");
    }
    if (enter != null) {
      for (Parameter p : enter.parameters) {
        if (p.kind != Kind.ARGUMENT && p.kind != Kind.THIS) {
          fail("binds " + p.kind + " in its enter method, which only sees arguments and this");
        }
      }
    }
    if (toArguments != null && (enter == null || !enter.returnType().equals("[Ljava/lang/Object;"))) {
      fail("has @ToArguments on a method that does not return Object[]");
    }
    if (exit != null && exit.uses(Kind.ENTER) && (enter == null || enter.returnType().equals("V"))) {
      fail("binds @Enter but its enter method returns nothing");
    }
    if (toReturned && (exit == null || !exit.returnType().equals("[Ljava/lang/Object;"))) {
      fail("has @ToReturned on a method that does not return Object[]");
    }
  }

  private void fail(String what) {
    throw new IllegalArgumentException("advice " + adviceClass + " " + what);
  }

  /** Collects the annotated methods of the advice class file. */
  private static final class Reader extends ClassVisitor {
    Hook enter;
    Hook exit;
    boolean onThrowable;
    int[] toArguments;
    boolean toReturned;

    Reader() {
      super(Opcodes.ASM9);
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
        String[] exceptions) {
      if ((access & Opcodes.ACC_STATIC) == 0) {
        return null;
      }
      String[] types = Descriptors.parameters(descriptor);
      Parameter[] parameters = new Parameter[types.length];
      return new MethodVisitor(Opcodes.ASM9) {
        boolean isEnter;
        boolean isExit;

        @Override
        public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
          switch (annotation.startsWith(ADVICE) ? annotation.substring(ADVICE.length()) : "") {
            case "OnEnter;":
              isEnter = true;
              return null;
            case "OnExit;":
              isExit = true;
              return new AnnotationVisitor(Opcodes.ASM9) {
                @Override
                public void visit(String key, Object value) {
                  if (key.equals("onThrowable")) {
                    onThrowable = (Boolean) value;
                  }
                }
              };
            case "ToReturned;":
              toReturned = true;
              return null;
            case "ToArguments;":
              return new ArgumentIndexes();
            default:
              return null;
          }
        }

        @Override
        public AnnotationVisitor visitParameterAnnotation(int parameter, String annotation, boolean visible) {
          if (!annotation.startsWith(ADVICE) || parameter >= types.length) {
            return null;
          }
          String type = types[parameter];
          switch (annotation.substring(ADVICE.length())) {
            case "This;":
              parameters[parameter] = new Parameter(Kind.THIS, -1, null, type);
              return null;
            case "Return;":
              parameters[parameter] = new Parameter(Kind.RETURN, -1, null, type);
              return null;
            case "Thrown;":
              parameters[parameter] = new Parameter(Kind.THROWN, -1, null, type);
              return null;
            case "Enter;":
              parameters[parameter] = new Parameter(Kind.ENTER, -1, null, type);
              return null;
            case "Argument;":
              return new AnnotationVisitor(Opcodes.ASM9) {
                @Override
                public void visit(String key, Object value) {
                  parameters[parameter] = new Parameter(Kind.ARGUMENT, (Integer) value, null, type);
                }
              };
            case "FieldValue;":
              return new AnnotationVisitor(Opcodes.ASM9) {
                @Override
                public void visit(String key, Object value) {
                  parameters[parameter] = new Parameter(Kind.FIELD, -1, (String) value, type);
                }
              };
            default:
              return null;
          }
        }

        @Override
        public void visitEnd() {
          if (!isEnter && !isExit) {
            return;
          }
          for (int i = 0; i < parameters.length; i++) {
            if (parameters[i] == null) {
              throw new IllegalArgumentException("advice method " + name + " has parameter " + i
                  + " without a binding annotation");
            }
          }
          Hook hook = new Hook(name, descriptor, parameters);
          if (isEnter) {
            enter = hook;
          } else {
            exit = hook;
          }
        }
      };
    }

    /** Reads {@code @ToArguments}' {@code int[]}, which ASM hands over whole or element by element. */
    private final class ArgumentIndexes extends AnnotationVisitor {
      ArgumentIndexes() {
        super(Opcodes.ASM9);
      }

      @Override
      public void visit(String key, Object value) {
        if (value instanceof int[]) {
          toArguments = (int[]) value;
        }
      }

      @Override
      public AnnotationVisitor visitArray(String key) {
        List<Integer> values = new ArrayList<>();
        return new AnnotationVisitor(Opcodes.ASM9) {
          @Override
          public void visit(String k, Object value) {
            values.add((Integer) value);
          }

          @Override
          public void visitEnd() {
            int[] indexes = new int[values.size()];
            for (int i = 0; i < indexes.length; i++) {
              indexes[i] = values.get(i);
            }
            toArguments = indexes;
          }
        };
      }
    }
  }
}
