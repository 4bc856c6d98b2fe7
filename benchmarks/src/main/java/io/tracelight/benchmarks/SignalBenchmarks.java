package io.tracelight.benchmarks;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.ChunkGaps;
import io.tracelight.core.model.Keys;
import io.tracelight.core.quality.OutputSignals;
import io.tracelight.core.quality.RefusalPhrases;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The answer checks' cost per call on the pipeline thread, on 2 KB and 20 KB answers: a text
 * answer (every refusal phrase looked for in its opening, nothing found: the worst case), and a
 * JSON answer the request asked for (parsed whole, its required members checked). And the cost per
 * streamed chunk on the application's thread of timing it (one gap into the per-call buckets).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SignalBenchmarks {
  @Param({"2048", "20480"})
  public int answerBytes;

  private final OutputSignals signals = new OutputSignals(RefusalPhrases.defaults());
  private String text;
  private String json;
  private final ChunkGaps gaps = new ChunkGaps();
  private long gap;

  @Setup
  public void setUp() {
    String[] words = ("the lighthouse at cabo da roca stands on the westernmost point of the continent and its beam "
        + "reaches about twenty six nautical miles over the atlantic on a clear night").split(" ");
    Random r = new Random(7);
    StringBuilder b = new StringBuilder();
    while (b.length() < answerBytes) {
      b.append(words[r.nextInt(words.length)]).append(' ');
    }
    text = b.substring(0, answerBytes);
    StringBuilder j = new StringBuilder("{\"city\":\"Lisbon\",\"population\":545923,\"sights\":[");
    int i = 0;
    while (j.length() < answerBytes - 64) {
      j.append(i == 0 ? "" : ",").append("{\"name\":\"").append(words[r.nextInt(words.length)]).append(' ')
          .append(words[r.nextInt(words.length)]).append("\",\"rating\":").append(r.nextInt(50) / 10.0).append('}');
      i++;
    }
    json = j.append("]}").toString();
  }

  private static AiCall answered(String answer, boolean jsonRequested) {
    AiCall call = new AiCall();
    call.set(Keys.OPERATION, "chat");
    List<String> finish = new ArrayList<>(1);
    finish.add("stop");
    call.set(Keys.FINISH_REASONS, finish);
    call.set(Keys.OUTPUT_TOKENS, (long) answer.length() / 4);
    call.durationNanos = 900_000_000L;
    call.content().output(answer);
    if (jsonRequested) {
      call.facts().jsonRequested = true;
      call.facts().answerRequired = List.of("city", "population");
    }
    return call;
  }

  /** A text answer: truncation, length, refusal phrases, tokens per second (the call made fresh each time). */
  @Benchmark
  public AiCall textAnswer() {
    AiCall call = answered(text, false);
    signals.apply(call);
    return call;
  }

  /** A JSON answer the request asked for: the above and the whole answer parsed. */
  @Benchmark
  public AiCall jsonAnswer() {
    AiCall call = answered(json, true);
    signals.apply(call);
    return call;
  }

  /** Making the call alone, to subtract from the two above. */
  @Benchmark
  public AiCall callAlone() {
    return answered(text, false);
  }

  /** One streamed chunk's timing on the application's thread (the clock read is measured elsewhere). */
  @Benchmark
  public ChunkGaps chunkGap() {
    gap = (gap * 6364136223846793005L + 1442695040888963407L);
    gaps.record((gap >>> 36) & 0x7ffffff); // 0 to 134 ms
    return gaps;
  }
}
