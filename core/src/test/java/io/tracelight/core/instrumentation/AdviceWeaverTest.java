package io.tracelight.core.instrumentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.instrumentation.weave.TestAdvice;
import io.tracelight.core.instrumentation.weave.WeaveTarget;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The weaver on javac-compiled code (frames, loops, a caught exception, several returns): each
 * method behaves exactly as before, and the advice sees what it asked for.
 */
class AdviceWeaverTest {
  private static final String TARGET = WeaveTarget.class.getName();
  private static final String ADVICE = TestAdvice.class.getName() + "$";

  @BeforeEach
  void clear() {
    TestAdvice.SEEN.clear();
  }

  /** Weaves {@link WeaveTarget} with one advice and loads it in a loader of its own. */
  static Class<?> woven(MethodMatcher methods, String advice) throws Exception {
    byte[] original = ClassFiles.read(AdviceWeaverTest.class.getClassLoader(), TARGET.replace('.', '/'));
    AdviceTransformer transformer = new AdviceTransformer(
        Map.of(TARGET, List.of(new AdviceTransformer.Binding(methods, ADVICE + advice, "test", null))),
        AdviceWeaverTest.class.getClassLoader(), TestDispatcher.INTERNAL_NAME);
    byte[] woven = transformer.transform(null, null, TARGET.replace('.', '/'), null, null, original);
    assertNotNull(woven, "woven");
    return new ChildFirst(TARGET, woven).loadClass(TARGET);
  }

  static final class ChildFirst extends ClassLoader {
    private final String name;
    private final byte[] bytes;

    ChildFirst(String name, byte[] bytes) {
      super(AdviceWeaverTest.class.getClassLoader());
      this.name = name;
      this.bytes = bytes;
    }

    @Override
    protected Class<?> loadClass(String n, boolean resolve) throws ClassNotFoundException {
      if (n.equals(name)) {
        synchronized (this) {
          Class<?> c = findLoadedClass(n);
          return c != null ? c : defineClass(n, bytes, 0, bytes.length);
        }
      }
      return super.loadClass(n, resolve);
    }
  }

