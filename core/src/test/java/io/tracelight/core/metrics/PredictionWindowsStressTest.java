package io.tracelight.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.prediction.OutputSummary;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The pipeline thread records while other threads (the exit summary, an exporter) read the windows:
 * every copy a reader gets is consistent (its rows equal its class counts), and nothing is lost.
 */
class PredictionWindowsStressTest {
  @Test
  void readersSeeConsistentWindowsWhileThePipelineRecords() throws Exception {
    PredictionWindows windows = new PredictionWindows(97);
    AtomicBoolean stop = new AtomicBoolean();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread[] readers = new Thread[3];
    for (int t = 0; t < readers.length; t++) {
      readers[t] = new Thread(() -> {
        try {
          while (!stop.get()) {
            for (PredictionWindows.Window w : windows.windows()) {
              long classified = 0;
              for (Long n : w.classes.values()) {
                classified += n;
              }
              assertEquals(w.rows, classified, "a window copied whole");
              assertEquals(w.rows, w.confidenceRows());
              assertTrue(w.calls <= 97);
            }
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      });
      readers[t].start();
    }
    int calls = 200_000;
    for (int i = 0; i < calls; i++) { // the pipeline thread
      OutputSummary s = new OutputSummary();
      s.label(i % 3 == 0 ? "fraud" : "legit", 0.5 + (i % 50) / 100.0);
      windows.record(s);
    }
    stop.set(true);
    for (Thread r : readers) {
      r.join();
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
    List<PredictionWindows.Window> last = windows.windows();
    assertEquals(1 + PredictionWindows.RECENT, last.size());
    assertEquals((calls + 96) / 97, last.get(last.size() - 1).index, "every call counted in its window");
  }
}
