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
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusFormatTest {
  private static final long T0 = 1_000_000_000_000L;

  private static AiCall call(String model, double seconds, long outputTokens, boolean error) {
    AiCall c = new AiCall();
    c.durationNanos = Math.round(seconds * 1e9);
    c.set(Keys.PROVIDER, "openai");
    c.set(Keys.REQUEST_MODEL, model);
    c.set(Keys.OPERATION, "chat");
    c.set(Keys.INPUT_TOKENS, 10L);
    c.set(Keys.OUTPUT_TOKENS, outputTokens);
    if (error) {
      c.fail("500");
    }
    return c;
  }

  private static PrometheusFormat.Health health(final List<Alert> firing) {
    return new FixedHealth(3, 7, 4096, firing);
  }

  @Test
  void theTextFormatHasTheHistogramsCountersAndWindowQuantilesOfTheCalls() {
    LiveMetrics live = new LiveMetrics(10, T0);
    for (int i = 1; i <= 100; i++) {
      live.record(call("gpt-4o-mini", i / 100.0, 20, false), T0 + i * 1_000_000L); // 10 ms .. 1 s
    }
    live.record(call("gpt-4o-mini", 0.5, 0, true), T0 + 200_000_000L);
    Alert a = new Alert(1L, Alert.State.FIRING, Alert.Severity.WARNING, "drift", "latency", "psi", 1, 0.2, 1e-9, 0.1,
        0.3, "up", new AlertSubject("openai", "gpt-4o-mini", null, "canary", null), 500, 500, "e", "", "moved");
    String text = PrometheusFormat.render(live, health(Collections.singletonList(a)), false, T0 + 300_000_000L);
    String ok = "{gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o-mini\",gen_ai_operation_name=\"chat\","
        + "ai_status=\"ok\",ai_model_version=\"\",ai_deployment=\"\"";
    assertTrue(text.contains("# TYPE ai_client_calls_total counter\nai_client_calls_total" + ok + "} 100\n"), text);
    assertTrue(text.contains("gen_ai_client_operation_duration_seconds_bucket" + ok + ",le=\"0.01\"} 1\n"), text);
    assertTrue(text.contains("gen_ai_client_operation_duration_seconds_bucket" + ok + ",le=\"0.32\"} 32\n"), text);
    assertTrue(text.contains("gen_ai_client_operation_duration_seconds_bucket" + ok + ",le=\"+Inf\"} 100\n"), text);
    assertTrue(text.contains("gen_ai_client_operation_duration_seconds_count" + ok + "} 100\n"), text);
    assertEquals(50.5, Double.parseDouble(line(text, "gen_ai_client_operation_duration_seconds_sum" + ok + "}")), 1e-9);
    assertTrue(text.contains("ai_client_tokens_total" + ok + ",gen_ai_token_type=\"output\"} 2000\n"), text);
    // the window's p50 of 10 ms .. 1 s in 10 ms steps: 0.5 s, to HdrHistogram's two digits
    String p50 = line(text, "ai_client_operation_duration_window_seconds" + ok + ",quantile=\"0.5\"}");
    assertEquals(0.50, Double.parseDouble(p50), 0.005);
    assertTrue(text.contains("ai_status=\"error\""), text);
    assertTrue(text.contains("ai_alerts_firing{ai_alert_rule=\"drift\",ai_alert_signal=\"latency\",ai_alert_severity="
        + "\"warning\",gen_ai_provider_name=\"openai\",gen_ai_request_model=\"gpt-4o-mini\",ai_model_version=\"\","
        + "ai_deployment=\"canary\"} 1\n"), text);
    assertTrue(text.contains("ai_agent_dropped_calls_total 3\n"), text);
    assertTrue(text.contains("ai_agent_queue_depth 7\n"), text);
    assertFalse(text.contains("# EOF"), text);
    assertFalse(text.contains("# UNIT"), text);
  }

  @Test
  void theWindowForgetsMinutesPastIt() {
    LiveMetrics live = new LiveMetrics(10, T0);
    live.record(call("m", 2.0, 1, false), T0);
    String soon = PrometheusFormat.render(live, health(Collections.<Alert>emptyList()), false, T0 + 60_000_000_000L);
    assertTrue(soon.contains("quantile=\"0.5\"} 2"), soon);
    String later = PrometheusFormat.render(live, health(Collections.<Alert>emptyList()), false,
        T0 + (LiveMetrics.WINDOW_MINUTES + 1) * 60_000_000_000L);
    assertFalse(later.contains("quantile="), "no call in the last minutes: " + later);
    assertTrue(later.contains("ai_client_calls_total{"), "the counters stay");
  }

  @Test
  void openMetricsNamesCounterFamiliesWithoutTotalAndEnds() {
    LiveMetrics live = new LiveMetrics(10, T0);
    live.record(call("m", 0.1, 1, false), T0);
    String om = PrometheusFormat.render(live, health(Collections.<Alert>emptyList()), true, T0);
    assertTrue(om.contains("# TYPE ai_client_calls counter\nai_client_calls_total{"), om);
    assertTrue(om.contains("# UNIT gen_ai_client_operation_duration_seconds seconds\n"), om);
    assertTrue(om.endsWith("# EOF\n"), om);
  }

  @Test
  void pastTheBoundNewLabelSetsFoldIntoOtherAndTheFoldIsCounted() {
    LiveMetrics live = new LiveMetrics(3, T0);
    for (int i = 0; i < 1000; i++) {
      live.record(call("model-" + i, 0.1, 1, false), T0); // a flood of model names
    }
    String text = PrometheusFormat.render(live, health(Collections.<Alert>emptyList()), false, T0);
    assertEquals(4, text.split("\nai_client_calls_total\\{", -1).length - 1, "three models and other: " + text);
    assertTrue(text.contains("ai_client_calls_total{gen_ai_provider_name=\"other\",gen_ai_request_model=\"other\","
        + "gen_ai_operation_name=\"chat\",ai_status=\"ok\",ai_model_version=\"other\",ai_deployment=\"other\"} 997\n"), text);
    assertTrue(text.contains("ai_agent_metric_series_folded_total 997\n"), text);
  }

  @Test
  void labelValuesAreEscaped() {
    LiveMetrics live = new LiveMetrics(10, T0);
    live.record(call("we\"ird\\model\nname", 0.1, 1, false), T0);
    String text = PrometheusFormat.render(live, health(Collections.<Alert>emptyList()), false, T0);
    assertTrue(text.contains("gen_ai_request_model=\"we\\\"ird\\\\model\\nname\""), text);
  }

  private static String line(String text, String start) {
    for (String l : text.split("\n")) {
      if (l.startsWith(start + " ")) {
        return l.substring(start.length() + 1);
      }
    }
    throw new AssertionError("no " + start + " in " + text);
  }
}
