package io.tracelight.core.protocol;

import io.tracelight.core.model.AiCall;
import java.io.IOException;

/**
 * One AI wire protocol: recognises its requests by method and path, and decodes bodies into an
 * {@link AiCall}. Pure code: no agent state, no Byte Buddy, no network.
 */
public interface Protocol {
  /** {@code gen_ai.operation.name} of the calls it recognises. */
  String operation();

  /** Called on the application's thread for every request: must be cheap and allocation-free. */
  boolean matches(String method, String path);

  /** {@code gen_ai.provider.name} for a server host. */
  String provider(String host);

  void decodeRequest(byte[] body, int length, AiCall call) throws IOException;

  void decodeResponse(byte[] body, int length, AiCall call) throws IOException;

  /** A decoder for a streamed response; it sees the bytes as the application reads them. */
  StreamDecoder newStreamDecoder();
}
