package io.tracelight.core.audit;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tracelight.core.Log;
import io.tracelight.core.export.IsoTimestamp;
import io.tracelight.core.export.RollingFile;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Content;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code audit.jsonl}: one line per call, whatever the sampling and the capture level, holding only
 * identifiers and hashes (time, ids, user hash, model and version, system/input/output hashes,
 * finish reasons, status). Each line names its chain, its sequence number and the SHA-256 of the
 * line before it ({@code prev}), and, with {@code TRACELIGHT_AUDIT_KEY}, ends with an HMAC-SHA-256
 * of itself ({@code mac}), so an edit, a deletion, a reordering or a cut is found by
 * {@link AuditVerifier}. Rotation writes a seal line (the chain's last line in that file) and the
 * next file goes on from its hash. A JVM that finds its file from an earlier run goes on with that
 * chain. Pipeline thread only (then the shutdown hook, after it stopped).
 */
public final class AuditTrail {
  /** The {@code prev} of a chain's first line. */
  static final String GENESIS = "0000000000000000000000000000000000000000000000000000000000000000";

  private final RollingFile file;
  private final AuditMac mac;
  private final boolean syncEachRecord;
  /** False at capture level {@code none} without a hash key: unkeyed hashes of short texts can be reversed. */
  private final boolean hashes;
  /** Set when the queue ran empty: the next line starts a batch (and looks for its file first). */
  private boolean batchStart = true;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
  private String chain;
  private long seq;
  private String prev;
  private boolean broken;
  private long written;
  private long failed;

  private AuditTrail(RollingFile file, AuditMac mac, boolean syncEachRecord, boolean hashes) throws IOException {
    this.hashes = hashes;
    this.file = file;
    this.mac = mac;
    this.syncEachRecord = syncEachRecord;
    resume();
  }

  /**
   * Opens the audit file in {@code dir}; {@code key} (may be null) makes every line carry an HMAC.
   * Says why not and returns null when the file cannot be written.
   */
  public static AuditTrail open(Path dir, long maxBytes, boolean daily, String key, boolean syncEachRecord) {
    return open(dir, maxBytes, daily, key, syncEachRecord, true);
  }

  /** As above; {@code hashes} false leaves the content hashes out of every line. */
  public static AuditTrail open(Path dir, long maxBytes, boolean daily, String key, boolean syncEachRecord,
      boolean hashes) {
    RollingFile file = RollingFile.open(dir, "audit", maxBytes, daily, RollingFile.Retention.none());
    if (file == null) {
      Log.warn("the audit trail is off");
      return null;
    }
    try {
      return new AuditTrail(file, AuditMac.of(key), syncEachRecord, hashes);
    } catch (IOException | RuntimeException e) {
      Log.warn("cannot go on with the audit trail in " + file.file() + " (" + e + "); the audit trail is off");
      return null;
    }
  }

  /** Goes on with the chain the file's last line ends; a new chain for a new file or a cut last line. */
  private void resume() throws IOException {
    String last = lastLine(file.file());
    if (last != null) {
      byte[] bytes = last.getBytes(StandardCharsets.UTF_8);
      java.util.Map<String, String> fields = AuditVerifier.parse(bytes);
      if (fields != null && fields.get("chain") != null && fields.get("seq") != null) {
        try {
          seq = Long.parseLong(fields.get("seq"));
          chain = fields.get("chain");
          prev = io.tracelight.core.protocol.Sha256.hex(bytes, 0, bytes.length);
          if ("true".equals(fields.get("seal"))) {
            file.rotate(); // sealed, then stopped before the rename: the chain goes on in a new file
          }
          return;
        } catch (NumberFormatException e) {
          // not a line of ours: set the file aside below
        }
      }
      // the last line was cut (the JVM stopped mid-write): set the file aside, start a new chain
      Path aside = file.rotate();
      Log.warn(file.file() + " ended with a line cut short; it was renamed to " + aside.getFileName()
          + " (verify reports where) and a new chain starts");
    }
    chain = io.tracelight.core.exchange.TraceIds.newSpanId();
    seq = -1;
    prev = GENESIS;
  }

  /** The last line of a file when it ends with a newline, "" when it is empty, or a cut line's text. */
  private static String lastLine(Path path) throws IOException {
    if (!Files.exists(path) || Files.size(path) == 0) {
      return null;
    }
    try (RandomAccessFile f = new RandomAccessFile(path.toFile(), "r")) {
      long end = f.length();
      boolean complete;
      f.seek(end - 1);
      complete = f.read() == '\n';
      long stop = complete ? end - 1 : end;
      long start = stop;
      while (start > 0) {
        f.seek(start - 1);
        if (f.read() == '\n') {
          break;
        }
        start--;
      }
      byte[] bytes = new byte[(int) (stop - start)];
      f.seek(start);
      f.readFully(bytes);
      return complete ? new String(bytes, StandardCharsets.UTF_8) : "{cut";
    }
  }

  /** Appends the call's line. */
  public void record(AiCall call) {
    if (broken) {
      failed++;
      return;
    }
    try {
      if (batchStart) {
        batchStart = false;
        if (file.reopenIfDeleted()) {
          Log.warnOnce("audit-deleted", file.file() + " was deleted while the agent wrote to it; it is started "
              + "again and verify will report the lines that went with it");
        }
      }
      if (file.due(0)) {
        seal();
        file.rotate();
      }
      write(buildRecord(call));
      written++;
      if (syncEachRecord) {
        file.sync();
      }
    } catch (IOException e) {
      broken = true;
      failed++;
      Log.warn("writing " + file.file() + " failed (" + e + "); the audit trail is off from now on, calls go on");
    }
  }

  private byte[] buildRecord(AiCall call) throws IOException {
    line.reset();
    try (JsonGenerator g = Json.FACTORY.createGenerator(line)) {
      g.writeStartObject();
      g.writeNumberField("seq", seq + 1);
      g.writeStringField("chain", chain);
      g.writeStringField("time", IsoTimestamp.format(call.startEpochNanos));
      g.writeStringField("trace_id", call.traceId);
      g.writeStringField("span_id", call.spanId);
      field(g, "request_id", call.get(Keys.RESPONSE_ID));
      field(g, "user", call.get(Keys.USER_ID));
      if (Keys.isPrediction(call)) {
        field(g, "runtime", call.get(Keys.MODEL_RUNTIME));
        field(g, "model", call.get(Keys.MODEL_NAME));
        field(g, "model_version", call.get(Keys.MODEL_VERSION));
        field(g, "operation", call.get(Keys.PREDICT_OPERATION));
      } else {
        field(g, "provider", call.get(Keys.PROVIDER));
        field(g, "model", call.get(Keys.REQUEST_MODEL));
        field(g, "response_model", call.get(Keys.RESPONSE_MODEL));
        field(g, "operation", call.get(Keys.OPERATION));
      }
      if (hashes) {
        field(g, "system_hash", call.get(Keys.SYSTEM_HASH));
        Content content = call.contentOrNull();
        field(g, "input_hash", content == null ? call.get(Keys.INPUT_HASH) : content.inputHash());
        field(g, "output_hash", call.get(Keys.OUTPUT_HASH));
      }
      List<String> reasons = call.get(Keys.FINISH_REASONS);
      if (reasons != null) {
        g.writeArrayFieldStart("finish_reasons");
        for (String r : reasons) {
          g.writeString(r);
        }
        g.writeEndArray();
      }
      g.writeStringField("status", call.error ? "error" : "ok");
      field(g, "error_type", call.get(Keys.ERROR_TYPE));
      g.writeStringField("prev", prev);
      g.writeEndObject();
    }
    return line.toByteArray();
  }

  /** The chain's last line in this file: the next file's first line goes on from its hash. */
  private void seal() throws IOException {
    marker("seal");
  }

  /**
   * A line saying the chain stopped here on purpose ({@code seal} before rotation, {@code close}
   * at exit): a trail that ends without one stopped otherwise, or lost its last lines.
   */
  private void marker(String kind) throws IOException {
    line.reset();
    try (JsonGenerator g = Json.FACTORY.createGenerator(line)) {
      g.writeStartObject();
      g.writeNumberField("seq", seq + 1);
      g.writeStringField("chain", chain);
      g.writeBooleanField(kind, true);
      g.writeStringField("time", IsoTimestamp.format(System.currentTimeMillis() * 1_000_000L));
      g.writeStringField("prev", prev);
      g.writeEndObject();
    }
    write(line.toByteArray());
    file.sync(); // a sealed file is complete on disk before its successor starts
  }

  /** Adds the HMAC when keyed, writes the line and moves the chain on. */
  private void write(byte[] body) throws IOException {
    byte[] full = mac == null ? body : mac.append(body);
    file.stream().write(full);
    file.stream().write('\n');
    seq++;
    prev = io.tracelight.core.protocol.Sha256.hex(full, 0, full.length);
  }

  private static void field(JsonGenerator g, String name, String value) throws IOException {
    if (value != null) {
      g.writeStringField(name, value);
    }
  }

  /** Pushes buffered lines to the operating system (when the queue runs empty). */
  public void flush() {
    batchStart = true;
    if (!broken) {
      try {
        file.flush();
      } catch (IOException e) {
        broken = true;
        Log.warn("writing " + file.file() + " failed (" + e + "); the audit trail is off from now on, calls go on");
      }
    }
  }

  public void close() {
    try {
      if (!broken) {
        marker("close");
        file.sync();
      }
      file.close();
    } catch (IOException e) {
      Log.warn("closing " + file.file() + " failed (" + e + "); its last lines may be missing");
    }
  }

  public long written() {
    return written;
  }

  public long failed() {
    return failed;
  }

  public Path file() {
    return file.file();
  }
}