  private static Object invoke(Object target, Method m, Object... args) throws Throwable {
    try {
      return m.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  @Test
  void enterAndExitSeeArgumentsReturnThisAndFieldOnEveryPath() throws Throwable {
    Class<?> c = woven(MethodMatcher.named("call"), "Around");
    Object target = c.getConstructor(String.class).newInstance("t");
    Method call = c.getMethod("call", String.class, long.class, int.class);
    WeaveTarget plain = new WeaveTarget("t");

    assertEquals(plain.call("x", 3, 4), invoke(target, call, "x", 3L, 4));
    assertEquals(plain.call(null, 3, 4), invoke(target, call, null, 3L, 4));
    assertEquals(plain.call("x", 30, 4), invoke(target, call, "x", 30L, 4), "the method's own catch still catches");
    assertEquals(List.of(
        "enter x 3", "exit 3000 4 x12 null 7",
        "enter null 3", "exit 3000 4 none null 7",
        "enter x 30", "exit 30000 4 caught 120 null 7"), TestAdvice.SEEN);
  }

  @Test
  void aThrowingMethodThrowsTheSameThrowableAndTheExitSeesIt() throws Throwable {
    Class<?> c = woven(MethodMatcher.named("fail"), "OnThrow");
    Object target = c.getConstructor(String.class).newInstance("t");
    Method fail = c.getMethod("fail", String.class);
    IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> invoke(target, fail, "boom"));
    assertEquals("boom", thrown.getMessage());
    assertEquals("fine", invoke(target, fail, ""));
    assertEquals(List.of("exit boom null boom", "exit  fine null"), TestAdvice.SEEN);
  }

  @Test
  void argumentsAndReturnValuesAreReplacedOnlyByValuesOfTheirType() throws Throwable {
    Class<?> c = woven(MethodMatcher.named("echo"), "Replacing");
    Object target = c.getConstructor(String.class).newInstance("t");
    Method echo = c.getMethod("echo", String.class);
    assertEquals("t:swapped", invoke(target, echo, "swap"));
    assertEquals("t:wrong", invoke(target, echo, "wrong"), "an Integer cannot replace a String");
    assertEquals("T:UPPER", invoke(target, echo, "upper"));
    assertEquals("t:plain", invoke(target, echo, "plain"), "a null array changes nothing");
  }

  @Test
  void adviceThatThrowsIsCountedAndTheMethodRunsAsIfUnwoven() throws Throwable {
    Class<?> c = woven(MethodMatcher.named("twice"), "Throwing");
    Method twice = c.getMethod("twice", int.class);
    long errors = InternalErrors.count();
    assertEquals(42, invoke(null, twice, 21));
    assertEquals(errors + 2, InternalErrors.count(), "one for the enter advice, one for the exit advice");
  }

  @Test
  void constructorAdviceRunsBeforeAndAfterTheBody() throws Throwable {
    Class<?> c = woven(MethodMatcher.constructor().takesArgument(0, "java.lang.String"), "Constructor");
    c.getConstructor(String.class).newInstance(" named ");
    InvocationTargetException failed = assertThrows(InvocationTargetException.class,
        () -> c.getConstructor(String.class).newInstance((Object) null));
    assertTrue(failed.getCause() instanceof NullPointerException, "the constructor's own failure");
    assertEquals(List.of("constructing  named ", "constructed  named  WeaveTarget", "constructing null"),
        TestAdvice.SEEN);
  }

  @Test
  void voidMethodsWithWideArgumentsAndNoEnter() throws Throwable {
    Class<?> c = woven(MethodMatcher.named("nothing").takesArguments(1).takesArgument(0, "double"), "VoidExit");
    Object target = c.getConstructor(String.class).newInstance("t");
    Method nothing = c.getMethod("nothing", double.class);
    invoke(target, nothing, 2.5);
    invoke(target, nothing, -1.0);
    assertEquals(List.of("void 2.5 null 8", "void -1.0 null 8"), TestAdvice.SEEN);
  }

  @Test
  void aClassNoModuleNamesIsNotEvenRead() {
    AdviceTransformer transformer = new AdviceTransformer(
        Map.of(TARGET, List.of(new AdviceTransformer.Binding(MethodMatcher.named("call"), ADVICE + "Around", "test",
            null))), AdviceWeaverTest.class.getClassLoader(), TestDispatcher.INTERNAL_NAME);
    long errors = InternalErrors.count();
    assertNull(transformer.transform(null, null, "org/example/Other", null, null, new byte[] {1, 2, 3}));
    assertEquals(errors, InternalErrors.count(), "not a class file: parsing it would have failed and been counted");
    assertNull(transformer.transform(null, null, TARGET.replace('.', '/'), null, null, new byte[] {1, 2, 3}));
    assertEquals(errors + 1, InternalErrors.count(), "a named class is parsed (and this one fails, counted)");
  }

  @Test
  void aMatcherPicksByNameArgumentCountAndTypes() {
    MethodMatcher m = MethodMatcher.named("call").takesArguments(3).takesArgument(1, "long");
    assertTrue(m.matches("call", "(Ljava/lang/String;JI)Ljava/lang/Object;"));
    assertEquals(false, m.matches("call", "(Ljava/lang/String;II)Ljava/lang/Object;"));
    assertEquals(false, m.matches("call", "(Ljava/lang/String;J)Ljava/lang/Object;"));
    assertEquals(false, m.matches("cal", "(Ljava/lang/String;JI)Ljava/lang/Object;"));
    assertTrue(MethodMatcher.named("x").takesArgument(0, "java.util.Map$Entry").matches("x", "(Ljava/util/Map$Entry;[I)V"));
  }
}
