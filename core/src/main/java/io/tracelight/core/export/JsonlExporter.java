package io.tracelight.core.export;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tracelight.core.Log;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.protocol.Json;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.LongAdder;

/**
 * Appends one JSON object per call to {@code calls.jsonl}. A write failure (disk full, file gone)
 * is said once and turns this exporter off; calls it could not write are counted.
 */
public final class JsonlExporter implements Exporter {
  private final Path file;
  private final OutputStream out;
  /** Made on the pipeline thread at the first record, so the agent's start loads no JSON code. */
  private JsonGenerator json;
  private final LongAdder failed = new LongAdder();
  private boolean broken;

  private JsonlExporter(Path file, OutputStream out) {
    this.file = file;
    this.out = out;
  }

  /** Opens {@code dir/calls.jsonl} for appending, or says why not and returns null. */
  public static JsonlExporter open(Path dir) {
    Path file = dir.resolve("calls.jsonl");
    try {
      java.nio.file.Files.createDirectories(dir);
      return new JsonlExporter(file, new BufferedOutputStream(new FileOutputStream(file.toFile(), true), 64 * 1024));
    } catch (IOException | RuntimeException e) {
      Log.warn("cannot write to tracelight.output.dir=" + dir + " (" + e
          + "); file output is off, metrics and the summary continue");
      return null;
    }
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
    if (!broken && json != null) {
      try {
        json.flush();
      } catch (IOException e) {
        fail(e);
      }
    }
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
