package io.tracelight.core.protocol;

import io.tracelight.core.model.AiCall;
import java.nio.ByteBuffer;

/**
 * Decodes a streamed response incrementally, keeping aggregates (counts, finish reasons, a running
 * hash), never the stream. Fed on the reading thread, one chunk at a time; finished on an agent
 * thread after the last chunk.
 */
public interface StreamDecoder {
  void feed(byte[] bytes, int offset, int length);

  void feed(ByteBuffer buffer);

  /** True once the stream said it is done (a terminal event), so an early close is no error. */
  boolean sawEnd();

  /** Writes the aggregates into {@code call}; {@code ended} is false when the body was cut off. */
  void finish(AiCall call);
}
