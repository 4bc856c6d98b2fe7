package io.tracelight.benchmarks;

import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.metrics.Metrics;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.pipeline.CallProcessor;
import io.tracelight.core.protocol.ProviderHosts;
import io.tracelight.core.protocol.ResponseView;
import io.tracelight.core.protocol.Sha256;
import io.tracelight.core.protocol.StreamDecoder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The pieces a call goes through, each alone. Times are per operation. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HotPathBenchmarks {
  private static final ProviderHosts HOSTS = new ProviderHosts("");
  private Exchange ended;
  private AiCall decoded;
  private StreamDecoder stream;
  private Metrics metrics;
  private io.tracelight.core.drift.DriftMonitor drift;
  private io.tracelight.core.feedback.FeedbackStage feedback;
  private io.tracelight.core.metrics.ModelStats decodedStats;
  private long nextCallId;
  private String prompt10k;

  @Setup(Level.Trial)
  public void setUp() {
    Payloads.install(ex -> { }); // keeps the bodies of the exchange decoded below
    ended = Payloads.wholeCall();
    Payloads.install(Exchange::releaseCaptures); // later calls give their bodies back, as the pipeline does
    decoded = CallProcessor.decode(ended, HOSTS);
    metrics = new Metrics();
    drift = new io.tracelight.core.drift.DriftMonitor(io.tracelight.core.drift.DriftSettings.defaults(),
        new io.tracelight.core.alert.AlertBook(0));
    feedback = new io.tracelight.core.feedback.FeedbackStage(null, drift);
    decodedStats = new Metrics().record(decoded);
    prompt10k = "You are a careful assistant who answers briefly. ".repeat(205);
    stream = ended.protocol.streamDecoder(ended.request, streamResponse(), 4 << 20);
  }

  /** Application thread, one whole call: start, copy request and response, end, hand off. */
  @Benchmark
  public Exchange appThreadWholeCall() {
    return Payloads.wholeCall();
  }

  /** Application thread, a request that is no AI call: what every other HTTP call pays. */
  @Benchmark
  public Exchange appThreadOtherRequest() {
    return Payloads.start("GET", "example.com", "/index.html");
  }

  /** Application thread, a POST that is no AI call: every protocol looks at its path. */
  @Benchmark
  public Exchange appThreadOtherPost() {
    return Payloads.start("POST", "example.com", "/api/orders/42/items");
  }

  /** Reading thread, a streamed call whose body came in one buffer. */
  @Benchmark
  public Exchange appThreadStreamOneBuffer() {
    return Payloads.streamedCall(false);
  }

  /**
   * Reading thread, the same streamed call one buffer per event: less the one-buffer call, over
   * the events less one, the cost of each chunk as the reading thread pays it (the bytes copied
   * aside, the chunk timed).
   */
  @Benchmark
  public Exchange appThreadStreamPerEvent() {
    return Payloads.streamedCall(true);
  }

  /**
   * One SSE chunk fed to a stream decoder: done on the reading thread only when a streamed body
   * outgrows the capture buffer (it is then decoded as it is read); otherwise on the pipeline thread.
   */
  @Benchmark
  public StreamDecoder appThreadStreamChunk() {
    stream.feed(Payloads.ONE_CHUNK, 0, Payloads.ONE_CHUNK.length);
    return stream;
  }

  /** Agent thread: decoding a whole call (request with a 360-character system prompt, response). */
  @Benchmark
  public AiCall agentThreadDecodeCall() {
    return CallProcessor.decode(ended, HOSTS);
  }

  /** Agent thread: SHA-256 of a 10 KB system prompt. */
  @Benchmark
  public String agentThreadHash10kPrompt() {
    return Sha256.of(prompt10k);
  }

  /** Agent thread: recording one call's metrics (HdrHistogram Recorder, counters). */
  @Benchmark
  public Metrics agentThreadRecordMetrics() {
    metrics.record(decoded);
    return metrics;
  }

  /**
   * Agent thread: the drift stage and the feedback stage's memory of one call, as every call pays
   * them (past the reference; a window's check every hundred calls included).
   */
  @Benchmark
  public Object agentThreadDriftAndFeedback() {
    io.tracelight.core.drift.ModelDrift subject = drift.observe(decoded, System.nanoTime());
    decoded.callIdLow = ++nextCallId; // a new call each time: the table's put and its eldest's removal
    feedback.remember(decoded, decodedStats, subject);
    return subject;
  }

  /** A successful SSE response, as the JDK client or OkHttp reports its headers. */
  private static ResponseView streamResponse() {
    return new ResponseView() {
      @Override
      public int status() {
        return 200;
      }

      @Override
      public String contentType() {
        return "text/event-stream";
      }

      @Override
      public String header(String name) {
        return null;
      }
    };
  }

  /** Keeps the shared list of benchmark names in one place for the report. */
  static List<String> names() {
    return List.of("appThreadWholeCall", "appThreadOtherRequest", "appThreadOtherPost", "appThreadStreamChunk",
        "agentThreadDecodeCall", "agentThreadHash10kPrompt", "agentThreadRecordMetrics", "agentThreadDriftAndFeedback");
  }
}
