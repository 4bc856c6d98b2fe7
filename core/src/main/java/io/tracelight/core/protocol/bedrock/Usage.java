package io.tracelight.core.protocol.bedrock;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;

/**
 * Token counts as Bedrock reports them: input excludes cache reads and writes, so the recorded
 * input is their sum, as the semantic conventions count it.
 */
final class Usage {
  Long input;
  Long output;
  Long cacheRead;
  Long cacheWrite;

  void writeTo(AiCall call) {
    if (input != null || cacheRead != null || cacheWrite != null) {
      call.set(Keys.INPUT_TOKENS, zero(input) + zero(cacheRead) + zero(cacheWrite));
    }
    if (output != null) {
      call.set(Keys.OUTPUT_TOKENS, output);
    }
    if (cacheRead != null) {
      call.set(Keys.CACHE_READ_TOKENS, cacheRead);
    }
    if (cacheWrite != null) {
      call.set(Keys.CACHE_CREATION_TOKENS, cacheWrite);
    }
  }

  private static long zero(Long v) {
    return v == null ? 0 : v;
  }
}
