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
  /**
   * Per class loader, its logging-context classes, held weakly (the loader holds them strongly),
   * so a web application's loader can go when it is undeployed.
   */
  private static final Map<ClassLoader, java.lang.ref.WeakReference<Class<?>>[]> CONTEXTS = new WeakHashMap<>();
  /** The {@code get(String)} of a logging-context class, cached on the class itself. */
  private static final ClassValue<MethodHandle> GET = new ClassValue<MethodHandle>() {
    @Override
    protected MethodHandle computeValue(Class<?> type) {
      try {
        return MethodHandles.publicLookup().findStatic(type, "get", MethodType.methodType(String.class, String.class))
            .asType(MethodType.methodType(Object.class, String.class));
      } catch (ReflectiveOperationException e) {
        return null;
      }
    }
  };
  /** The last loader asked about and its classes: most applications have one, so no lock per call. */
  private static volatile Object[] last = {new java.lang.ref.WeakReference<ClassLoader>(null), null};

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
    java.lang.ref.WeakReference<Class<?>>[] contexts = contexts(Thread.currentThread().getContextClassLoader());
    if (contexts.length == 0) {
      return null;
    }
    String[] values = new String[k.length];
    for (java.lang.ref.WeakReference<Class<?>> ref : contexts) {
      Class<?> type = ref.get();
      MethodHandle get = type == null ? null : GET.get(type);
      for (int i = 0; get != null && i < k.length; i++) {
        if (values[i] == null) {
          try {
            values[i] = (String) (Object) get.invoke(k[i]);
          } catch (Throwable t) {
            values[i] = null;
          }
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

  /** The logging-context classes the loader sees, SLF4J's first: an application may carry both APIs. */
  @SuppressWarnings("unchecked")
  private static java.lang.ref.WeakReference<Class<?>>[] contexts(ClassLoader loader) {
    Object[] cached = last;
    if (((java.lang.ref.WeakReference<?>) cached[0]).get() == loader && cached[1] != null) {
      return (java.lang.ref.WeakReference<Class<?>>[]) cached[1];
    }
    java.lang.ref.WeakReference<Class<?>>[] found;
    synchronized (CONTEXTS) {
      found = CONTEXTS.get(loader);
      if (found == null) {
        java.util.List<java.lang.ref.WeakReference<Class<?>>> list = new java.util.ArrayList<>(2);
        add(list, loader, "org.slf4j.MDC");
        add(list, loader, "org.apache.logging.log4j.ThreadContext");
        found = list.toArray(new java.lang.ref.WeakReference[0]);
        CONTEXTS.put(loader, found);
      }
    }
    last = new Object[] {new java.lang.ref.WeakReference<>(loader), found};
    return found;
  }

  private static void add(java.util.List<java.lang.ref.WeakReference<Class<?>>> into, ClassLoader loader,
      String className) {
    try {
      Class<?> type = Class.forName(className, false, loader);
      if (GET.get(type) != null) {
        into.add(new java.lang.ref.WeakReference<Class<?>>(type));
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // not in that loader
    }
  }
}
