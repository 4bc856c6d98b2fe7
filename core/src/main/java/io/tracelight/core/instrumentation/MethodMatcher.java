package io.tracelight.core.instrumentation;

import java.util.Arrays;

/**
 * Which methods of a matched class get an advice: a name (or the constructors), optionally the
 * number of parameters and the types of some of them, compared with the method's descriptor as
 * the class file spells it. Nothing is loaded or resolved. Immutable; any thread.
 */
public final class MethodMatcher {
  private static final String CONSTRUCTOR = "<init>";

  private final String name;
  private final int arguments; // -1: any number
  private final String[] argumentTypes; // descriptors by index; null entries: any type

  private MethodMatcher(String name, int arguments, String[] argumentTypes) {
    this.name = name;
    this.arguments = arguments;
    this.argumentTypes = argumentTypes;
  }

  /** The methods called {@code name}. */
  public static MethodMatcher named(String name) {
    return new MethodMatcher(name, -1, new String[0]);
  }

  /** The constructors. */
  public static MethodMatcher constructor() {
    return named(CONSTRUCTOR);
  }

  /** Only those with exactly {@code count} parameters. */
  public MethodMatcher takesArguments(int count) {
    return new MethodMatcher(name, count, argumentTypes);
  }

  /**
   * Only those whose parameter {@code index} is of the class with binary name {@code className}
   * (a primitive's name, and {@code []} after a name for an array: {@code float[]}).
   */
  public MethodMatcher takesArgument(int index, String className) {
    String[] types = Arrays.copyOf(argumentTypes, Math.max(argumentTypes.length, index + 1));
    types[index] = descriptorOf(className);
    return new MethodMatcher(name, arguments, types);
  }

  /** Whether a method with this name and descriptor (as in the class file) matches. */
  public boolean matches(String methodName, String descriptor) {
    if (!name.equals(methodName)) {
      return false;
    }
    String[] parameters = Descriptors.parameters(descriptor);
    if (arguments >= 0 && parameters.length != arguments) {
      return false;
    }
    for (int i = 0; i < argumentTypes.length; i++) {
      if (argumentTypes[i] != null && (i >= parameters.length || !argumentTypes[i].equals(parameters[i]))) {
        return false;
      }
    }
    return true;
  }

  private static String descriptorOf(String className) {
    if (className.endsWith("[]")) { // float[], java.lang.String[]
      return "[" + descriptorOf(className.substring(0, className.length() - 2));
    }
    switch (className) {
      case "boolean": return "Z";
      case "byte": return "B";
      case "char": return "C";
      case "short": return "S";
      case "int": return "I";
      case "long": return "J";
      case "float": return "F";
      case "double": return "D";
      default: return "L" + className.replace('.', '/') + ";";
    }
  }

  @Override
  public String toString() {
    return (name.equals(CONSTRUCTOR) ? "constructor" : name) + (arguments >= 0 ? "/" + arguments : "");
  }
}
