package io.tracelight.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.alert.Alert;
import io.tracelight.core.alert.AlertSubject;
import io.tracelight.core.metrics.LiveMetrics;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class LivePageTest {
  private static final long T0 = 1_000_000_000_000L;

  private static AiCall call(String model, double seconds, boolean error, boolean refusal) {
    AiCall c = new AiCall();
    c.startEpochNanos = 1_764_190_551_000_000_000L;
    c.durationNanos = Math.round(seconds * 1e9);
    c.set(Keys.PROVIDER, "openai");
    c.set(Keys.REQUEST_MODEL, model);
    c.set(Keys.OPERATION, "chat");
    c.set(Keys.INPUT_TOKENS, 10L);
    c.set(Keys.OUTPUT_TOKENS, 30L);
    c.set(Keys.COST_USD, 0.001);
    if (refusal) {
      c.set(Keys.REFUSAL, Boolean.TRUE);
    }
    if (error) {
      c.fail("500");
    }
    return c;
  }

  @Test
  void thePageSaysPerModelWhatTheCallsDid() {
    LiveMetrics live = new LiveMetrics(10, T0);
    for (int i = 1; i <= 100; i++) {
      live.record(call("gpt-<b>", i / 100.0, i % 10 == 0, i % 20 == 1), T0 + i * 600_000_000L); // over a minute
    }
    final Alert a = new Alert(1L, Alert.State.FIRING, Alert.Severity.CRITICAL, "rate", "refusal_rate", "p_chart", 0.3,
        0.1, 1e-9, 0, 0.3, "up", new AlertSubject("openai", "gpt-<b>", null, null, null), 500, 500, "e", "",
        "refusal_rate of openai gpt-<b> rose");
    String page = LivePage.render(live, new FixedHealth(0, 0, 0, Collections.singletonList(a)), T0 + 61_000_000_000L,
        1_764_190_611_000_000_000L);
    assertTrue(page.contains("<b id=\"calls-total\">100</b>"), page);
    assertTrue(page.contains("<td id=\"model-0\">openai gpt-&lt;b&gt;</td>"), "escaped: " + page);
    assertTrue(page.contains("<td id=\"calls-0\">100</td>"), page);
    assertTrue(page.contains("<td id=\"errors-0\">10.0%</td>"), page);
    assertTrue(page.contains("<td id=\"refusals-0\">5.0%</td>"), page);
    java.util.regex.Matcher p50 = java.util.regex.Pattern.compile("<td id=\"p50-0\">([0-9.]+)</td>").matcher(page);
    assertTrue(p50.find(), page);
    assertEquals(500, Double.parseDouble(p50.group(1)), 5, "p50 of 10 ms .. 1 s in ms, to HdrHistogram's two digits");
    assertTrue(page.contains("<td id=\"tokens-0\">1000 / 3000</td>"), page);
    assertTrue(page.contains("<td id=\"cost-0\">0.100000</td>"), page);
    assertTrue(page.contains("<span id=\"alerts-firing\">1</span>"), page);
    assertTrue(page.contains("refusal_rate of openai gpt-&lt;b&gt; rose"), page);
    assertEquals(LiveMetrics.LATEST + 1, page.split("<tr>", -1).length - 1 - 2, "20 latest calls and the headers");
    assertTrue(page.contains("<polyline"), page);
    for (String external : new String[] {"src=", "href=", "<script", "http://", "https://", "url("}) {
      assertFalse(page.contains(external), "self-contained: no " + external);
    }
  }
}
