package io.tracelight.core.exchange;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Reads the application's logging context (SLF4J's {@code MDC}, else Log4j 2's
 * {@code ThreadContext}) on the application's thread when an AI call starts, for the keys the user
 * named as the user and session ids. With no key named (the default) a read is one volatile load.
 * The lookup is resolved once per class loader (the thread's context loader, where the
 * application's logging library lives). Any thread.
 */
public final class MdcReader {
  private static volatile String[] keys = new String[0];
  private static final Map<ClassLoader, MethodHandle[]> GETTERS = new WeakHashMap<>();

  private MdcReader() {}

  /** The keys to read (set once at start). */
  public static void keys(java.util.List<String> names) {
    keys = names.toArray(new String[0]);
  }

  /** The values of the keys on this thread, in their order, or null when no key is named. */
  static String[] read() {
    String[] k = keys;
    if (k.length == 0) {
      return null;
    }
    MethodHandle[] getters = getters(Thread.currentThread().getContextClassLoader());
    if (getters.length == 0) {
      return null;
    }
    String[] values = new String[k.length];
    for (int i = 0; i < k.length; i++) {
      for (int g = 0; g < getters.length && values[i] == null; g++) {
        try {
          values[i] = (String) (Object) getters[g].invoke(k[i]);
        } catch (Throwable t) {
          values[i] = null;
        }
      }
    }
    return values;
  }

  /** The value of {@code key} in what {@link #read} returned. */
  public static String value(String[] values, String key) {
    if (values == null) {
      return null;
    }
    String[] k = keys;
    for (int i = 0; i < k.length && i < values.length; i++) {
      if (k[i].equals(key)) {
        return values[i];
      }
    }
    return null;
  }

  /**
   * The logging contexts the loader sees, SLF4J's first: an application may have both APIs and
   * use one (SLF4J's without a binding keeps nothing).
   */
  private static MethodHandle[] getters(ClassLoader loader) {
    synchronized (GETTERS) {
      MethodHandle[] known = GETTERS.get(loader);
      if (known != null) {
        return known;
      }
      java.util.List<MethodHandle> found = new java.util.ArrayList<>(2);
      add(found, loader, "org.slf4j.MDC");
      add(found, loader, "org.apache.logging.log4j.ThreadContext");
      MethodHandle[] getters = found.toArray(new MethodHandle[0]);
      GETTERS.put(loader, getters);
      return getters;
    }
  }

  private static void add(java.util.List<MethodHandle> into, ClassLoader loader, String className) {
    try {
      Class<?> c = Class.forName(className, false, loader);
      into.add(MethodHandles.publicLookup().findStatic(c, "get", MethodType.methodType(String.class, String.class))
          .asType(MethodType.methodType(Object.class, String.class)));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // not in that loader
    }
  }
}
