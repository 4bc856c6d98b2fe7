package io.tracelight.core.protocol;

import io.tracelight.core.model.AiCall;
import java.nio.ByteBuffer;

/**
 * Decodes one streamed response incrementally, keeping aggregates (counts, finish reasons, a
 * running hash), never the stream. Fed by one thread at a time, one chunk at a time (the reading
 * thread for a stream longer than the body cap, else the pipeline thread), then finished on the
 * pipeline thread.
 */
public interface StreamDecoder {
  void feed(byte[] bytes, int offset, int length);

  /** Reads the buffer's remaining bytes without moving its position. */
  void feed(ByteBuffer buffer);

  /** True once the stream said it is done (a terminal event), so an early close is no error. */
  boolean sawEnd();

  /** Writes the aggregates into {@code call}. */
  void finish(AiCall call);
}
