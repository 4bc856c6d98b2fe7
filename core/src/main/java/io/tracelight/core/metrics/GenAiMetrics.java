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
  /** One value per chunk of a stream after the first: the time since the chunk before it. */
  public static final String TIME_PER_OUTPUT_CHUNK = "gen_ai.client.operation.time_per_output_chunk";
  /** Calls whose answer had a quality flag, by {@code ai.output.flag} (no convention names it). */
  public static final String ANSWERS_FLAGGED = "ai.client.answers_flagged";
  public static final String FLAG = "ai.output.flag";
  public static final String TOKEN_TYPE = "gen_ai.token.type";
  /** A prediction's duration (a model that is not generative: no GenAI convention covers it). */
  public static final String PREDICTION_DURATION = "ai.prediction.duration";
  /** Tracelight's own counters (no convention names them): calls by outcome, the agent's health. */
  public static final String CALLS = "ai.client.calls";
  public static final String STATUS = "ai.status";
  /** Spend in USD by token type, from the price table (no convention names it yet). */
  public static final String COST = "ai.client.cost";
  /** Alert events by rule, signal, severity, state and subject; and the episodes open now. */
  public static final String ALERTS = "ai.alerts";
  public static final String ALERTS_FIRING = "ai.alerts.firing";
  /** Feedback and outcomes by the call's model, kind and acceptance. */
  public static final String FEEDBACK = "ai.client.feedback";
  public static final String DROPPED_RECORDS = "ai.agent.dropped_calls";
  public static final String INTERNAL_ERRORS = "ai.agent.internal_errors";

  /** Seconds, for the duration and the time to first chunk. */
  public static final double[] SECONDS_BOUNDS =
      {0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92};
  /** Seconds, for a prediction: in-JVM and served models answer in micro- to milliseconds. */
  public static final double[] PREDICTION_SECONDS_BOUNDS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
      0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  public static final double[] TOKEN_BOUNDS = {1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576,
      4194304, 16777216, 67108864};

  /**
   * Appends the call's metric attributes to {@code into} as name, value pairs (a prediction's are
   * {@code ai.operation.name}, {@code ai.model.runtime}, {@code ai.model.name}, {@code ai.model.version}; any call's
   * {@code ai.deployment} when it has one) (String, or Long for
   * {@code server.port}), leaving out absent ones; {@code error.type} is {@code _OTHER} for a failed
   * call that has none.
   */
  public static void attributes(AiCall call, List<Object> into) {
    if (Keys.isPrediction(call)) {
      add(into, Keys.PREDICT_OPERATION.name, call.get(Keys.PREDICT_OPERATION));
      add(into, Keys.MODEL_RUNTIME.name, call.get(Keys.MODEL_RUNTIME));
      add(into, Keys.MODEL_NAME.name, call.get(Keys.MODEL_NAME));
      add(into, Keys.MODEL_VERSION.name, call.get(Keys.MODEL_VERSION));
    } else {
      add(into, "gen_ai.operation.name", call.get(Keys.OPERATION));
      add(into, "gen_ai.provider.name", call.get(Keys.PROVIDER));
      add(into, "gen_ai.request.model", call.get(Keys.REQUEST_MODEL));
      add(into, "gen_ai.response.model", call.get(Keys.RESPONSE_MODEL));
      add(into, Keys.MODEL_VERSION.name, call.get(Keys.MODEL_VERSION));
    }
    add(into, Keys.DEPLOYMENT.name, call.get(Keys.DEPLOYMENT)); // canary against baseline in any metric
    add(into, "server.address", call.get(Keys.SERVER_ADDRESS));
    add(into, "server.port", call.get(Keys.SERVER_PORT));
    add(into, "error.type", call.error ? Objects.toString(call.get(Keys.ERROR_TYPE), "_OTHER") : null);
  }

  /** Appends a name and value pair, unless the value is null. */
  public static void add(List<Object> into, String name, Object value) {
    if (value != null) {
      into.add(name);
      into.add(value);
    }
  }
}
