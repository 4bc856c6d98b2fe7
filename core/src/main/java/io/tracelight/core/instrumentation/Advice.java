package io.tracelight.core.instrumentation;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * How an advice class says what it wants; read from its class file by {@link AdviceSpec} (the
 * annotations are never loaded). An advice class has at most one public static {@link OnEnter}
 * method and one {@link OnExit} method. Neither is copied into the instrumented method: each is
 * called through an {@code invokedynamic} that {@link IndyBootstrap} binds to it in the module's
 * own class loader, and whatever it throws is caught there, reported and never reaches the
 * application. Parameters are bound by annotation; a parameter's type may be a supertype of the
 * value's (it is then cast, which cannot fail) and primitives must match exactly.
 */
public final class Advice {
  private Advice() {}

  /** Called before the method's own code (in a constructor, before its {@code super(...)} call). */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.METHOD)
  public @interface OnEnter {}

  /** Called when the method returns and, with {@code onThrowable}, when it throws (then rethrown). */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.METHOD)
  public @interface OnExit {
    boolean onThrowable() default false;
  }

  /**
   * On an enter method returning {@code Object[]}: element {@code i} of the array replaces
   * argument {@code value()[i]} before the method runs. A null array, or an element that is null
   * or not of the parameter's type, leaves that argument as it was.
   */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.METHOD)
  public @interface ToArguments {
    int[] value();
  }

  /**
   * On an exit method returning {@code Object[]}: element 0 replaces the method's return value
   * (never when it threw). A null array or element, or one not of the return type, changes nothing.
   */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.METHOD)
  public @interface ToReturned {}

  /** The argument at this index, as the enter advice left it. */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.PARAMETER)
  public @interface Argument {
    int value();
  }

  /** The instance the method runs on (not in a constructor's enter advice). */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.PARAMETER)
  public @interface This {}

  /** Exit only: the value returned, or null (zero) when the method threw. */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.PARAMETER)
  public @interface Return {}

  /** Exit only: what the method threw, or null. */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.PARAMETER)
  public @interface Thrown {}

  /** Exit only: what the enter advice returned. */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.PARAMETER)
  public @interface Enter {}

  /** Exit only: a field of the instance (declared by its class or a superclass), read on exit. */
  @Retention(RetentionPolicy.CLASS)
  @Target(ElementType.PARAMETER)
  public @interface FieldValue {
    String value();
  }
}
