package io.tracelight.otel;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.HashMap;
import java.util.Map;

/**
 * What Tracelight changes in the OpenTelemetry agent's SDK set-up, called once by the agent while
 * it configures the SDK:
 * <ul>
 *   <li>Each AI call is counted once: unless {@code tracelight.otel.ai-spans=opentelemetry}, the
 *       agent's own GenAI instrumentations (the OpenAI Java SDK's, Bedrock Runtime's) default to
 *       off, since Tracelight records those calls. A user's own
 *       {@code otel.instrumentation.<name>.enabled} still wins (these are defaults only).</li>
 *   <li>No call is lost at exit: each span processor, when the agent shuts it down, first lets
 *       Tracelight's pipeline finish the calls that have ended, so their spans reach the
 *       processor before its last flush (the JVM runs the two agents' exit hooks in no order).</li>
 * </ul>
 */
public final class OtelAutoConfiguration implements AutoConfigurationCustomizerProvider {
  /** The agent's names for its GenAI instrumentations (`otel.instrumentation.<name>.enabled`). */
  static final String[] OTEL_GEN_AI_INSTRUMENTATIONS =
      {"openai-java", "aws-sdk-2.2-bedrock-runtime", "aws-sdk-bedrock-runtime"}; // Bedrock's: 2.x, then v3 preview

  /** Set once Tracelight runs: processes every call ended so far. */
  static volatile Runnable drain;

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    if (!OtelHost.preferOtelGenAi()) {
      customizer.addPropertiesSupplier(() -> {
        Map<String, String> defaults = new HashMap<>();
        for (String name : OTEL_GEN_AI_INSTRUMENTATIONS) {
          defaults.put("otel.instrumentation." + name + ".enabled", "false");
        }
        return defaults;
      });
    }
    customizer.addSpanProcessorCustomizer((processor, config) -> new DrainFirst(processor));
  }

  /** A span processor that, on shutdown, first drains Tracelight's pipeline. Called by the SDK's threads. */
  static final class DrainFirst implements SpanProcessor {
    private final SpanProcessor delegate;

    DrainFirst(SpanProcessor delegate) {
      this.delegate = delegate;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
      delegate.onStart(parentContext, span);
    }

    @Override
    public boolean isStartRequired() {
      return delegate.isStartRequired();
    }

    @Override
    public void onEnd(ReadableSpan span) {
      delegate.onEnd(span);
    }

    @Override
    public boolean isEndRequired() {
      return delegate.isEndRequired();
    }

    @Override
    public CompletableResultCode shutdown() {
      Runnable d = drain;
      if (d != null) {
        d.run();
      }
      return delegate.shutdown();
    }

    @Override
    public CompletableResultCode forceFlush() {
      return delegate.forceFlush();
    }
  }
}
