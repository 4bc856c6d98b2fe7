package io.tracelight.core.metrics;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tracelight.core.protocol.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.HdrHistogram.Histogram;

/** The end-of-run report: a table on stderr and the same numbers in {@code summary.json}. */
public final class Summary {
  private static final String LINE = System.lineSeparator();
  /** Column widths; a negative width aligns left. */
  private static final int[] WIDTHS = {-18, -26, -16, 6, 6, 9, 9, 9, 9, 9, 9, 9, 9};

  private final List<ModelStats> stats;
  private final long dropped;
  private final long internalErrors;
  private final long unwritten;
  private final long underWay;
  private final long bytesHeld;
  private final long notAiCalls;
  private final List<Object[]> counts = new java.util.ArrayList<>();

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

  /**
   * Adds a count another part reports (an exporter's, the host agent's): in {@code summary.json}
   * under {@code key}, and on the summary line as "{value} {words}" when it is not zero.
   */
  public Summary count(String key, String words, long value) {
    counts.add(new Object[] {key, words, value});
    return this;
  }

  public void print(PrintStream out, String recordsLocation) {
    long calls = 0;
    for (ModelStats s : stats) {
      calls += s.calls();
    }
    // Padded by hand: String.format would load the formatter and the locale data at exit.
    StringBuilder b = new StringBuilder();
    b.append("[tracelight] summary: ").append(calls).append(" AI calls, ").append(dropped).append(" dropped, ")
        .append(unwritten).append(" not written, ");
    if (underWay > 0) { // calls whose end never came before exit: said only when there are some
      b.append(underWay).append(" still under way at exit, ");
    }
    for (Object[] c : counts) {
      if ((Long) c[2] != 0) {
        b.append(c[2]).append(' ').append(c[1]).append(", ");
      }
    }
    b.append(internalErrors).append(" internal errors; records: ").append(recordsLocation).append(LINE);
    if (!stats.isEmpty()) {
      row(b, "provider", "model", "op", "calls", "err%", "p50 ms", "p95 ms", "p99 ms", "max ms", "ttfc p50",
          "ttfc p95", "tok in", "tok out");
      for (ModelStats s : stats) {
        Histogram d = s.durations();
        Histogram f = s.firstChunks();
        row(b, s.provider, s.model, s.operation, Long.toString(s.calls()), errorPercent(s) + "%",
            ms(d, 50), ms(d, 95), ms(d, 99), max(d), ms(f, 50), ms(f, 95),
            Long.toString(s.inputTokens()), Long.toString(s.outputTokens()));
      }
    }
    out.print(b);
    out.flush();
  }

  private static void row(StringBuilder b, String... cells) {
    for (int i = 0; i < cells.length; i++) {
      if (i > 0) {
        b.append(' ');
      }
      int width = Math.abs(WIDTHS[i]);
      if (WIDTHS[i] > 0) {
        spaces(b, width - cells[i].length());
      }
      b.append(cells[i]);
      if (WIDTHS[i] < 0) {
        spaces(b, width - cells[i].length());
      }
    }
    b.append(LINE);
  }

  private static void spaces(StringBuilder b, int n) {
    for (int i = 0; i < n; i++) {
      b.append(' ');
    }
  }

  public void writeJson(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream os = Files.newOutputStream(file)) {
      writeJson(os);
    }
  }

  /** The {@code summary.json} content; leaves {@code os} open. */
  public void writeJson(OutputStream os) throws IOException {
    try (JsonGenerator g = Json.FACTORY.createGenerator(os).useDefaultPrettyPrinter()) {
      g.writeStartObject();
      g.writeNumberField("dropped", dropped);
      g.writeNumberField("not_written", unwritten);
      g.writeNumberField("under_way_at_exit", underWay);
      g.writeNumberField("internal_errors", internalErrors);
      g.writeNumberField("capture_bytes_held", bytesHeld);
      g.writeNumberField("not_ai_calls", notAiCalls);
      for (Object[] c : counts) {
        g.writeNumberField((String) c[0], (Long) c[2]);
      }
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

  /** Errors per hundred calls, one decimal, rounded half up. */
  private static String errorPercent(ModelStats s) {
    long calls = s.calls();
    return calls == 0 ? "0.0" : tenths((s.errors() * 2000 + calls) / (2 * calls));
  }

  private static String ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? "-" : microsAsMillis(h.getValueAtPercentile(percentile));
  }

  private static String max(Histogram h) {
    return h.getTotalCount() == 0 ? "-" : microsAsMillis(h.getMaxValue());
  }

  /** Microseconds as milliseconds with one decimal, rounded half up. */
  static String microsAsMillis(long micros) {
    return tenths((Math.max(0, micros) + 50) / 100);
  }

  private static String tenths(long tenths) {
    return (tenths / 10) + "." + (tenths % 10);
  }
}
