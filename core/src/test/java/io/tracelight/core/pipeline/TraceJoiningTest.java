package io.tracelight.core.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.model.AiCall;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A call whose request carries a W3C traceparent joins that trace as a child of that span. */
class TraceJoiningTest {
  private static final byte[] REQUEST =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] RESPONSE = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hello\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":1,\"total_tokens\":9}}").getBytes(StandardCharsets.UTF_8);
  private final ExchangeDriver driver = new ExchangeDriver();

  private AiCall call(String... headers) {
    Exchange ex = driver.start("api.openai.com", "/v1/chat/completions", headers);
    ex.requestBytes(REQUEST, 0, REQUEST.length);
    ex.requestSent();
    ExchangeDriver.respond(ex, 200, "application/json", RESPONSE, 64);
    ex.complete();
    return driver.decode(driver.last());
  }

  @Test
  void aTraceparentMakesTheCallAChildInThatTrace() {
    AiCall call = call("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", call.traceId);
    assertEquals("00f067aa0ba902b7", call.parentSpanId);
    assertNotEquals("00f067aa0ba902b7", call.spanId, "a span of its own");
    assertEquals(16, call.spanId.length());
  }

  @Test
  void withoutOneOrWithAnInvalidOneTheCallStartsItsOwnTrace() {
    AiCall none = call();
    AiCall invalid = call("traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01");
    for (AiCall c : new AiCall[] {none, invalid}) {
      assertNull(c.parentSpanId);
      assertEquals(32, c.traceId.length());
      assertNotEquals("00000000000000000000000000000000", c.traceId);
    }
    assertNotEquals(none.traceId, invalid.traceId);
  }
}
