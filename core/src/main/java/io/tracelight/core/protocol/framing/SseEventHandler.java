package io.tracelight.core.protocol.framing;

/** Receives the events of a server-sent-events stream, one {@code data} payload at a time. */
public interface SseEventHandler {
  /**
   * @param event the {@code event:} field, or null when the event had none
   * @param data the joined {@code data:} lines; only valid during the call
   */
  void onEvent(String event, byte[] data, int length);
}
