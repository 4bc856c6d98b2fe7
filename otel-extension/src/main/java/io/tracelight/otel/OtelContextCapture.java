package io.tracelight.otel;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.tracelight.core.exchange.ContextCapture;
import io.tracelight.core.exchange.TraceParent;

/**
 * The OpenTelemetry agent's current context and the application's thread. {@link #capture} runs on
 * the application's thread (a thread-local read and one small object); the rest on the pipeline
 * thread. Stateless.
 */
final class OtelContextCapture implements ContextCapture {
  private static final AttributeKey<String> HTTP_METHOD = AttributeKey.stringKey("http.request.method");
  private static final AttributeKey<String> GEN_AI_OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  private final boolean preferOtelGenAi;

  OtelContextCapture(boolean preferOtelGenAi) {
    this.preferOtelGenAi = preferOtelGenAi;
  }

  @Override
  public Object capture() {
    return new Captured(Context.current(), Thread.currentThread());
  }

  @Override
  public TraceParent parentOf(Object captured) {
    SpanContext span = appSpan(((Captured) captured).context);
    return span.isValid() ? TraceParent.of(span.getTraceId(), span.getSpanId(), span.isSampled()) : null;
  }

  /**
   * The span the application was in when it made the call. When the agent's HTTP client
   * instrumentation has already started its span for this very request (the JDK client's is current
   * inside {@code send}; OkHttp's starts after Tracelight's interceptor), that span is the request's,
   * not the application's: its parent is taken, so the AI span and the HTTP span are siblings under
   * the application's span whichever client made the call.
   */
  static SpanContext appSpan(Context context) {
    Span span = Span.fromContext(context);
    if (span instanceof ReadableSpan) {
      ReadableSpan readable = (ReadableSpan) span;
      if (readable.getKind() == SpanKind.CLIENT && readable.getAttribute(HTTP_METHOD) != null) {
        return readable.getParentSpanContext();
      }
    }
    return span.getSpanContext();
  }

  /** With the agent's GenAI spans preferred: the call was made inside one (its OpenAI or Bedrock instrumentation). */
  @Override
  public boolean recordedByHost(Object captured) {
    if (!preferOtelGenAi) {
      return false;
    }
    Span span = Span.fromContext(((Captured) captured).context);
    return span instanceof ReadableSpan && ((ReadableSpan) span).getAttribute(GEN_AI_OPERATION) != null;
  }

  /** The agent injects {@code traceparent} for its own HTTP client span and reads it on servers. */
  @Override
  public boolean hostPropagates() {
    return true;
  }
}
