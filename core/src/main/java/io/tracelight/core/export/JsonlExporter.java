package io.tracelight.core.export;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tracelight.core.Log;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.protocol.Json;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/**
 * Appends one JSON object per call to {@code calls.jsonl}. A write failure (disk full, file gone)
 * is said once and turns this exporter off; calls it could not write are counted.
 */
public final class JsonlExporter implements Exporter {
  private final Path file;
  private OutputStream out;
  /** Made on the pipeline thread at the first record, so the agent's start loads no JSON code. */
  private JsonGenerator json;
  private final LongAdder failed = new LongAdder();
  private boolean broken;
  /** Set when the queue ran empty: the next record starts a batch. */
  private boolean batchStart = true;

  private JsonlExporter(Path file, OutputStream out) {
    this.file = file;
    this.out = out;
  }

  /** Opens {@code dir/calls.jsonl} for appending, or says why not and returns null. */
  public static JsonlExporter open(Path dir) {
    Path file = dir.resolve("calls.jsonl");
    try {
      return new JsonlExporter(file, openForAppend(file));
    } catch (IOException | RuntimeException e) {
      Log.warn("cannot write to tracelight.output.dir=" + dir + " (" + e
          + "); file output is off, metrics and the summary continue");
      return null;
    }
  }

  private static OutputStream openForAppend(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    return new BufferedOutputStream(new FileOutputStream(file.toFile(), true), 64 * 1024);
  }

  public Path file() {
    return file;
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
        reopenIfDeleted();
      }
      if (json == null) {
        json = Json.FACTORY.createGenerator(out);
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
  }

  /**
   * Writes to a deleted file succeed and vanish, so before each batch the file is looked for (one
   * stat); a deleted one is said once and started again.
   */
  private void reopenIfDeleted() throws IOException {
    if (Files.exists(file)) {
      return;
    }
    Log.warnOnce("jsonl-deleted", file + " was deleted while the agent wrote to it; it is started again");
    if (json != null) {
      json.close();
      json = null;
    } else {
      out.close();
    }
    out = openForAppend(file);
  }

  @Override
  public void close() {
    flush();
    try {
      if (json != null) {
        json.close();
      } else {
        out.close();
      }
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
    Log.warn("writing " + file + " failed (" + e + "); file output is off from now on, metrics and the summary continue");
  }
}
