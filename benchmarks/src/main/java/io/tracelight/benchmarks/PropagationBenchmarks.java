package io.tracelight.benchmarks;

import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.MapHeaders;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * What {@code tracelight.propagation=tracecontext} adds on the application's thread: the span's ids
 * chosen and the {@code traceparent} value made when the call starts (an instrumentation asks for
 * it once). Compare with {@code HotPathBenchmarks.appThreadWholeCall}, the same call without it;
 * a class of its own because the agent's setup is per JVM and JMH forks one per class's benchmark.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class PropagationBenchmarks {
  @Setup(Level.Trial)
  public void setUp() {
    Payloads.install(Exchange::releaseCaptures, true);
  }

  /** Application thread, one whole call with propagation on: as {@code appThreadWholeCall}, plus the header. */
  @Benchmark
  public Exchange appThreadWholeCallPropagating(Blackhole hole) {
    Exchange ex = Payloads.start("POST", "api.openai.com", "/v1/chat/completions");
    hole.consume(ex.traceparentToSend());
    ex.requestBytes(Payloads.REQUEST, 0, Payloads.REQUEST.length);
    ex.requestSent();
    ex.responseHeaders(200, Payloads.RESPONSE.length, Payloads.RESPONSE_HEADERS, MapHeaders.INSTANCE);
    ex.responseBytes(Payloads.RESPONSE, 0, Payloads.RESPONSE.length);
    ex.complete();
    return ex;
  }
}
