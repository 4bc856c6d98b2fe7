package io.tracelight.core.export;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;

/**
 * Span attributes beyond the record's, for backends that read keys of their own. Today one:
 * Langfuse takes a generation's time to first token from
 * {@code langfuse.observation.completion_start_time} (an ISO-8601 instant), not from
 * {@code gen_ai.response.time_to_first_chunk}. Stateless.
 */
public final class SpanExtras {
  public static final String LANGFUSE_COMPLETION_START = "langfuse.observation.completion_start_time";

  private SpanExtras() {}

  /** When the first chunk arrived, as ISO-8601 UTC; null for a call that was not streamed. */
  public static String completionStart(AiCall call) {
    Double firstChunk = call.get(Keys.TIME_TO_FIRST_CHUNK);
    return firstChunk == null ? null : IsoTimestamp.format(call.startEpochNanos + (long) (firstChunk * 1e9));
  }
}
