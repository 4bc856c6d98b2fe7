package io.tracelight.core.protocol.framing;

import java.nio.ByteBuffer;

/**
 * An incremental splitter of a byte stream into the frames of one framing (SSE events, NDJSON
 * lines, AWS event-stream messages, JSON array elements). It holds at most one frame of at most
 * {@code maxFrame} bytes, never the stream; a longer frame is skipped and counted. One thread at a
 * time.
 */
public abstract class FrameParser {
  protected final int maxFrame;
  private int skipped;
  private byte[] chunk;

  protected FrameParser(int maxFrame) {
    this.maxFrame = maxFrame;
  }

  public abstract void feed(byte[] bytes, int offset, int length);

  /** Reads the buffer's remaining bytes without moving its position. */
  public final void feed(ByteBuffer buffer) {
    if (buffer.hasArray()) {
      feed(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
      return;
    }
    if (chunk == null) {
      chunk = new byte[8192];
    }
    ByteBuffer view = buffer.duplicate();
    while (view.hasRemaining()) {
      int n = Math.min(chunk.length, view.remaining());
      view.get(chunk, 0, n);
      feed(chunk, 0, n);
    }
  }

  /** At the end of the body: delivers a last frame that only lacked its terminator. */
  public abstract void finish();

  /** Frames skipped because they were longer than {@code maxFrame} (or, for binary framings, corrupt). */
  public final int skipped() {
    return skipped;
  }

  protected final void countSkipped() {
    skipped++;
  }

  /** A growable frame buffer, capped at {@code maxFrame}. */
  protected static byte[] grow(byte[] buffer, int needed, int max) {
    int size = buffer.length;
    while (size < needed) {
      size = size * 2;
    }
    return java.util.Arrays.copyOf(buffer, Math.min(Math.max(size, needed), max));
  }
}
