package io.tracelight.core.instrumentation;

import java.util.ArrayList;
import java.util.List;

/** Reads method descriptors ({@code (ILjava/lang/String;)V}) without ASM's {@code Type}. */
final class Descriptors {
  private Descriptors() {}

  /** The parameter descriptors, in order. */
  static String[] parameters(String methodDescriptor) {
    List<String> out = new ArrayList<>(4);
    int i = 1;
    while (methodDescriptor.charAt(i) != ')') {
      int end = end(methodDescriptor, i);
      out.add(methodDescriptor.substring(i, end));
      i = end;
    }
    return out.toArray(new String[0]);
  }

  /** The return type's descriptor. */
  static String returnType(String methodDescriptor) {
    return methodDescriptor.substring(methodDescriptor.indexOf(')') + 1);
  }

  /** Local variable slots a value of this type takes. */
  static int size(String descriptor) {
    char c = descriptor.charAt(0);
    return c == 'J' || c == 'D' ? 2 : c == 'V' ? 0 : 1;
  }

  static boolean isReference(String descriptor) {
    char c = descriptor.charAt(0);
    return c == 'L' || c == '[';
  }

  /** Where the type starting at {@code start} ends. */
  private static int end(String d, int start) {
    int i = start;
    while (d.charAt(i) == '[') {
      i++;
    }
    return d.charAt(i) == 'L' ? d.indexOf(';', i) + 1 : i + 1;
  }
}
