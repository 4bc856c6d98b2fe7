package io.tracelight.otel;

import io.opentelemetry.javaagent.extension.AgentListener;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.tracelight.core.AgentInstaller;
import java.lang.instrument.Instrumentation;

/**
 * Where the OpenTelemetry Java agent hands over to Tracelight, once its own SDK and
 * instrumentations are installed: Tracelight's weaver is added beside the agent's with the same
 * {@code Instrumentation}, and its calls go to the agent's tracer and meter. Whatever fails here is
 * said once and both the application and the OpenTelemetry agent carry on without Tracelight.
 */
public final class TracelightAgentListener implements AgentListener {
  @Override
  public void afterAgent(AutoConfiguredOpenTelemetrySdk sdk) {
    if (System.getProperty("tracelight.internal.started") != null) {
      System.err.println("[tracelight] the Tracelight agent is attached as well as the extension; the extension is off");
      return;
    }
    System.setProperty("tracelight.internal.started", "true");
    try {
      Instrumentation inst = instrumentation();
      if (inst == null) {
        System.err.println("[tracelight] the OpenTelemetry agent gave no Instrumentation; Tracelight is off");
        return;
      }
      AgentInstaller.installInside(inst, new OtelHost(sdk.getOpenTelemetrySdk(), OtelHost.preferOtelGenAi()));
    } catch (Throwable t) {
      System.err.println("[tracelight] extension not started, the application runs without it: " + t);
    }
  }

  /**
   * The agent keeps its {@code Instrumentation} in a bootstrap class the extension API does not
   * name; it has had that name since the agent's 1.x releases.
   */
  private static Instrumentation instrumentation() throws ReflectiveOperationException {
    Class<?> holder = Class.forName("io.opentelemetry.javaagent.bootstrap.InstrumentationHolder", false, null);
    return (Instrumentation) holder.getMethod("getInstrumentation").invoke(null);
  }
}
