package io.tracelight.core.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.pipeline.ExchangeDriver;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Which span an AI call joins standalone (the request's {@code traceparent}, else the application's
 * current OpenTelemetry API span, else a new trace), and the {@code traceparent} it sends with
 * {@code tracelight.propagation=tracecontext}: the record's own ids, so a model server's spans
 * continue the trace under the AI span. Spans come from the real OpenTelemetry SDK.
 */
class TraceContextTest {
  private static final Pattern HEADER = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-(0[01])");
  private static final byte[] REQUEST =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}".getBytes(StandardCharsets.UTF_8);
  private static final byte[] RESPONSE = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
      + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hello\"},\"finish_reason\":\"stop\"}],"
      + "\"usage\":{\"prompt_tokens\":8,\"completion_tokens\":1,\"total_tokens\":9}}").getBytes(StandardCharsets.UTF_8);
  private static final String APP_HEADER = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final SdkTracerProvider SDK = SdkTracerProvider.builder().build();
  private static final Tracer TRACER = SDK.get("app");

  @AfterAll
  static void closeSdk() {
    SDK.close();
  }

  /** The API as the agent finds it once the application loaded it. */
  private static OtelApiContext apiSeen() {
    OtelApiContext api = new OtelApiContext();
    api.seen(Span.class.getClassLoader());
    return api;
  }

  private static AiCall finish(ExchangeDriver driver, Exchange ex) {
    ex.requestBytes(REQUEST, 0, REQUEST.length);
    ex.requestSent();
    ExchangeDriver.respond(ex, 200, "application/json", RESPONSE, 64);
    ex.complete();
    return driver.decode(driver.last());
  }

  private static Matcher header(Exchange ex) {
    String sent = ex.traceparentToSend();
    assertTrue(sent != null && HEADER.matcher(sent).matches(), "a version-00 traceparent: " + sent);
    Matcher m = HEADER.matcher(sent);
    assertTrue(m.matches());
    return m;
  }

  @Test
  void propagationSendsTheRecordsOwnIdsAndStartsATraceWhenThereIsNoParent() {
    ExchangeDriver driver = new ExchangeDriver(null, true);
    Exchange ex = driver.start("api.openai.com", "/v1/chat/completions");
    Matcher sent = header(ex);
    AiCall call = finish(driver, ex);
    assertEquals(sent.group(1), call.traceId, "the server's parent is in the record's trace");
    assertEquals(sent.group(2), call.spanId, "the server's parent is the record's span");
    assertEquals("01", sent.group(3), "sampled: every call is recorded");
    assertNull(call.parentSpanId);
    Exchange second = driver.start("api.openai.com", "/v1/chat/completions");
    assertNotEquals(sent.group(1), header(second).group(1), "each root call is a trace of its own");
  }

  @Test
  void propagationLeavesARequestThatCarriesItsOwnTraceparentAlone() {
    ExchangeDriver driver = new ExchangeDriver(apiSeen(), true);
    Span app = TRACER.spanBuilder("app").startSpan();
    Exchange ex;
    try (Scope ignored = app.makeCurrent()) {
      ex = driver.start("api.openai.com", "/v1/chat/completions", "traceparent", APP_HEADER);
    } finally {
      app.end();
    }
    assertNull(ex.traceparentToSend(), "nothing is added to a request that has one");
    AiCall call = finish(driver, ex);
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", call.traceId, "the request's header beats the current span");
    assertEquals("00f067aa0ba902b7", call.parentSpanId);
  }

  @Test
  void withoutPropagationNothingIsSent() {
    ExchangeDriver driver = new ExchangeDriver(apiSeen(), false);
    Exchange ex = driver.start("api.openai.com", "/v1/chat/completions");
    assertNull(ex.traceparentToSend());
    AiCall call = finish(driver, ex);
    assertNull(call.parentSpanId, "no span was current");
    assertEquals(32, call.traceId.length());
  }

  @Test
  void theApplicationsCurrentApiSpanIsTheParent() {
    ExchangeDriver driver = new ExchangeDriver(apiSeen(), false);
    Span app = TRACER.spanBuilder("handle request").startSpan();
    Exchange ex;
    try (Scope ignored = app.makeCurrent()) {
      ex = driver.start("api.openai.com", "/v1/chat/completions");
    } finally {
      app.end();
    }
    AiCall call = finish(driver, ex); // decoded on another "thread" later, outside the scope
    SpanContext parent = app.getSpanContext();
    assertEquals(parent.getTraceId(), call.traceId);
    assertEquals(parent.getSpanId(), call.parentSpanId);
    assertTrue(call.sampled);
    assertNotEquals(parent.getSpanId(), call.spanId);
  }

  @Test
  void propagationUnderAnApiSpanContinuesItsTraceAndItsSamplingDecision() {
    ExchangeDriver driver = new ExchangeDriver(apiSeen(), true);
    SdkTracerProvider dropping = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff()).build();
    Span sampled = TRACER.spanBuilder("sampled").startSpan();
    Span notSampled = dropping.get("app").spanBuilder("not sampled").startSpan();
    Exchange in;
    Exchange out;
    try (Scope ignored = sampled.makeCurrent()) {
      in = driver.start("api.openai.com", "/v1/chat/completions");
    }
    try (Scope ignored = notSampled.makeCurrent()) {
      out = driver.start("api.openai.com", "/v1/chat/completions");
    }
    sampled.end();
    notSampled.end();
    dropping.close();

    Matcher sentIn = header(in);
    assertEquals(sampled.getSpanContext().getTraceId(), sentIn.group(1));
    assertEquals("01", sentIn.group(3));
    AiCall callIn = finish(driver, in);
    assertEquals(sampled.getSpanContext().getSpanId(), callIn.parentSpanId);
    assertEquals(sentIn.group(2), callIn.spanId);

    Matcher sentOut = header(out);
    assertEquals(notSampled.getSpanContext().getTraceId(), sentOut.group(1));
    assertEquals("00", sentOut.group(3), "the root's decision not to sample travels on");
    AiCall callOut = finish(driver, out);
    assertFalse(callOut.sampled);
    assertEquals(sentOut.group(2), callOut.spanId);
  }

  @Test
  void beforeTheApplicationLoadsTheApiACaptureReadsNothing() {
    OtelApiContext api = new OtelApiContext();
    Span app = TRACER.spanBuilder("app").startSpan();
    try (Scope ignored = app.makeCurrent()) {
      assertNull(api.capture(), "no loader seen yet: one volatile read, no lookup");
      api.seen(Span.class.getClassLoader());
      Object captured = api.capture();
      assertEquals(app.getSpanContext().getSpanId(), api.parentOf(captured).parentSpanId);
    } finally {
      app.end();
    }
    assertNull(api.parentOf(api.capture()), "outside any span the API's invalid span is no parent");
  }
}
