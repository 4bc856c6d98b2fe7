package io.tracelight.core.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.drift.DriftComparison;
import io.tracelight.core.protocol.Json;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.time.Instant;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * {@code java -jar tracelight-agent.jar report <dir> [--html <file>] [--period a=<from>/<to> --period b=<from>/<to>]}:
 * what an output directory's
 * files say, for a person. Per subject (provider, model, version, deployment label, system prompt):
 * calls, errors, refusals, latency and time-to-first-chunk percentiles, tokens, cost and people's
 * acceptance; the drift between the first and the last half of each subject's period, or between two
 * named periods (latency and
 * output tokens by PSI and Kolmogorov–Smirnov, the refusal rate by chi-square), with the same tests
 * and thresholds as the agent's live checks; and the alerts. As text, and as one self-contained HTML
 * page with a latency chart (no external resources). Reads the files three times and keeps per
 * subject a few histograms, never the records.
 */
public final class Report {
  static final int BUCKETS = 48;

  /** One subject's numbers. */
  static final class Subject {
    final String provider;
    final String model;
    final String version;
    final String deployment;
    final String systemHash;
    long calls;
    long errors;
    long refusals;
    long firstNanos = Long.MAX_VALUE;
    long lastNanos = Long.MIN_VALUE;
    final Histogram latencyMicros = new Histogram(3_600_000_000L, 2);
    final Histogram firstChunkMicros = new Histogram(3_600_000_000L, 2);
    long inputTokens;
    long outputTokens;
    double cost;
    boolean priced;
    long feedback;
    long accepted;
    /** The two halves of the subject's period: latency and output tokens compared, refusals counted. */
    DriftComparison latency;
    DriftComparison tokens;
    final long[] halfCalls = new long[2];
    final long[] halfRefusals = new long[2];
    /** Mean latency per time bucket of the whole report's period, for the chart. */
    final double[] bucketSum = new double[BUCKETS];
    final long[] bucketCount = new long[BUCKETS];

    Subject(CallLine c) {
      provider = c.provider;
      model = c.model;
      version = c.version;
      deployment = c.deployment;
      systemHash = c.systemHash;
    }

    String name() {
      StringBuilder b = new StringBuilder(provider).append(' ').append(model);
      if (version != null) {
        b.append(" v").append(version);
      }
      if (deployment != null) {
        b.append(" [").append(deployment).append(']');
      }
      if (systemHash != null) {
        b.append(" sys:").append(systemHash, 0, Math.min(8, systemHash.length()));
      }
      return b.toString();
    }

    long midNanos() {
      return firstNanos + (lastNanos - firstNanos) / 2;
    }
  }

  final Map<String, Subject> subjects = new LinkedHashMap<>();
  final List<Map<String, Object>> alerts = new ArrayList<>();
  long unreadLines;
  long firstNanos = Long.MAX_VALUE;
  long lastNanos = Long.MIN_VALUE;
  private final Path dir;
  /** The two periods compared (the reference's, then the current), or null for each subject's halves. */
  final Period[] periods;

  /** A named period of time, {@code [from, to)}. Immutable. */
  static final class Period {
    final String name;
    final long fromNanos;
    final long toNanos;

    Period(String name, long fromNanos, long toNanos) {
      this.name = name;
      this.fromNanos = fromNanos;
      this.toNanos = toNanos;
    }

    boolean holds(long epochNanos) {
      return epochNanos >= fromNanos && epochNanos < toNanos;
    }

    /** {@code name=<from>/<to>}, the instants in ISO-8601 ({@code 2026-11-23T00:00:00Z}). */
    static Period parse(String text) {
      int eq = text.indexOf('=');
      int slash = text.indexOf('/', eq + 1);
      if (eq <= 0 || slash < 0) {
        throw new IllegalArgumentException("a period is name=<from>/<to>, e.g. last-week=2026-11-16T00:00:00Z/"
            + "2026-11-23T00:00:00Z: " + text);
      }
      long from = nanos(text.substring(eq + 1, slash));
      long to = nanos(text.substring(slash + 1));
      if (to <= from) {
        throw new IllegalArgumentException("the period " + text + " ends before it starts");
      }
      return new Period(text.substring(0, eq), from, to);
    }

    private static long nanos(String instant) {
      try {
        Instant at = Instant.parse(instant);
        return at.getEpochSecond() * 1_000_000_000L + at.getNano();
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException("not an instant (2026-11-23T00:00:00Z): " + instant);
      }
    }
  }

  Report(Path dir) {
    this(dir, null);
  }

  Report(Path dir, Period[] periods) {
    this.dir = dir;
    this.periods = periods;
  }

