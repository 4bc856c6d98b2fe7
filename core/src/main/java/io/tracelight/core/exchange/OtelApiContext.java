package io.tracelight.core.exchange;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.Log;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.security.ProtectionDomain;

/**
 * Standalone, the application's own OpenTelemetry API span (an app that makes spans with the API
 * and its own SDK, no agent) as the parent of the AI calls made inside it. The API lives in the
 * application's class loader and Tracelight holds no OpenTelemetry type: the first loader seen
 * defining {@code io.opentelemetry.api.trace.Span} is remembered, and {@code Span.current()} is
 * called through method handles resolved on the first AI call after that. Until the API is
 * loaded, a capture is one volatile read. With several copies of the API (one per web
 * application), the first one loaded is the one read; that loader is then kept for the JVM's life.
 *
 * <p>Threads: the watch runs on class-loading threads, {@link #capture} on application threads,
 * {@link #parentOf} on the pipeline thread; each field is written once with values that any racing
 * writer would compute alike ({@code OtelApiContextStressTest}).
 */
public final class OtelApiContext implements ContextCapture {
  private static final String SPAN = "io/opentelemetry/api/trace/Span";
  /** Resolution failed: the API is there but not as expected; nothing more is tried. */
  private static final Handles UNUSABLE = new Handles(null, null, null, null, null);

  private volatile ClassLoader apiLoader;
  private volatile Handles handles;

  /** Method handles into the application's API, all typed with Object. */
  private static final class Handles {
    /** {@code () -> Span.current().getSpanContext()}. */
    final MethodHandle currentSpanContext;
    final MethodHandle isValid;
    final MethodHandle traceId;
    final MethodHandle spanId;
    final MethodHandle sampled;

    Handles(MethodHandle currentSpanContext, MethodHandle isValid, MethodHandle traceId, MethodHandle spanId,
        MethodHandle sampled) {
      this.currentSpanContext = currentSpanContext;
      this.isValid = isValid;
      this.traceId = traceId;
      this.spanId = spanId;
      this.sampled = sampled;
    }
  }

  OtelApiContext() {}

  /**
   * Watches class loading for the API. Attached late, it also looks among the classes already
   * loaded; at JVM start the application has loaded none yet, and the scan is left out.
   */
  public static OtelApiContext install(Instrumentation inst, boolean lateAttach) {
    OtelApiContext context = new OtelApiContext();
    inst.addTransformer(new ClassFileTransformer() { // no lambda: the first costs start-up time
      @Override
      public byte[] transform(ClassLoader loader, String name, Class<?> redefined, ProtectionDomain domain,
          byte[] bytes) {
        if (loader != null && SPAN.equals(name)) {
          context.seen(loader);
        }
        return null;
      }
    });
    if (lateAttach) {
      String dotted = SPAN.replace('/', '.');
      for (Class<?> c : inst.getAllLoadedClasses()) {
        if (c.getName().equals(dotted) && c.getClassLoader() != null) {
          context.seen(c.getClassLoader());
        }
      }
    }
    return context;
  }

  void seen(ClassLoader loader) {
    if (apiLoader == null) {
      apiLoader = loader;
    }
  }

  @Override
  public Object capture() {
    Handles h = handles;
    if (h == null) {
      if (apiLoader == null) {
        return null;
      }
      h = resolve();
    }
    if (h == UNUSABLE) {
      return null;
    }
    try {
      return (Object) h.currentSpanContext.invokeExact();
    } catch (Throwable t) {
      InternalErrors.report("reading the OpenTelemetry API's current span", t);
      return null;
    }
  }

  @Override
  public TraceParent parentOf(Object captured) {
    Handles h = handles;
    try {
      if (!(boolean) h.isValid.invokeExact(captured)) {
        return null;
      }
      return TraceParent.of((String) h.traceId.invokeExact(captured), (String) h.spanId.invokeExact(captured),
          (boolean) h.sampled.invokeExact(captured));
    } catch (Throwable t) {
      InternalErrors.report("reading the OpenTelemetry API's span context", t);
      return null;
    }
  }

  @Override
  public boolean recordedByHost(Object captured) {
    return false;
  }

  @Override
  public boolean hostPropagates() {
    return false;
  }

  private Handles resolve() {
    Handles h;
    try {
      ClassLoader loader = apiLoader;
      Class<?> span = Class.forName(SPAN.replace('/', '.'), false, loader);
      Class<?> spanContext = Class.forName("io.opentelemetry.api.trace.SpanContext", false, loader);
      MethodHandles.Lookup lookup = MethodHandles.publicLookup();
      MethodHandle current = lookup.findStatic(span, "current", MethodType.methodType(span));
      MethodHandle context = lookup.findVirtual(span, "getSpanContext", MethodType.methodType(spanContext));
      MethodType toBoolean = MethodType.methodType(boolean.class, Object.class);
      MethodType toString = MethodType.methodType(String.class, Object.class);
      h = new Handles(
          MethodHandles.filterReturnValue(current, context).asType(MethodType.methodType(Object.class)),
          lookup.findVirtual(spanContext, "isValid", MethodType.methodType(boolean.class)).asType(toBoolean),
          lookup.findVirtual(spanContext, "getTraceId", MethodType.methodType(String.class)).asType(toString),
          lookup.findVirtual(spanContext, "getSpanId", MethodType.methodType(String.class)).asType(toString),
          lookup.findVirtual(spanContext, "isSampled", MethodType.methodType(boolean.class)).asType(toBoolean));
    } catch (Throwable t) {
      Log.warnOnce("otel-api", "the application's OpenTelemetry API is not usable (" + t
          + "); AI spans do not join its current span");
      h = UNUSABLE;
    }
    handles = h;
    return h;
  }
}
