package io.tracelight.core.report;

import io.tracelight.core.alert.AlertBook;
import io.tracelight.core.drift.DriftBaseline;
import io.tracelight.core.drift.DriftMonitor;
import io.tracelight.core.drift.DriftSettings;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code baseline <output dir> [--from <instant>] [--to <instant>] [--calls <n>] [--out <file>]}: a
 * drift baseline file made from a period of an output directory's records, each model's (and
 * version's, label's, system prompt's) first {@code n} calls in it making its reference, as the
 * agent makes one from its first calls. The agent reads it at start with
 * {@code tracelight.drift.baseline}. What the records cannot give is made live by the agent that
 * reads the file: numeric input features (not in the records) and the call rate (the records may
 * be several JVMs'). Records a sampling rule kept for their outcome are left out. One thread.
 */
public final class Baseline {
  private Baseline() {}

  public static int main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: java -jar tracelight-agent.jar baseline <output dir> [--from <instant>] [--to <instant>]"
          + " [--calls <n>] [--out <file>]");
      return 2;
    }
    Path dir = Paths.get(args[1]);
    long from = Long.MIN_VALUE;
    long to = Long.MAX_VALUE;
    int calls = DriftSettings.defaults().referenceCalls;
    Path out = dir.resolve(DriftBaseline.FILE_NAME);
    try {
      for (int i = 2; i < args.length - 1; i += 2) {
        switch (args[i]) {
          case "--from":
            from = nanos(args[i + 1]);
            break;
          case "--to":
            to = nanos(args[i + 1]);
            break;
          case "--calls":
            calls = Integer.parseInt(args[i + 1]);
            break;
          case "--out":
            out = Paths.get(args[i + 1]);
            break;
          default:
            System.err.println("unknown option " + args[i]);
            return 2;
        }
      }
    } catch (DateTimeParseException | NumberFormatException e) {
      System.err.println("not an instant (2026-11-27T09:00:00Z) or a number: " + e.getMessage());
      return 2;
    }
    try {
      long[] skipped = new long[1];
      DriftMonitor monitor = references(dir, from, to, calls, skipped);
      if (skipped[0] > 0) {
        System.out.println(skipped[0] + " records kept by a sampling rule that looks at outcomes (errors, slow or costly"
            + " calls, refusals, alerts) left out: they are not a fair sample");
      }
      int written = DriftBaseline.write(monitor, out, System.currentTimeMillis() * 1_000_000L, false);
      if (written == 0) {
        System.err.println("no model has " + calls + " fairly sampled calls in the period: no baseline written");
        return 1;
      }
      System.out.println(written + " reference" + (written == 1 ? "" : "s") + " of " + calls + " calls written to " + out
          + (monitor.subjects() > written ? " (" + (monitor.subjects() - written)
              + " with fewer calls in the period left out: they make theirs live)" : ""));
      return 0;
    } catch (IOException e) {
      System.err.println("cannot read " + dir + " or write " + out + ": " + e);
      return 1;
    }
  }

  /**
   * A drift stage fed, per subject, the period's first {@code calls} records by time: a first pass
   * finds each subject's cut-off time (a bounded heap of its earliest times), a second feeds the
   * records up to it, in any file order (a reference's distributions do not depend on the order).
   * Records a sampling tail rule, floor or alert kept are left out: they are not a fair sample.
   */
  static DriftMonitor references(Path dir, final long from, final long to, final int calls, final long[] skipped)
      throws IOException {
    DriftSettings d = DriftSettings.defaults();
    final DriftMonitor monitor = new DriftMonitor(new DriftSettings(calls, d.windowCalls, d.alpha, d.psiThreshold,
        d.jsdThreshold, d.minChange, d.minEvents, d.maxKeys, d.runawayFactor, ""), new AlertBook(0));
    final RecordReader reader = new RecordReader();
    final Map<String, PriorityQueue<Long>> earliest = new HashMap<>();
    List<Path> files = Report.files(dir, "calls");
    for (Path f : files) {
      Report.eachLine(f, new Report.LineHandler() {
        @Override
        public void line(byte[] bytes, int length) {
          AiCall call = usable(reader.read(bytes, length), from, to, skipped);
          if (call == null) {
            return;
          }
          PriorityQueue<Long> heap = earliest.get(subject(call));
          if (heap == null) {
            heap = new PriorityQueue<>(Collections.<Long>reverseOrder()); // the latest of the earliest on top
            earliest.put(subject(call), heap);
          }
          if (heap.size() < calls) {
            heap.add(call.startEpochNanos);
          } else if (call.startEpochNanos < heap.peek()) {
            heap.poll();
            heap.add(call.startEpochNanos);
          }
        }
      });
    }
    for (Path f : files) {
      Report.eachLine(f, new Report.LineHandler() {
        @Override
        public void line(byte[] bytes, int length) {
          AiCall call = usable(reader.read(bytes, length), from, to, new long[1]); // counted in the first pass
          if (call == null) {
            return;
          }
          PriorityQueue<Long> heap = earliest.get(subject(call));
          if (heap != null && call.startEpochNanos <= heap.peek()) {
            monitor.observe(call, call.startEpochNanos + call.durationNanos);
          }
        }
      });
    }
    return monitor;
  }

  /** The call when it is in the period and was kept without regard to its outcome, else null (counting the skipped). */
  private static AiCall usable(AiCall call, long from, long to, long[] skipped) {
    if (call == null || call.startEpochNanos < from || call.startEpochNanos >= to) {
      return null;
    }
    String reason = call.get(Keys.SAMPLE_REASON);
    if (reason != null && !FAIR_SAMPLES.contains(reason)) {
      skipped[0]++;
      return null;
    }
    return call;
  }

  /** Kept whatever happened in the call: every call, or a ratio or reservoir that ignores outcomes. */
  private static final java.util.Set<String> FAIR_SAMPLES =
      new java.util.HashSet<>(java.util.Arrays.asList("all", "ratio", "reservoir"));

  /** The subject as the drift stage groups calls (its folding of a model's ninth prompt aside). */
  private static String subject(AiCall call) {
    boolean prediction = Keys.isPrediction(call);
    return (prediction ? call.get(Keys.MODEL_RUNTIME) : call.get(Keys.PROVIDER)) + "\u0000"
        + (prediction ? call.get(Keys.MODEL_NAME) : call.get(Keys.REQUEST_MODEL) != null ? call.get(Keys.REQUEST_MODEL)
            : call.get(Keys.RESPONSE_MODEL)) + "\u0000" + call.get(Keys.MODEL_VERSION) + "\u0000"
        + call.get(Keys.DEPLOYMENT) + "\u0000" + call.get(Keys.SYSTEM_HASH);
  }

  private static long nanos(String instant) {
    Instant at = Instant.parse(instant);
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }
}
