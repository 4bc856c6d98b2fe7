package io.tracelight.core.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks audit files: each chain's sequence numbers run on without a gap, each line's {@code prev}
 * is the SHA-256 of the line before it (across files, through the seal that ended the one before),
 * every file but a chain's last ends with its seal, and, given the key, every line's HMAC. The
 * first bad line is named with why: edited, deleted, reordered, truncated or the wrong key.
 * Stateless; any thread.
 */
public final class AuditVerifier {
  private AuditVerifier() {}

  /** The outcome: whether all held, how many lines were checked, and a sentence for the user. */
  public static final class Result {
    public final boolean ok;
    public final long lines;
    public final String message;

    Result(boolean ok, long lines, String message) {
      this.ok = ok;
      this.lines = lines;
      this.message = message;
    }
  }

  /** One line of a file: where it is, its bytes and its members. */
  private static final class Line {
    final Path file;
    final int number;
    final byte[] bytes;
    final Map<String, String> fields;

    Line(Path file, int number, byte[] bytes, Map<String, String> fields) {
      this.file = file;
      this.number = number;
      this.bytes = bytes;
      this.fields = fields;
    }

    long seq() {
      try {
        return Long.parseLong(fields.get("seq"));
      } catch (RuntimeException e) {
        return -1;
      }
    }

    boolean seal() {
      return "true".equals(fields.get("seal"));
    }

    String where() {
      return file.getFileName() + ":" + number;
    }
  }

  private static final class Failed extends Exception {
    Failed(String message) {
      super(message, null, false, false);
    }
  }

  /** Verifies a file, or every {@code audit*.jsonl} in a directory. {@code key} may be null. */
  public static Result verify(Path path, String key) {
    return verify(path, key, false);
  }

  /**
   * As above; with {@code partial}, a chain may start after its first lines (its earlier files
   * archived elsewhere): otherwise that is reported as their deletion.
   */
  public static Result verify(Path path, String key, boolean partial) {
    try {
      List<Path> files = files(path);
      if (files.isEmpty()) {
        return new Result(false, 0, "no audit files (audit*.jsonl) at " + path);
      }
      Map<String, List<List<Line>>> chains = new LinkedHashMap<>();
      long lines = 0;
      for (Path f : files) {
        List<Line> read = read(f);
        if (read.isEmpty()) {
          if (!f.getFileName().toString().equals("audit.jsonl") && isRotatedName(f)) {
            throw new Failed(f.getFileName() + ":1: truncated: a rotated file is empty (it ends with its seal when whole)");
          }
          continue;
        }
        lines += read.size();
        String chain = read.get(0).fields.get("chain");
        chains.computeIfAbsent(chain, c -> new ArrayList<>()).add(read);
      }
      if (lines == 0) {
        return new Result(false, 0, "no audit lines at " + path);
      }
      AuditMac mac = AuditMac.of(key);
      if (mac != null) {
        checkKey(chains, mac);
      }
      StringBuilder notes = new StringBuilder();
      for (Map.Entry<String, List<List<Line>>> chain : chains.entrySet()) {
        checkChain(chain.getValue(), partial, notes);
      }
      return new Result(true, lines, "verified " + lines + " lines in " + files.size() + " file(s), " + chains.size()
          + " chain(s)" + (mac != null ? ", every HMAC checked" : ", HMACs not checked (no TRACELIGHT_AUDIT_KEY)")
          + notes);
    } catch (Failed f) {
      return new Result(false, 0, f.getMessage());
    } catch (IOException e) {
      return new Result(false, 0, "cannot read " + path + ": " + e);
    }
  }

  private static List<Path> files(Path path) throws IOException {
    List<Path> files = new ArrayList<>();
    if (Files.isDirectory(path)) {
      try (DirectoryStream<Path> ds = Files.newDirectoryStream(path, "audit*.jsonl")) {
        for (Path p : ds) {
          files.add(p);
        }
      }
      files.sort(null);
    } else if (Files.exists(path)) {
      files.add(path);
    }
    return files;
  }

  private static List<Line> read(Path file) throws IOException, Failed {
    byte[] all = Files.readAllBytes(file);
    List<Line> lines = new ArrayList<>();
    int start = 0;
    int number = 0;
    while (start < all.length) {
      int end = start;
      while (end < all.length && all[end] != '\n') {
        end++;
      }
      number++;
      byte[] bytes = java.util.Arrays.copyOfRange(all, start, end);
      Line line = new Line(file, number, bytes, null);
      if (end == all.length) {
        throw new Failed(line.where() + ": truncated: the file ends inside this line (a cut write, or bytes removed)");
      }
      Map<String, String> fields = parse(bytes);
      if (fields == null) {
        throw new Failed(line.where() + ": edited: not an audit record");
      }
      lines.add(new Line(file, number, bytes, fields));
      start = end + 1;
    }
    return lines;
  }

