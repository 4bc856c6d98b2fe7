package io.tracelight.core.export;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tracelight.core.InternalErrors;
import io.tracelight.core.Log;
import io.tracelight.core.protocol.Json;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A JSONL file of rare events ({@code alerts.jsonl}, {@code feedback.jsonl}) in the output directory:
 * each event one line, flushed at once (a person may be tailing the file), rotated like
 * {@code calls.jsonl}. The file is opened at the first event: a run without any leaves none, and the
 * agent's start does no file work for it.
 *
 * <p>Threads: {@link #write} on the pipeline thread; {@link #close}, {@link #failed} and {@link #location}
 * from the shutdown hook; all hold this object's lock, taken once per event.
 */
public final class EventFile {
  /** One event, written as one JSON object. */
  public interface Line {
    void write(JsonGenerator g) throws IOException;
  }

  private final Path dir;
  private final long maxBytes;
  private final boolean daily;
  private final RollingFile.Retention retention;
  private RollingFile file;
  private boolean unwritable;
  private boolean closed;
  private long failed;

  private final String base;

  private EventFile(Path dir, String base, long maxBytes, boolean daily, RollingFile.Retention retention) {
    this.base = base;
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.daily = daily;
    this.retention = retention;
  }

  /** {@code <base>.jsonl} in {@code dir}, opened at the first event. */
  public static EventFile lazy(Path dir, String base, long maxBytes, boolean daily, RollingFile.Retention retention) {
    return new EventFile(dir, base, maxBytes, daily, retention);
  }

  /** The file written, or where it will be: {@code <base>.jsonl} (another name when a second JVM shares the directory). */
  public synchronized String location() {
    return file != null ? file.file().toString() : dir.resolve(base + ".jsonl").toString();
  }

  public synchronized void write(Line event) {
    if (closed) {
      failed++; // an event after shutdown closed the file: counted, never a new file at exit
      return;
    }
    if (file == null) {
      if (unwritable) {
        failed++;
        return;
      }
      file = RollingFile.open(dir, base, maxBytes, daily, retention); // says why when it cannot
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
      event.write(g);
      g.writeRaw('\n');
      g.flush();
      file.flush();
    } catch (IOException e) {
      failed++;
      Log.warnOnce("event-file-" + base, "cannot write " + file.file() + " (" + e + "); its events are counted in the summary");
    } catch (RuntimeException e) {
      failed++;
      InternalErrors.report(base + " file", e);
    }
  }

  public synchronized void close() {
    closed = true;
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
