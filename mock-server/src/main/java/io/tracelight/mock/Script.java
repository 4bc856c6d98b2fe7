package io.tracelight.mock;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The frames a stream sends, in order, built before the first byte goes out. Content pieces are
 * marked so every provider gets the same timing ({@code x-mock-chunk-delay-ms} between pieces)
 * and the same cut point for mock-truncated, mock-reset and mock-stream-error (after two pieces).
 * End frames come after the answer is recorded in {@link MockLlmServer#sent()}.
 */
final class Script {
  enum Role { FRAME, PIECE, END }

  static final int CUT_AFTER_PIECES = 2;

  final List<byte[]> frames = new ArrayList<>();
  final List<Role> roles = new ArrayList<>();

  Script frame(byte[] frame) {
    return add(frame, Role.FRAME);
  }

  Script frame(String frame) {
    return frame(frame.getBytes(StandardCharsets.UTF_8));
  }

  Script piece(byte[] frame) {
    return add(frame, Role.PIECE);
  }

  Script piece(String frame) {
    return piece(frame.getBytes(StandardCharsets.UTF_8));
  }

  Script end(byte[] frame) {
    return add(frame, Role.END);
  }

  Script end(String frame) {
    return end(frame.getBytes(StandardCharsets.UTF_8));
  }

  Script add(Role role, String frame) {
    return add(frame.getBytes(StandardCharsets.UTF_8), role);
  }

  Script add(byte[] frame, Role role) {
    frames.add(frame);
    roles.add(role);
    return this;
  }

  /** Where a cut stream stops: before its third piece, or right after its last one if it has fewer. */
  int cutIndex() {
    int pieces = 0;
    int afterLast = frames.size();
    for (int i = 0; i < frames.size(); i++) {
      if (roles.get(i) == Role.PIECE) {
        if (pieces == CUT_AFTER_PIECES) {
          return i;
        }
        pieces++;
        afterLast = i + 1;
      }
    }
    return afterLast;
  }
}