  /** What the drift section compares, for people: the two halves, or the two periods' names. */
  String[] sides() {
    return periods == null ? new String[] {"first half", "last half"} : new String[] {periods[0].name, periods[1].name};
  }

  public static int main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: java -jar tracelight-agent.jar report <output dir> [--html <file>]"
          + " [--period <name>=<from>/<to> --period <name>=<from>/<to>]");
      return 2;
    }
    Path dir = Paths.get(args[1]);
    Path html = null;
    List<Period> periods = new ArrayList<>();
    try {
      for (int i = 2; i < args.length - 1; i++) {
        if (args[i].equals("--html")) {
          html = Paths.get(args[i + 1]);
        } else if (args[i].equals("--period")) {
          periods.add(Period.parse(args[i + 1]));
        }
      }
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    if (periods.size() != 0 && periods.size() != 2) {
      System.err.println("--period is given twice (the reference's, then the one compared with it), or not at all");
      return 2;
    }
    try {
      Report report = read(dir, periods.isEmpty() ? null : periods.toArray(new Period[0]));
      report.printText(System.out);
      if (html != null) {
        Files.write(html, report.html().getBytes(StandardCharsets.UTF_8));
        System.out.println("HTML report: " + html);
      }
      return 0;
    } catch (IOException e) {
      System.err.println("cannot read " + dir + ": " + e);
      return 1;
    }
  }

  /** Reads the directory's calls, alerts and feedback files. */
  static Report read(Path dir) throws IOException {
    return read(dir, null);
  }

  /** As {@link #read(Path)}, comparing {@code periods[0]} with {@code periods[1]} instead of each subject's halves. */
  static Report read(Path dir, Period[] periods) throws IOException {
    Report r = new Report(dir, periods);
    List<Path> calls = files(dir, "calls");
    CallLine c = new CallLine();
    for (Path f : calls) { // 1: totals and each subject's period
      r.lines(f, c, 1);
    }
    for (Path f : calls) { // 2: the first halves (the references), the chart
      r.lines(f, c, 2);
    }
    for (Subject s : r.subjects.values()) {
      s.latency.closeReference();
      s.tokens.closeReference();
    }
    for (Path f : calls) { // 3: the last halves
      r.lines(f, c, 3);
    }
    for (Path f : files(dir, "alerts")) {
      r.alerts(f);
    }
    for (Path f : files(dir, "feedback")) {
      r.feedback(f);
    }
    return r;
  }

  /** {@code <base>.jsonl} and its rotated and other JVMs' files, by name. */
  static List<Path> files(Path dir, String base) throws IOException {
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> list = Files.newDirectoryStream(dir, base + "*.jsonl")) {
      for (Path p : list) {
        String name = p.getFileName().toString();
        if (name.equals(base + ".jsonl") || name.startsWith(base + "-")) {
          out.add(p);
        }
      }
    }
    out.sort(null);
    return out;
  }

  interface LineHandler {
    void line(byte[] bytes, int length) throws IOException;
  }

  static void eachLine(Path file, LineHandler handler) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream(4096);
      int b;
      while ((b = in.read()) >= 0) {
        if (b == '\n') {
          handler.line(line.toByteArray(), line.size());
          line.reset();
        } else {
          line.write(b);
        }
      }
      if (line.size() > 0) {
        handler.line(line.toByteArray(), line.size());
      }
    }
  }

  private void lines(Path file, final CallLine c, final int pass) throws IOException {
    eachLine(file, new LineHandler() {
      @Override
      public void line(byte[] bytes, int length) {
        if (!c.read(bytes, length)) {
          if (pass == 1 && length > 0) {
            unreadLines++;
          }
          return;
        }
        call(c, pass);
      }
    });
  }

  private void call(CallLine c, int pass) {
    String key = c.subjectKey();
    Subject s = subjects.get(key);
    if (pass == 1) {
      if (s == null) {
        s = new Subject(c);
        subjects.put(key, s);
      }
      s.calls++;
      s.errors += c.error ? 1 : 0;
      s.refusals += c.refusal ? 1 : 0;
      s.firstNanos = Math.min(s.firstNanos, c.epochNanos);
      s.lastNanos = Math.max(s.lastNanos, c.epochNanos);
      firstNanos = Math.min(firstNanos, c.epochNanos);
      lastNanos = Math.max(lastNanos, c.epochNanos);
      if (c.durationMs == c.durationMs) {
        s.latencyMicros.recordValue(Math.max(0, Math.min(3_600_000_000L, (long) (c.durationMs * 1000))));
      }
      if (c.firstChunkSeconds == c.firstChunkSeconds) {
        s.firstChunkMicros.recordValue(Math.max(0, Math.min(3_600_000_000L, (long) (c.firstChunkSeconds * 1e6))));
      }
      s.inputTokens += Math.max(0, c.inputTokens);
      s.outputTokens += Math.max(0, c.outputTokens);
      if (c.cost == c.cost) {
        s.cost += c.cost;
        s.priced = true;
      }
      return;
    }
    if (s == null) {
      return; // a file that grew between the passes
    }
    if (s.latency == null) {
      s.latency = new DriftComparison((int) Math.min(100_000, s.calls));
      s.tokens = new DriftComparison((int) Math.min(100_000, s.calls));
    }
    boolean reference = periods == null ? c.epochNanos <= s.midNanos() : periods[0].holds(c.epochNanos);
    boolean current = periods == null ? !reference : periods[1].holds(c.epochNanos);
    double tokens = c.outputTokens < 0 || c.error ? Double.NaN : c.outputTokens;
    if (pass == 2 && reference) {
      s.latency.reference(c.durationMs);
      s.tokens.reference(tokens);
      s.halfCalls[0]++;
      s.halfRefusals[0] += c.refusal ? 1 : 0;
    } else if (pass == 3 && current) {
      s.latency.current(c.durationMs);
      s.tokens.current(tokens);
      s.halfCalls[1]++;
      s.halfRefusals[1] += c.refusal ? 1 : 0;
    }
    if (pass == 2 && c.durationMs == c.durationMs) {
      int b = bucket(c.epochNanos);
      s.bucketSum[b] += c.durationMs;
      s.bucketCount[b]++;
    }
  }

  private int bucket(long epochNanos) {
    long span = Math.max(1, lastNanos - firstNanos);
    return (int) Math.min(BUCKETS - 1, (epochNanos - firstNanos) * (double) BUCKETS / span);
  }

  private void alerts(Path file) throws IOException {
    eachLine(file, new LineHandler() {
      @Override
      public void line(byte[] bytes, int length) {
        Map<String, Object> a = flat(bytes, length);
        if (a != null) {
          alerts.add(a);
        }
      }
    });
  }

  private void feedback(Path file) throws IOException {
    eachLine(file, new LineHandler() {
      @Override
      public void line(byte[] bytes, int length) {
        Map<String, Object> f = flat(bytes, length);
        if (f == null || !"feedback".equals(f.get("kind")) || f.get("model") == null) {
          return;
        }
        for (Subject s : subjects.values()) {
          if (s.provider.equals(f.get("provider")) && s.model.equals(f.get("model"))
              && eq(s.version, f.get("model_version")) && eq(s.deployment, f.get("deployment"))) {
            s.feedback++;
            s.accepted += Boolean.TRUE.equals(f.get("accepted")) ? 1 : 0;
            return; // counted once, on the model's first subject
          }
        }
      }
    });
  }

  private static boolean eq(String a, Object b) {
    return a == null ? b == null : a.equals(b);
  }

  /** A line's top-level scalar members; null when it is not a JSON object. */
  private static Map<String, Object> flat(byte[] bytes, int length) {
    Map<String, Object> out = new LinkedHashMap<>();
    try (JsonParser p = Json.parser(bytes, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.getCurrentName();
        JsonToken t = p.nextToken();
        if (t == JsonToken.VALUE_STRING) {
          out.put(name, p.getText());
        } else if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
          out.put(name, p.getDoubleValue());
        } else if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
          out.put(name, t == JsonToken.VALUE_TRUE);
        } else {
          p.skipChildren();
        }
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The refusal rate's change between the halves: {@code [first, last, chi-square p]}. */
  static double[] refusalShift(Subject s) {
    double first = s.halfCalls[0] == 0 ? 0 : s.halfRefusals[0] / (double) s.halfCalls[0];
    double last = s.halfCalls[1] == 0 ? 0 : s.halfRefusals[1] / (double) s.halfCalls[1];
    double[] chi = io.tracelight.core.drift.Statistics.chiSquare(
        new long[] {s.halfRefusals[0], s.halfCalls[0] - s.halfRefusals[0]},
        new long[] {s.halfRefusals[1], s.halfCalls[1] - s.halfRefusals[1]});
    double p = chi[1] > 0 ? io.tracelight.core.drift.Statistics.chiSquareTail(chi[0], chi[1]) : 1;
    return new double[] {first, last, p};
  }

  void printText(PrintStream out) {
    out.print(ReportText.text(this));
  }

  String html() {
    return ReportHtml.page(this);
  }

  String directory() {
    return dir.toString();
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
