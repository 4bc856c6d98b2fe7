package io.tracelight.core.export;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tracelight.core.Log;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.protocol.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/**
 * Appends one JSON object per call to {@code calls.jsonl} (a {@link RollingFile}: rotated between
 * records by size and day, one file per JVM when several share the directory). A write failure
 * (disk full, file gone) is said once and turns this exporter off; calls it could not write are
 * counted.
 */
public final class JsonlExporter implements Exporter {
  private final RollingFile file;
  /** Made on the pipeline thread at the first record, so the agent's start loads no JSON code. */
  private JsonGenerator json;
  private final LongAdder failed = new LongAdder();
  private boolean broken;
  /** Set when the queue ran empty: the next record starts a batch. */
  private boolean batchStart = true;

  private JsonlExporter(RollingFile file) {
    this.file = file;
  }

  /** Opens {@code dir/calls.jsonl} for appending, never rotated; or says why not and returns null. */
  public static JsonlExporter open(Path dir) {
    return open(dir, 0, false, RollingFile.Retention.none());
  }

  /** Opens the calls file, rotated past {@code maxBytes} (0: never) and daily when asked; or says why not and returns null. */
  public static JsonlExporter open(Path dir, long maxBytes, boolean daily, RollingFile.Retention retention) {
    RollingFile file = RollingFile.open(dir, "calls", maxBytes, daily, retention);
    if (file == null) {
      Log.warn("file output is off, metrics and the summary continue");
      return null;
    }
    return new JsonlExporter(file);
  }

  public Path file() {
    return file.file();
  }

  @Override
  public String name() {
    return "jsonl";
  }

  @Override
  public void export(AiCall call) {
    if (broken) {
      failed.increment();
      return;
    }
    try {
      if (batchStart) {
        batchStart = false;
        if (file.reopenIfDeleted()) {
          Log.warnOnce("jsonl-deleted", file.file() + " was deleted while the agent wrote to it; it is started again");
          json = null;
        }
      }
      if (file.due(json == null ? 0 : json.getOutputBuffered())) {
        if (json != null) {
          json.flush();
          json = null;
        }
        file.rotate();
      }
      if (json == null) {
        json = Json.FACTORY.createGenerator(file.stream());
        json.setRootValueSeparator(null);
      }
      RecordWriter.write(call, json);
      json.writeRaw('\n');
    } catch (IOException e) {
      fail(e);
    }
  }

  @Override
  public void flush() {
    batchStart = true;
    if (!broken && json != null) {
      try {
        json.flush();
      } catch (IOException e) {
        fail(e);
      }
    }
    file.sweepHourly();
  }

  @Override
  public void close() {
    flush();
    try {
      file.close();
    } catch (IOException ignored) {
      // already reported through flush
    }
  }

  public long failed() {
    return failed.sum();
  }

  private void fail(IOException e) {
    broken = true;
    failed.increment();
    Log.warn("writing " + file.file() + " failed (" + e + "); file output is off from now on, metrics and the summary continue");
  }
}
