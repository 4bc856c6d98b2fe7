package io.tracelight.instrumentation.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Drainable;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** A message is read only as far as the record needs: a protobuf message's writer is stopped there. */
class FirstBytesTest {
  /** Like gRPC's protobuf stream: drainTo writes the message in chunks, as CodedOutputStream does. */
  static final class DrainableMessage extends InputStream implements Drainable {
    final byte[] message;
    int written;
    boolean closed;

    DrainableMessage(int size) {
      message = new byte[size];
      for (int i = 0; i < size; i++) {
        message[i] = (byte) i;
      }
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      for (int at = 0; at < message.length; at += 4096) {
        int n = Math.min(4096, message.length - at);
        target.write(message, at, n);
        written += n;
      }
      return written;
    }

    @Override
    public int read() {
      throw new AssertionError("a drainable message is drained, not read");
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  @Test
  void aLargeProtobufMessageIsWrittenOnlyAsFarAsTheFirstBytes() throws Exception {
    DrainableMessage tenMegabytes = new DrainableMessage(10 << 20);
    byte[] first = TracingCall.firstBytes(tenMegabytes);
    assertEquals(TracingCall.MAX_BYTES, first.length);
    assertArrayEquals(Arrays.copyOf(tenMegabytes.message, TracingCall.MAX_BYTES), first);
    assertTrue(tenMegabytes.written <= TracingCall.MAX_BYTES, "the writer stopped at the limit: " + tenMegabytes.written);
    assertTrue(tenMegabytes.closed);
  }

  @Test
  void aSmallMessageIsReadWholeFromAnyStream() throws Exception {
    DrainableMessage small = new DrainableMessage(100);
    assertArrayEquals(small.message, TracingCall.firstBytes(small));
    byte[] plain = {1, 2, 3};
    assertArrayEquals(plain, TracingCall.firstBytes(new ByteArrayInputStream(plain)));
  }
}
