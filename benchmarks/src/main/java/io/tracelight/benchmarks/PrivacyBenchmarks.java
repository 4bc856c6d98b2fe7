package io.tracelight.benchmarks;

import io.tracelight.core.privacy.Redactor;
import io.tracelight.core.protocol.Sha256;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The content stage's cost on the pipeline thread for a 10 KB prompt: scanning for personal data
 * and secrets (every call, whatever the capture level), redacting it (level {@code redacted}), with
 * a user pattern added, and SHA-256 of the same text for scale.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PrivacyBenchmarks {
  private String prompt;
  private final Redactor builtIn = Redactor.builtIn();
  private final Redactor withPattern = Redactor.withPatterns(Map.of("customer_id", "CUST-[0-9]{8}"));

  @Setup
  public void setUp() {
    String[] words = ("please summarise the account history for the customer below and list every transaction "
        + "over 250 EUR in 2024 with its date amount and merchant name then flag anything unusual").split(" ");
    Random r = new Random(42);
    StringBuilder b = new StringBuilder();
    while (b.length() < 10 * 1024) {
      b.append(words[r.nextInt(words.length)]).append(' ');
      if (r.nextInt(400) == 0) {
        b.append("contact jane.doe@example.com or +44 20 7946 0958, card 4111 1111 1111 1111. ");
      }
    }
    prompt = b.substring(0, 10 * 1024);
  }

  @Benchmark
  public Redactor.Counts scan10KB() {
    Redactor.Counts counts = new Redactor.Counts();
    builtIn.count(prompt, counts);
    return counts;
  }

  @Benchmark
  public String redact10KB() {
    return builtIn.apply(prompt, true, new Redactor.Counts());
  }

  @Benchmark
  public String redact10KBWithUserPattern() {
    return withPattern.apply(prompt, true, new Redactor.Counts());
  }

  @Benchmark
  public String sha256Of10KB() {
    return Sha256.of(prompt);
  }

  /** The audit trail's cost per call on the pipeline thread: one hash-chained line with an HMAC. */
  @State(Scope.Thread)
  public static class Audit {
    private java.nio.file.Path dir;
    private io.tracelight.core.audit.AuditTrail batch;
    private io.tracelight.core.audit.AuditTrail synced;
    private io.tracelight.core.model.AiCall call;
    private int n;

    @Setup
    public void setUp() throws java.io.IOException {
      dir = java.nio.file.Files.createTempDirectory("tracelight-audit-bench");
      batch = io.tracelight.core.audit.AuditTrail.open(dir.resolve("batch"), 64L << 20, false, "bench-key", false);
      synced = io.tracelight.core.audit.AuditTrail.open(dir.resolve("synced"), 64L << 20, false, "bench-key", true);
      call = new io.tracelight.core.model.AiCall();
      call.traceId = io.tracelight.core.exchange.TraceIds.newTraceId();
      call.spanId = io.tracelight.core.exchange.TraceIds.newSpanId();
      call.set(io.tracelight.core.model.Keys.OPERATION, "chat");
      call.set(io.tracelight.core.model.Keys.PROVIDER, "openai");
      call.set(io.tracelight.core.model.Keys.REQUEST_MODEL, "gpt-4o-mini");
      call.set(io.tracelight.core.model.Keys.RESPONSE_ID, "chatcmpl-AbCdEf0123456789");
      call.set(io.tracelight.core.model.Keys.SYSTEM_HASH, Sha256.of("system"));
      call.set(io.tracelight.core.model.Keys.INPUT_HASH, Sha256.of("input"));
      call.set(io.tracelight.core.model.Keys.OUTPUT_HASH, Sha256.of("output"));
      call.set(io.tracelight.core.model.Keys.FINISH_REASONS, java.util.List.of("stop"));
    }

    @org.openjdk.jmh.annotations.TearDown
    public void tearDown() {
      batch.close();
      synced.close();
    }
  }

  /** A line, flushed to the operating system every 64 lines (the pipeline flushes when its queue runs empty). */
  @Benchmark
  public void auditLineBatched(Audit a) {
    a.batch.record(a.call);
    if ((++a.n & 63) == 0) {
      a.batch.flush();
    }
  }

  /** A line synced to the disk (fsync) before the next: {@code tracelight.audit.durability=record}. */
  @Benchmark
  public void auditLineSynced(Audit a) {
    a.synced.record(a.call);
  }
}
