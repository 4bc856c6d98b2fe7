package io.tracelight.core.instrumentation.weave;

import io.tracelight.core.instrumentation.Advice;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Advice for {@link WeaveTarget}; each says what it saw in {@link #SEEN}. */
public final class TestAdvice {
  public static final List<String> SEEN = new CopyOnWriteArrayList<>();

  private TestAdvice() {}

  /** Enter and exit around {@code call}, reading everything there is to read. */
  public static final class Around {
    @Advice.OnEnter
    public static long enter(@Advice.This Object self, @Advice.Argument(0) String text, @Advice.Argument(1) long step) {
      SEEN.add("enter " + text + " " + step);
      return step * 1000;
    }

    @Advice.OnExit(onThrowable = true)
    public static void exit(@Advice.Enter long entered, @Advice.Argument(2) int times, @Advice.Return Object returned,
        @Advice.Thrown Throwable thrown, @Advice.This Object self, @Advice.FieldValue("code") int code) {
      SEEN.add("exit " + entered + " " + times + " " + returned + " " + thrown + " " + code);
    }
  }

  /** Exit on a method that throws. */
  public static final class OnThrow {
    @Advice.OnExit(onThrowable = true)
    public static void exit(@Advice.Argument(0) String why, @Advice.Return String returned,
        @Advice.Thrown Throwable thrown) {
      SEEN.add("exit " + why + " " + returned + " " + (thrown == null ? null : thrown.getMessage()));
    }
  }

  /** Replaces the argument on enter and the return value on exit. */
  public static final class Replacing {
    @Advice.OnEnter
    @Advice.ToArguments({0})
    public static Object[] enter(@Advice.Argument(0) String s) {
      return s.equals("swap") ? new Object[] {"swapped"} : s.equals("wrong") ? new Object[] {42} : null;
    }

    @Advice.OnExit
    @Advice.ToReturned
    public static Object[] exit(@Advice.Return String returned) {
      return returned.endsWith("upper") ? new Object[] {returned.toUpperCase(java.util.Locale.ROOT)} : null;
    }
  }

  /** Throws from both advice methods: the method must run and return as if unwoven. */
  public static final class Throwing {
    @Advice.OnEnter
    public static int enter(@Advice.Argument(0) int x) {
      throw new IllegalStateException("enter advice failed");
    }

    @Advice.OnExit(onThrowable = true)
    public static void exit(@Advice.Enter int entered, @Advice.Return int returned) {
      throw new IllegalStateException("exit advice failed");
    }
  }

  /** In a constructor, before its super call. */
  public static final class Constructor {
    @Advice.OnEnter
    public static void enter(@Advice.Argument(0) String name) {
      SEEN.add("constructing " + name);
    }

    @Advice.OnExit
    public static void exit(@Advice.This Object self, @Advice.Argument(0) String name) {
      SEEN.add("constructed " + name + " " + self.getClass().getSimpleName());
    }
  }

  /** On a void method with a double argument and no enter. */
  public static final class VoidExit {
    @Advice.OnExit(onThrowable = true)
    public static void exit(@Advice.Argument(0) double d, @Advice.Return Object returned,
        @Advice.FieldValue("code") int code) {
      SEEN.add("void " + d + " " + returned + " " + code);
    }
  }
}
