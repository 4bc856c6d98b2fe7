package io.tracelight.core.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link OtelApiContext}'s threads at once: application threads capturing inside spans of their own
 * while a class-loading thread reports the API and the first captures race to resolve the method
 * handles. Every capture is either nothing (before the API was seen) or the capturing thread's own
 * span, never another thread's, and no capture throws.
 */
class OtelApiContextStressTest {
  @Test
  void capturesRacingTheApisDiscoveryReadOnlyTheirOwnThreadsSpan() throws Exception {
    SdkTracerProvider sdk = SdkTracerProvider.builder().build();
    OtelApiContext api = new OtelApiContext();
    int threads = 8;
    int rounds = 2_000;
    CountDownLatch go = new CountDownLatch(1);
    AtomicInteger before = new AtomicInteger();
    AtomicInteger own = new AtomicInteger();
    ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
    List<Thread> apps = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Thread app = new Thread(() -> {
        try {
          go.await();
          for (int i = 0; i < rounds; i++) {
            Span span = sdk.get("stress").spanBuilder("app").startSpan();
            try (Scope ignored = span.makeCurrent()) {
              Object captured = api.capture();
              if (captured == null) {
                before.incrementAndGet();
                continue;
              }
              TraceParent parent = api.parentOf(captured);
              if (parent != null && parent.parentSpanId.equals(span.getSpanContext().getSpanId())) {
                own.incrementAndGet();
              } else {
                wrong.add(String.valueOf(parent == null ? null : parent.parentSpanId));
              }
            } finally {
              span.end();
            }
          }
        } catch (Throwable e) {
          wrong.add(e.toString());
        }
      });
      app.start();
      apps.add(app);
    }
    Thread loader = new Thread(() -> {
      try {
        go.await();
        Thread.sleep(5);
        api.seen(Span.class.getClassLoader()); // as the watch does, on the thread loading the API
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    loader.start();
    go.countDown();
    for (Thread app : apps) {
      app.join();
    }
    loader.join();
    sdk.close();
    assertTrue(wrong.isEmpty(), "captures that read no span or another thread's: " + wrong);
    assertEquals(threads * rounds, before.get() + own.get());
    assertTrue(own.get() > 0, "the API was found while the threads ran");
  }
}
