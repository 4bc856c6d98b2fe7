package io.tracelight.core.metrics;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.util.List;
import java.util.Objects;

/**
 * What the OpenTelemetry GenAI client metrics share wherever they are sent (OTLP, or the
 * OpenTelemetry agent's meter in extension mode): names, units, the conventions' bucket boundaries
 * and the attributes a data point is keyed by. Stateless.
 */
public final class GenAiMetrics {
  private GenAiMetrics() {}

  public static final String DURATION = "gen_ai.client.operation.duration";
  public static final String TIME_TO_FIRST_CHUNK = "gen_ai.client.operation.time_to_first_chunk";
  public static final String TOKEN_USAGE = "gen_ai.client.token.usage";
  public static final String TOKEN_TYPE = "gen_ai.token.type";
  /** Tracelight's own counters (no convention names them): calls by outcome, the agent's health. */
  public static final String CALLS = "ai.client.calls";
  public static final String STATUS = "ai.status";
  public static final String DROPPED_RECORDS = "ai.agent.dropped_calls";
  public static final String INTERNAL_ERRORS = "ai.agent.internal_errors";

  /** Seconds, for the duration and the time to first chunk. */
  public static final double[] SECONDS_BOUNDS =
      {0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92};
  public static final double[] TOKEN_BOUNDS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
      4194304, 16777216, 67108864};

  /**
   * Appends the call's metric attributes to {@code into} as name, value pairs (String, or Long for
   * {@code server.port}), leaving out absent ones; {@code error.type} is {@code _OTHER} for a failed
   * call that has none.
   */
  public static void attributes(AiCall call, List<Object> into) {
    add(into, "gen_ai.operation.name", call.get(Keys.OPERATION));
    add(into, "gen_ai.provider.name", call.get(Keys.PROVIDER));
    add(into, "gen_ai.request.model", call.get(Keys.REQUEST_MODEL));
    add(into, "gen_ai.response.model", call.get(Keys.RESPONSE_MODEL));
    add(into, "server.address", call.get(Keys.SERVER_ADDRESS));
    add(into, "server.port", call.get(Keys.SERVER_PORT));
    add(into, "error.type", call.error ? Objects.toString(call.get(Keys.ERROR_TYPE), "_OTHER") : null);
  }

  private static void add(List<Object> into, String name, Object value) {
    if (value != null) {
      into.add(name);
      into.add(value);
    }
  }
}
