package io.tracelight.core.alert;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tracelight.core.InternalErrors;
import io.tracelight.core.Log;
import io.tracelight.core.export.RollingFile;
import io.tracelight.core.protocol.Json;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes each alert event as one line of {@code alerts.jsonl} in the output directory, flushed at
 * once (events are rare and a person may be tailing the file). Rotated like {@code calls.jsonl}.
 * The file is opened at the first event: a run without alerts leaves none, and the agent's start
 * does no file work for it.
 *
 * <p>Threads: {@link #alert} on the pipeline thread (it is an {@link AlertBook.Sink}); {@link #close} and
 * {@link #location} from the shutdown hook; all hold this object's lock, taken once per event.
 */
public final class AlertFile implements AlertBook.Sink {
  private final Path dir;
  private final long maxBytes;
  private final boolean daily;
  private final RollingFile.Retention retention;
  private RollingFile file;
  private boolean unwritable;
  private long failed;

  private AlertFile(Path dir, long maxBytes, boolean daily, RollingFile.Retention retention) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.daily = daily;
    this.retention = retention;
  }

  /** The file in {@code dir}, opened at the first event. */
  public static AlertFile open(Path dir, long maxBytes, boolean daily, RollingFile.Retention retention) {
    return new AlertFile(dir, maxBytes, daily, retention);
  }

  /** The file written, or where it will be: {@code alerts.jsonl} (another name when a second JVM shares the directory). */
  public synchronized String location() {
    return file != null ? file.file().toString() : dir.resolve("alerts.jsonl").toString();
  }

  @Override
  public synchronized void alert(Alert alert) {
    if (file == null) {
      if (unwritable) {
        failed++;
        return;
      }
      file = RollingFile.open(dir, "alerts", maxBytes, daily, retention); // says why when it cannot
      if (file == null) {
        unwritable = true;
        failed++;
        return;
      }
    }
    try {
      if (file.due(0)) {
        file.rotate();
      }
      JsonGenerator g = Json.FACTORY.createGenerator(file.stream());
      g.setRootValueSeparator(null);
      alert.write(g);
      g.writeRaw('\n');
      g.flush();
      file.flush();
    } catch (IOException e) {
      failed++;
      Log.warnOnce("alerts-file", "cannot write " + file.file() + " (" + e + "); alerts are still in the summary");
    } catch (RuntimeException e) {
      failed++;
      InternalErrors.report("alerts file", e);
    }
  }

  public synchronized void close() {
    if (file == null) {
      return;
    }
    try {
      file.close();
    } catch (IOException ignored) {
      // the alerts were flushed one by one
    }
  }

  public synchronized long failed() {
    return failed;
  }
}