  /** With a key: when no line's HMAC matches, the key is wrong; else the first mismatch is an edit. */
  private static void checkKey(Map<String, List<List<Line>>> chains, AuditMac mac) throws Failed {
    Line firstBad = null;
    boolean anyGood = false;
    for (List<List<Line>> files : chains.values()) {
      for (List<Line> file : files) {
        for (Line line : file) {
          int at = macStart(line.bytes);
          if (at < 0) {
            throw new Failed(line.where() + ": no HMAC: written without a key, or its HMAC was removed");
          }
          String expected = new String(line.bytes, at + AuditMac.FIELD.length(), 64, StandardCharsets.US_ASCII);
          byte[] body = java.util.Arrays.copyOf(line.bytes, at + 1);
          body[at] = '}';
          if (mac.hex(body, body.length).equals(expected)) {
            anyGood = true;
          } else if (firstBad == null) {
            firstBad = line;
          }
        }
      }
    }
    if (firstBad != null) {
      throw new Failed(anyGood ? firstBad.where() + ": edited: its HMAC does not match"
          : "wrong key: no line's HMAC matches TRACELIGHT_AUDIT_KEY (first: " + firstBad.where() + ")");
    }
  }

  /** Where {@code ,"mac":"<64 hex>"}} starts, or -1. */
  private static int macStart(byte[] line) {
    int at = line.length - AuditMac.FIELD.length() - 64 - 2;
    if (at < 0) {
      return -1;
    }
    for (int i = 0; i < AuditMac.FIELD.length(); i++) {
      if (line[at + i] != AuditMac.FIELD.charAt(i)) {
        return -1;
      }
    }
    return line[line.length - 2] == '"' && line[line.length - 1] == '}' ? at : -1;
  }

  private static boolean isRotatedName(Path f) {
    return f.getFileName().toString().matches("audit-\\d{4}-\\d{2}-\\d{2}-.*\\.jsonl");
  }

  private static void checkChain(List<List<Line>> files, boolean partial, StringBuilder notes) throws Failed {
    files.sort((a, b) -> Long.compare(a.get(0).seq(), b.get(0).seq()));
    Line before = null;
    for (int f = 0; f < files.size(); f++) {
      List<Line> file = files.get(f);
      for (int i = 0; i < file.size(); i++) {
        Line line = file.get(i);
        long seq = line.seq();
        if (before == null) {
          boolean genesis = seq == 0 && AuditTrail.GENESIS.equals(line.fields.get("prev"));
          if (!genesis && !partial) {
            throw new Failed(line.where() + ": deleted: the chain starts at seq " + seq
                + ", its lines before are not here (verify --partial accepts a chain whose earlier files were archived)");
          }
          if (!genesis) {
            notes.append("; chain ").append(line.fields.get("chain")).append(" starts at seq ").append(seq)
                .append(" in ").append(line.file.getFileName());
          }
        } else {
          long expected = before.seq() + 1;
          if (seq != expected) {
            throw new Failed(line.where() + ": " + (laterInFile(file, i, expected) ? "reordered: seq " + seq
                + " comes where seq " + expected + " should" : "deleted: seq " + expected
                + (seq - 1 > expected ? " to " + (seq - 1) : "") + " missing before this line (seq " + seq + ")"));
          }
          if (!Sha256.hex(before.bytes, 0, before.bytes.length).equals(line.fields.get("prev"))) {
            throw new Failed(before.where() + ": edited: its SHA-256 is not the prev of the line after it ("
                + line.where() + "); one of the two was changed");
          }
          if (before.seal() && i != 0) {
            throw new Failed(before.where() + ": edited: a seal inside a file");
          }
        }
        before = line;
      }
      Line last = file.get(file.size() - 1);
      if (f < files.size() - 1 && !last.seal()) {
        throw new Failed(last.where() + ": truncated: " + last.file.getFileName()
            + " ends without its seal, though the chain goes on in " + files.get(f + 1).get(0).file.getFileName());
      }
    }
    if (before != null && !"true".equals(before.fields.get("close"))) {
      notes.append("; chain ").append(before.fields.get("chain")).append(" ends at ").append(before.where())
          .append(" without a close line: its JVM still runs, stopped without its shutdown hook, or lines were removed"
              + " from the end");
    }
  }

  private static boolean laterInFile(List<Line> file, int from, long seq) {
    for (int k = from + 1; k < file.size(); k++) {
      if (file.get(k).seq() == seq) {
        return true;
      }
    }
    return false;
  }

  /** The members of a flat JSON object (arrays as their item count), or null when it is not one. */
  static Map<String, String> parse(byte[] line) {
    Map<String, String> out = new HashMap<>();
    try (JsonParser p = Json.parser(line, 0, line.length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
          p.skipChildren();
          out.put(name, "");
        } else {
          out.put(name, p.getText());
        }
      }
      return p.nextToken() == null ? out : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * {@code java -jar tracelight-agent.jar verify [--partial] <file or directory>}: exit 0 when all
   * holds, 1 naming the first bad line, 2 for a usage error.
   */
  public static int main(String[] args) {
    boolean partial = args.length == 3 && args[1].equals("--partial");
    if (args.length != (partial ? 3 : 2) || !args[0].equals("verify")) {
      System.err.println("usage: java -jar tracelight-agent.jar verify [--partial] <audit file or directory>"
          + "  (TRACELIGHT_AUDIT_KEY in the environment checks the HMACs too)");
      return 2;
    }
    Result r = verify(java.nio.file.Paths.get(args[args.length - 1]), System.getenv("TRACELIGHT_AUDIT_KEY"), partial);
    (r.ok ? System.out : System.err).println((r.ok ? "ok: " : "FAILED: ") + r.message);
    return r.ok ? 0 : 1;
  }
}
