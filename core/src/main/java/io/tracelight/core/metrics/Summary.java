package io.tracelight.core.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tracelight.core.protocol.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The end-of-run report: a table on stderr and the same numbers in {@code summary.json}. */
public final class Summary {
  private final List<ModelStats> stats;
  private final long dropped;
  private final long internalErrors;
  private final long unwritten;
  private final long underWay;
  private final long bytesHeld;
  private final long notAiCalls;

  public Summary(List<ModelStats> stats, long dropped, long internalErrors, long unwritten, long underWay,
      long bytesHeld, long notAiCalls) {
    this.underWay = underWay;
    this.notAiCalls = notAiCalls;
    this.stats = stats;
    this.dropped = dropped;
    this.internalErrors = internalErrors;
    this.unwritten = unwritten;
    this.bytesHeld = bytesHeld;
  }

  public void print(PrintStream out, String recordsLocation) {
    long calls = 0;
    for (ModelStats s : stats) {
      calls += s.calls();
    }
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "[tracelight] summary: %d AI calls, %d dropped, %d not written, ", calls,
        dropped, unwritten));
    if (underWay > 0) { // calls whose end never came before exit: said only when there are some
      b.append(underWay).append(" still under way at exit, ");
    }
    b.append(String.format(Locale.ROOT, "%d internal errors; records: %s%n", internalErrors, recordsLocation));
    if (!stats.isEmpty()) {
      b.append(String.format(Locale.ROOT, "%-18s %-26s %-16s %6s %6s %9s %9s %9s %9s %9s %9s %9s %9s%n",
          "provider", "model", "op", "calls", "err%", "p50 ms", "p95 ms", "p99 ms", "max ms",
          "ttfc p50", "ttfc p95", "tok in", "tok out"));
      for (ModelStats s : stats) {
        Histogram d = s.durations();
        Histogram f = s.firstChunks();
        b.append(String.format(Locale.ROOT,
            "%-18s %-26s %-16s %6d %5.1f%% %9s %9s %9s %9s %9s %9s %9d %9d%n",
            s.provider, s.model, s.operation, s.calls(), errorRate(s) * 100,
            ms(d, 50), ms(d, 95), ms(d, 99), max(d), ms(f, 50), ms(f, 95),
            s.inputTokens(), s.outputTokens()));
      }
    }
    out.print(b);
    out.flush();
  }

  public void writeJson(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream os = Files.newOutputStream(file);
        JsonGenerator g = Json.FACTORY.createGenerator(os).useDefaultPrettyPrinter()) {
      g.writeStartObject();
      g.writeNumberField("dropped", dropped);
      g.writeNumberField("not_written", unwritten);
      g.writeNumberField("under_way_at_exit", underWay);
      g.writeNumberField("internal_errors", internalErrors);
      g.writeNumberField("capture_bytes_held", bytesHeld);
      g.writeNumberField("not_ai_calls", notAiCalls);
      g.writeArrayFieldStart("models");
      for (ModelStats s : stats) {
        Histogram d = s.durations();
        Histogram f = s.firstChunks();
        g.writeStartObject();
        g.writeStringField("gen_ai.provider.name", s.provider);
        g.writeStringField("gen_ai.request.model", s.model);
        g.writeStringField("gen_ai.operation.name", s.operation);
        g.writeNumberField("calls", s.calls());
        g.writeNumberField("errors", s.errors());
        g.writeNumberField("error_rate", errorRate(s));
        g.writeObjectFieldStart("duration_ms");
        percentiles(g, d, true);
        g.writeEndObject();
        g.writeObjectFieldStart("time_to_first_chunk_ms");
        percentiles(g, f, false);
        g.writeEndObject();
        g.writeNumberField("input_tokens", s.inputTokens());
        g.writeNumberField("output_tokens", s.outputTokens());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
  }

  private static void percentiles(JsonGenerator g, Histogram h, boolean withTail) throws IOException {
    g.writeNumberField("count", h.getTotalCount());
    if (h.getTotalCount() == 0) {
      return;
    }
    g.writeNumberField("p50", h.getValueAtPercentile(50) / 1000.0);
    g.writeNumberField("p95", h.getValueAtPercentile(95) / 1000.0);
    if (withTail) {
      g.writeNumberField("p99", h.getValueAtPercentile(99) / 1000.0);
      g.writeNumberField("max", h.getMaxValue() / 1000.0);
    }
  }

  private static double errorRate(ModelStats s) {
    return s.calls() == 0 ? 0 : (double) s.errors() / s.calls();
  }

  private static String ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? "-"
        : String.format(Locale.ROOT, "%.1f", h.getValueAtPercentile(percentile) / 1000.0);
  }

  private static String max(Histogram h) {
    return h.getTotalCount() == 0 ? "-" : String.format(Locale.ROOT, "%.1f", h.getMaxValue() / 1000.0);
  }
}
