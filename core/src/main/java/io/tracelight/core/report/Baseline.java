package io.tracelight.core.report;

import io.tracelight.core.alert.AlertBook;
import io.tracelight.core.drift.DriftBaseline;
import io.tracelight.core.drift.DriftMonitor;
import io.tracelight.core.drift.DriftSettings;
import io.tracelight.core.model.AiCall;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code baseline <output dir> [--from <instant>] [--to <instant>] [--calls <n>] [--out <file>]}: a
 * drift baseline file made from a period of an output directory's records, each model's (and
 * version's, label's, system prompt's) first {@code n} calls in it making its reference, exactly as
 * the agent makes one from its first calls. The agent reads it at start with
 * {@code tracelight.drift.baseline}. Numeric input features are not in the records, so their
 * references are made live. One thread.
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
      DriftMonitor monitor = references(dir, from, to, calls);
      int written = DriftBaseline.write(monitor, out, System.currentTimeMillis() * 1_000_000L);
      System.out.println(written + " reference" + (written == 1 ? "" : "s") + " of " + calls + " calls written to " + out
          + (monitor.subjects() > written ? " (" + (monitor.subjects() - written)
              + " with fewer calls in the period left out: they make theirs live)" : ""));
      return written > 0 ? 0 : 1;
    } catch (IOException e) {
      System.err.println("cannot read " + dir + " or write " + out + ": " + e);
      return 1;
    }
  }

  /** A drift stage fed the period's records in file order: its subjects' references are the baseline. */
  static DriftMonitor references(Path dir, final long from, final long to, int calls) throws IOException {
    DriftSettings d = DriftSettings.defaults();
    final DriftMonitor monitor = new DriftMonitor(new DriftSettings(calls, d.windowCalls, d.alpha, d.psiThreshold,
        d.jsdThreshold, d.minChange, d.minEvents, d.maxKeys, d.runawayFactor, ""), new AlertBook(0));
    final RecordReader reader = new RecordReader();
    for (Path f : Report.files(dir, "calls")) {
      Report.eachLine(f, new Report.LineHandler() {
        @Override
        public void line(byte[] bytes, int length) {
          AiCall call = reader.read(bytes, length);
          if (call != null && call.startEpochNanos >= from && call.startEpochNanos < to) {
            monitor.observe(call, call.startEpochNanos + call.durationNanos); // the records' clock for the call rate
          }
        }
      });
    }
    return monitor;
  }

  private static long nanos(String instant) {
    Instant at = Instant.parse(instant);
    return at.getEpochSecond() * 1_000_000_000L + at.getNano();
  }
}
