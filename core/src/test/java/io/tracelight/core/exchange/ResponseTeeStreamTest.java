package io.tracelight.core.exchange;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.ExchangeDriver;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The response stream the Apache and HttpURLConnection instrumentations hand the application. */
class ResponseTeeStreamTest {
  private final ExchangeDriver driver = new ExchangeDriver();
  private final byte[] body = ExchangeDriver.resource("chat-response.json");

  private Exchange started() {
    Exchange exchange = driver.start("api.openai.com", "/v1/chat/completions");
    byte[] request = ExchangeDriver.resource("chat-request.json");
    exchange.requestBytes(request, 0, request.length);
    exchange.requestSent();
    exchange.responseHeaders(200, body.length, ExchangeDriver.headers("content-type", "application/json"),
        MapHeaders.INSTANCE);
    return exchange;
  }

  @Test
  void bytesReadAgainAfterAResetAreShownOnce() throws IOException {
    Exchange exchange = started();
    InputStream in = new ResponseTeeStream(new ByteArrayInputStream(body), exchange, this);
    assertTrue(in.markSupported(), "as the stream beneath answers");
    byte[] head = in.readNBytes(10);
    in.mark(100);
    byte[] peeked = in.readNBytes(40);
    in.reset();
    byte[] rest = in.readAllBytes();
    assertArrayEquals(body, concat(head, rest), "the application reads what it would");
    assertArrayEquals(Arrays.copyOfRange(body, 10, 50), peeked);
    assertArrayEquals(body, exchange.responseBytes(), "the exchange saw each byte once, in order");
    AiCall call = driver.decode(driver.last());
    assertEquals(Exchange.End.COMPLETE, driver.last().end());
    assertEquals(null, call.get(Keys.ERROR_TYPE), call.toString());
    assertEquals(46L, call.get(Keys.OUTPUT_TOKENS), "decoded from what the exchange saw: " + call);
  }

  @Test
  void aReadTimeoutLeavesTheCallOpenAndTheStreamUsable() throws IOException {
    Exchange exchange = started();
    InputStream timingOutOnce = new FilterInputStream(new ByteArrayInputStream(body)) {
      boolean timedOut;

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        if (!timedOut) {
          timedOut = true;
          throw new SocketTimeoutException("Read timed out");
        }
        return super.read(b, off, len);
      }
    };
    InputStream in = new ResponseTeeStream(timingOutOnce, exchange, this);
    assertThrows(SocketTimeoutException.class, () -> in.read(new byte[16], 0, 16));
    assertFalse(exchange.hasEnded(), "a reader may retry after a timeout");
    assertArrayEquals(body, in.readAllBytes());
    assertEquals(Exchange.End.COMPLETE, driver.last().end());
    assertArrayEquals(body, driver.last().responseBytes());
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] all = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
