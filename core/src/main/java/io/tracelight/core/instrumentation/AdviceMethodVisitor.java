package io.tracelight.core.instrumentation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Weaves one advice into one method, the shape Byte Buddy's non-inlined advice has, with no
 * branch of its own:
 *
 * <pre>
 *   enter = indy enter(args...)             // and @ToArguments: arg = replacement(enter, i, arg, Type)
 *   copies = args the exit reads            // locals after the method's own
 *   try {                                   // only with onThrowable
 *     ...the method's code; each return:  ret = value; indy exit(...); [@ToReturned]; return ret
 *   } catch (Throwable t) { indy exit(..., t); throw t; }
 * </pre>
 *
 * The new locals live after the method's own ({@code maxLocals}, read beforehand), and each
 * stack map frame of the method's code gets them appended, so they are live everywhere. The only
 * frame written here is the handler's, which needs nothing but those locals. The
 * {@code invokedynamic} type is the type of the values pushed (the instrumented method's), so
 * nothing is cast in the bytecode: {@link IndyBootstrap} adapts the advice method to it, and a
 * value the advice cannot take fails there, caught, not in the application's method.
 *
 * <p>One instance per woven method; the class-loading thread that weaves it.
 */
final class AdviceMethodVisitor extends MethodVisitor {
  private static final String OBJECT_ARRAY = "[Ljava/lang/Object;";
  private static final String REPLACEMENT_DESCRIPTOR =
      "([Ljava/lang/Object;ILjava/lang/Object;Ljava/lang/Class;)Ljava/lang/Object;";

  private final String owner;
  private final boolean isStatic;
  private final boolean isConstructor;
  private final String returnType;
  private final String[] parameterTypes;
  private final int[] parameterSlots;
  private final AdviceSpec advice;
  private final Handle bootstrap;
  private final String dispatcher;
  private final int ownLocals;

  private int enterLocal = -1;
  private final int[] copySlots;
  private final List<Object> addedFrameLocals = new ArrayList<>();
  private int returnLocal = -1;
  private int thrownLocal = -1;

  private final boolean catchThrowable;
  private Label segmentStart;
  private final List<Label[]> segments = new ArrayList<>();

  AdviceMethodVisitor(MethodVisitor next, String owner, int access, String name, String descriptor, int maxLocals,
      AdviceSpec advice, String dispatcher) {
    super(Opcodes.ASM9, next);
    this.owner = owner;
    this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
    this.isConstructor = name.equals("<init>");
    this.returnType = Descriptors.returnType(descriptor);
    this.parameterTypes = Descriptors.parameters(descriptor);
    this.advice = advice;
    this.dispatcher = dispatcher;
    this.bootstrap = new Handle(Opcodes.H_INVOKESTATIC, dispatcher, "bootstrap",
        "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;[Ljava/lang/Object;)"
            + "Ljava/lang/invoke/CallSite;", false);
    this.ownLocals = maxLocals;
    this.catchThrowable = advice.exit != null && advice.onThrowable;
    parameterSlots = new int[parameterTypes.length];
    int slot = isStatic ? 0 : 1;
    for (int i = 0; i < parameterTypes.length; i++) {
      parameterSlots[i] = slot;
      slot += Descriptors.size(parameterTypes[i]);
    }
    check();
    int free = maxLocals;
    if (advice.enter != null && !advice.enter.returnType().equals("V")
        && (advice.toArguments != null || (advice.exit != null && advice.exit.uses(AdviceSpec.Kind.ENTER)))) {
      enterLocal = free;
      free += Descriptors.size(advice.enter.returnType());
      addedFrameLocals.add(frameType(advice.enter.returnType()));
    }
    copySlots = new int[parameterTypes.length];
    Arrays.fill(copySlots, -1);
    if (advice.exit != null) {
      for (AdviceSpec.Parameter p : advice.exit.parameters) {
        if (p.kind == AdviceSpec.Kind.ARGUMENT && copySlots[p.argument] < 0) {
          copySlots[p.argument] = free;
          free += Descriptors.size(parameterTypes[p.argument]);
          addedFrameLocals.add(frameType(parameterTypes[p.argument]));
        }
      }
      if (!returnType.equals("V")) {
        returnLocal = free;
        free += Descriptors.size(returnType);
      }
      thrownLocal = free;
    }
  }

  /** What this weaver cannot do for this method; thrown before anything is written. */
  private void check() {
    for (AdviceSpec.Hook hook : new AdviceSpec.Hook[] {advice.enter, advice.exit}) {
      if (hook == null) {
        continue;
      }
      for (AdviceSpec.Parameter p : hook.parameters) {
        if (p.kind == AdviceSpec.Kind.ARGUMENT && p.argument >= parameterTypes.length) {
          throw new IllegalArgumentException(advice.adviceClass + " binds argument " + p.argument
              + " of a method with " + parameterTypes.length);
        }
        if ((p.kind == AdviceSpec.Kind.THIS || p.kind == AdviceSpec.Kind.FIELD)
            && (isStatic || (isConstructor && hook == advice.enter))) {
          throw new IllegalArgumentException(advice.adviceClass + " binds this where there is none");
        }
      }
    }
    if (advice.toArguments != null) {
      for (int index : advice.toArguments) {
        if (index >= parameterTypes.length || !Descriptors.isReference(parameterTypes[index])) {
          throw new IllegalArgumentException(advice.adviceClass + " replaces argument " + index
              + ", which is not an object");
        }
      }
    }
    if (advice.toReturned && !Descriptors.isReference(returnType)) {
      throw new IllegalArgumentException(advice.adviceClass + " replaces a return value that is not an object");
    }
    if (catchThrowable && isConstructor) {
      throw new IllegalArgumentException(advice.adviceClass + " catches what a constructor throws; not supported");
    }
  }

  @Override
  public void visitCode() {
    super.visitCode();
    if (advice.enter != null) {
      enter();
    }
    for (int i = 0; i < copySlots.length; i++) {
      if (copySlots[i] >= 0) {
        super.visitVarInsn(load(parameterTypes[i]), parameterSlots[i]);
        super.visitVarInsn(store(parameterTypes[i]), copySlots[i]);
      }
    }
    if (catchThrowable) {
      segmentStart = new Label();
      super.visitLabel(segmentStart);
    }
  }

  private void enter() {
    AdviceSpec.Hook hook = advice.enter;
    StringBuilder type = new StringBuilder("(");
    for (AdviceSpec.Parameter p : hook.parameters) {
      if (p.kind == AdviceSpec.Kind.THIS) {
        super.visitVarInsn(Opcodes.ALOAD, 0);
        type.append('L').append(owner).append(';');
      } else {
        super.visitVarInsn(load(parameterTypes[p.argument]), parameterSlots[p.argument]);
        type.append(parameterTypes[p.argument]);
      }
    }
    String result = hook.returnType();
    super.visitInvokeDynamicInsn(hook.name, type.append(')').append(result).toString(), bootstrap,
        advice.adviceClass, hook.descriptor);
    if (enterLocal >= 0) {
      super.visitVarInsn(store(result), enterLocal);
    } else if (!result.equals("V")) {
      super.visitInsn(Descriptors.size(result) == 2 ? Opcodes.POP2 : Opcodes.POP);
    }
    if (advice.toArguments != null) {
      for (int i = 0; i < advice.toArguments.length; i++) {
        int argument = advice.toArguments[i];
        super.visitVarInsn(Opcodes.ALOAD, enterLocal);
        pushInt(i);
        super.visitVarInsn(Opcodes.ALOAD, parameterSlots[argument]);
        replaceTopWith(parameterTypes[argument]);
        super.visitVarInsn(Opcodes.ASTORE, parameterSlots[argument]);
      }
    }
  }

  /** Stack: array, index, current value; leaves the replacement (or the current value), cast. */
  private void replaceTopWith(String type) {
    Type t = Type.getType(type);
    super.visitLdcInsn(t);
    super.visitMethodInsn(Opcodes.INVOKESTATIC, dispatcher, "replacement", REPLACEMENT_DESCRIPTOR, false);
    super.visitTypeInsn(Opcodes.CHECKCAST, t.getInternalName());
  }

  @Override
  public void visitInsn(int opcode) {
    if (advice.exit != null && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
      if (catchThrowable) {
        closeSegment();
      }
      if (returnLocal >= 0) {
        super.visitVarInsn(store(returnType), returnLocal);
      }
      exit(false);
      if (returnLocal >= 0) {
        super.visitVarInsn(load(returnType), returnLocal);
      }
      super.visitInsn(opcode);
      if (catchThrowable) {
        segmentStart = new Label();
        super.visitLabel(segmentStart);
      }
      return;
    }
    super.visitInsn(opcode);
  }

  private void closeSegment() {
    Label end = new Label();
    super.visitLabel(end);
    segments.add(new Label[] {segmentStart, end});
  }

  /** Calls the exit advice; {@code thrown}: from the handler, with the throwable in its local. */
  private void exit(boolean thrown) {
    AdviceSpec.Hook hook = advice.exit;
    StringBuilder type = new StringBuilder("(");
    for (AdviceSpec.Parameter p : hook.parameters) {
      switch (p.kind) {
        case ARGUMENT:
          super.visitVarInsn(load(parameterTypes[p.argument]), copySlots[p.argument]);
          type.append(parameterTypes[p.argument]);
          break;
        case THIS:
          super.visitVarInsn(Opcodes.ALOAD, 0);
          type.append('L').append(owner).append(';');
          break;
        case FIELD:
          super.visitVarInsn(Opcodes.ALOAD, 0);
          super.visitFieldInsn(Opcodes.GETFIELD, owner, p.field, p.descriptor);
          type.append(p.descriptor);
          break;
        case ENTER:
          super.visitVarInsn(load(advice.enter.returnType()), enterLocal);
          type.append(advice.enter.returnType());
          break;
        case THROWN:
          if (thrown) {
            super.visitVarInsn(Opcodes.ALOAD, thrownLocal);
          } else {
            super.visitInsn(Opcodes.ACONST_NULL);
          }
          type.append("Ljava/lang/Throwable;");
          break;
        case RETURN:
          String value = returnType.equals("V") ? "Ljava/lang/Object;" : returnType;
          if (thrown || returnLocal < 0) {
            pushZero(value);
          } else {
            super.visitVarInsn(load(returnType), returnLocal);
          }
          type.append(value);
          break;
        default:
          throw new IllegalStateException(p.kind.toString());
      }
    }
    String result = hook.returnType();
    super.visitInvokeDynamicInsn(hook.name, type.append(')').append(result).toString(), bootstrap,
        advice.adviceClass, hook.descriptor);
    if (advice.toReturned && !thrown) {
      pushInt(0);
      super.visitVarInsn(Opcodes.ALOAD, returnLocal);
      replaceTopWith(returnType);
      super.visitVarInsn(Opcodes.ASTORE, returnLocal);
    } else if (!result.equals("V")) {
      super.visitInsn(Descriptors.size(result) == 2 ? Opcodes.POP2 : Opcodes.POP);
    }
  }

  @Override
  public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
    if (type != Opcodes.F_NEW || addedFrameLocals.isEmpty()) {
      super.visitFrame(type, numLocal, local, numStack, stack);
      return;
    }
    List<Object> locals = new ArrayList<>(numLocal + addedFrameLocals.size() + 4);
    int slots = 0;
    for (int i = 0; i < numLocal; i++) {
      locals.add(local[i]);
      slots += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
    }
    for (; slots < ownLocals; slots++) {
      locals.add(Opcodes.TOP);
    }
    locals.addAll(addedFrameLocals);
    super.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), numStack, stack);
  }

  @Override
  public void visitMaxs(int maxStack, int maxLocals) {
    if (catchThrowable) {
      closeSegment();
      Label handler = new Label();
      super.visitLabel(handler);
      List<Object> locals = new ArrayList<>(ownLocals + addedFrameLocals.size());
      boolean readsThis = advice.exit.uses(AdviceSpec.Kind.THIS) || advice.exit.uses(AdviceSpec.Kind.FIELD);
      for (int slot = 0; slot < ownLocals; slot++) {
        locals.add(slot == 0 && readsThis ? owner : Opcodes.TOP); // javac never stores into slot 0
      }
      locals.addAll(addedFrameLocals);
      super.visitFrame(Opcodes.F_NEW, locals.size(), locals.toArray(), 1, new Object[] {"java/lang/Throwable"});
      super.visitVarInsn(Opcodes.ASTORE, thrownLocal);
      exit(true);
      super.visitVarInsn(Opcodes.ALOAD, thrownLocal);
      super.visitInsn(Opcodes.ATHROW);
      for (Label[] segment : segments) {
        if (segment[0].getOffset() < segment[1].getOffset()) {
          super.visitTryCatchBlock(segment[0], segment[1], handler, "java/lang/Throwable");
        }
      }
    }
    super.visitMaxs(maxStack, maxLocals);
  }

  private void pushInt(int value) {
    if (value <= 5) {
      super.visitInsn(Opcodes.ICONST_0 + value);
    } else {
      super.visitIntInsn(Opcodes.BIPUSH, value);
    }
  }

  private void pushZero(String type) {
    switch (type.charAt(0)) {
      case 'J':
        super.visitInsn(Opcodes.LCONST_0);
        break;
      case 'F':
        super.visitInsn(Opcodes.FCONST_0);
        break;
      case 'D':
        super.visitInsn(Opcodes.DCONST_0);
        break;
      case 'L':
      case '[':
        super.visitInsn(Opcodes.ACONST_NULL);
        break;
      default:
        super.visitInsn(Opcodes.ICONST_0);
    }
  }

  private static int load(String type) {
    return Type.getType(type).getOpcode(Opcodes.ILOAD);
  }

  private static int store(String type) {
    return Type.getType(type).getOpcode(Opcodes.ISTORE);
  }

  /** A value's type as ASM writes it in a frame. */
  private static Object frameType(String type) {
    switch (type.charAt(0)) {
      case 'Z':
      case 'B':
      case 'C':
      case 'S':
      case 'I':
        return Opcodes.INTEGER;
      case 'J':
        return Opcodes.LONG;
      case 'F':
        return Opcodes.FLOAT;
      case 'D':
        return Opcodes.DOUBLE;
      case '[':
        return type;
      default:
        return type.substring(1, type.length() - 1);
    }
  }
}
