package io.tracelight.core.protocol.framing;

/** Receives whole frames (an NDJSON line, a JSON array element); the bytes are valid during the call only. */
public interface FrameHandler {
  void onFrame(byte[] frame, int length);
}
