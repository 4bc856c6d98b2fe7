package io.tracelight.core.exchange;

import static io.tracelight.core.pipeline.ExchangeDriver.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.export.Exporter;
import io.tracelight.core.metrics.Metrics;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.CallProcessor;
import io.tracelight.core.pipeline.ExchangeDriver;
import io.tracelight.core.pipeline.Pipeline;
import io.tracelight.core.protocol.ProviderHosts;
import io.tracelight.core.protocol.Sha256;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;

/**
 * Readers feed calls byte by byte while another thread closes, cancels and fails them at random
 * moments, for {@code tracelight.stress.seconds} (60 by default). Every call must give exactly one
 * record, no record may be torn (decoded from half-written bytes: a wrong hash or a malformed
 * body), and the capture budget must come back to 0.
 */
class ExchangeEndRaceStressTest {
  private static final String ANSWER = "La capitale de la France est Paris.";
  private static final Set<String> EARLY_ENDS = Set.of("closed_early", "cancelled", "java.io.IOException");

  private static String describe(AiCall call) {
    java.io.StringWriter out = new java.io.StringWriter();
    try (com.fasterxml.jackson.core.JsonGenerator g = io.tracelight.core.protocol.Json.FACTORY.createGenerator(out)) {
      io.tracelight.core.export.RecordWriter.write(call, g);
    } catch (IOException e) {
      return e.toString();
    }
    return out.toString();
  }

  @Test
  void endsFromOtherThreadsNeverTearARecordNorLeakTheBudget() throws Exception {
    long seconds = Long.getLong("tracelight.stress.seconds", 60);
    ConcurrentLinkedQueue<AiCall> records = new ConcurrentLinkedQueue<>();
    Exporter collect = new Exporter() {
      @Override
      public String name() {
        return "collect";
      }

      @Override
      public void export(AiCall call) {
        records.add(call);
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Pipeline pipeline = new Pipeline(new CallProcessor(new Metrics(), Collections.singletonList(collect),
        new ProviderHosts("")), 1 << 16);
    pipeline.start();
    CaptureBudget budget = new CaptureBudget(64L << 20);
    // a small cap: long streams switch to decoding as read, the path most exposed to the race
    int cap = 1000;
    Exchanges.install(new Exchanges.Setup(ExchangeDriver.PROTOCOLS, pipeline, cap, budget));

    byte[] request = ("{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"system\","
        + "\"content\":\"Be brief.\"}]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] stream = resource("openai/stream-with-usage.sse");
    byte[] whole = resource("openai/chat-response.json");
    AtomicReferenceArray<Exchange> inFlight = new AtomicReferenceArray<>(8);
    AtomicLong started = new AtomicLong();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    Map<String, Throwable> failures = new ConcurrentHashMap<>();

    Runnable reader = () -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      int slot = random.nextInt(inFlight.length());
      while (System.nanoTime() < deadline && failures.isEmpty()) {
        try {
          boolean streamed = random.nextBoolean();
          byte[] body = streamed ? stream : whole;
          Exchange ex = Exchanges.start("stress", "POST", "https", "api.openai.com", 443,
              "/v1/chat/completions", null, Collections.emptyMap(), MapHeaders.INSTANCE);
          started.incrementAndGet();
          inFlight.set(slot, ex);
          for (int i = 0; i < request.length; i += 16) {
            ex.requestBytes(request, i, Math.min(16, request.length - i));
          }
          ex.requestSent();
          ex.responseHeaders(200, streamed ? -1 : body.length,
              Map.of("content-type", streamed ? "text/event-stream" : "application/json"), MapHeaders.INSTANCE);
          for (int i = 0; i < body.length; i += 7) {
            ex.responseBytes(body, i, Math.min(7, body.length - i));
            if (random.nextInt(16) == 0) {
              Thread.yield();
            }
          }
          ex.complete();
        } catch (Throwable t) {
          failures.put("reader", t);
        }
      }
    };
    Runnable ender = () -> {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      while (System.nanoTime() < deadline && failures.isEmpty()) {
        Exchange ex = inFlight.get(random.nextInt(inFlight.length()));
        if (ex != null) {
          switch (random.nextInt(3)) {
            case 0:
              ex.closed();
              break;
            case 1:
              ex.cancelled();
              break;
            default:
              ex.fail(new IOException("reset by the stress test"));
          }
        }
        if (random.nextInt(4) == 0) {
          Thread.yield();
        }
      }
    };
    Thread[] threads = {new Thread(reader), new Thread(reader), new Thread(reader), new Thread(ender)};
    for (Thread t : threads) {
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    pipeline.drainAndStop(30_000);
    assertTrue(failures.isEmpty(), failures.toString());

    assertEquals(started.get(), records.size(), "one record per call, none lost, none twice");
    assertEquals(0, pipeline.dropped());
    long early = 0;
    for (AiCall call : records) {
      if (call.error) {
        early++;
        assertTrue(EARLY_ENDS.contains(call.get(Keys.ERROR_TYPE)), "an early end, never a torn body: "
            + call.get(Keys.ERROR_TYPE));
      } else {
        assertEquals(Sha256.of(ANSWER), call.get(Keys.OUTPUT_HASH), () -> "a finished record has the whole answer: "
            + describe(call));
        assertEquals(Sha256.of("Be brief."), call.get(Keys.SYSTEM_HASH));
      }
    }
    assertEquals(0, budget.used(), "every captured byte is given back");
    assertTrue(records.size() > 1000 && early > 100 && early < records.size(),
        records.size() + " calls, " + early + " ended early: both kinds were exercised");
  }
}
