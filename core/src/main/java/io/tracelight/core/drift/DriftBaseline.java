package io.tracelight.core.drift;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.export.IsoTimestamp;
import io.tracelight.core.protocol.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A drift baseline file: each subject's reference (as {@link ModelDrift#writeReference} writes it)
 * under its provider, model, version, deployment label and system-prompt hash (JSON null: calls
 * without one). The agent writes one at exit ({@value #FILE_NAME} in the output directory, keeping
 * the entries it read at start for subjects it did not watch again) and the {@code baseline}
 * command makes one from an output directory's records; {@code tracelight.drift.baseline} names
 * one to read at start, so a subject found in it is watched from its first call instead of after
 * its reference. Without the system-prompt hashes (capture level none and no hash key), a model
 * has one entry, its first prompt's, and it stands for the model's first prompt in the next run.
 *
 * <p>Immutable once read; any thread.
 */
public final class DriftBaseline {
  public static final String FILE_NAME = "drift-baseline.json";
  static final String FORMAT = "tracelight-drift-baseline";
  /** The key part of an entry written without its system-prompt hash. */
  static final String ANY_PROMPT = "*";

  private final Map<String, Map<String, Object>> entries;

  private DriftBaseline(Map<String, Map<String, Object>> entries) {
    this.entries = entries;
  }

  public int size() {
    return entries.size();
  }

  /** The saved reference for a subject, or for its model's first prompt when {@code firstPrompt}; null when none. */
  Map<String, Object> find(String modelKey, String system, boolean firstPrompt) {
    Map<String, Object> exact = entries.get(modelKey + '\u0000' + system);
    if (exact != null || !firstPrompt) {
      return exact;
    }
    return entries.get(modelKey + '\u0000' + ANY_PROMPT);
  }

  /** The subject key ({@link DriftMonitor}'s) of a model: a null part reads {@code null}, as there. */
  static String modelKey(String provider, String model, String version, String deployment) {
    return provider + '\u0000' + model + '\u0000' + version + '\u0000' + deployment;
  }

  /**
   * Reads a baseline file.
   * @throws IOException when it cannot be read or is not a baseline file (the message says why, in a line)
   */
  public static DriftBaseline read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    Object root;
    try (JsonParser p = Json.parser(bytes, 0, bytes.length)) {
      p.nextToken();
      root = value(p);
    } catch (IOException | RuntimeException e) {
      throw new IOException("not JSON (" + e.getClass().getSimpleName() + ")");
    }
    if (!(root instanceof Map) || !FORMAT.equals(((Map<?, ?>) root).get("format"))) {
      throw new IOException("not a drift baseline (no \"format\": \"" + FORMAT + "\")");
    }
    Map<String, Map<String, Object>> entries = new LinkedHashMap<>();
    for (Object o : list(cast(root), "subjects")) {
      if (!(o instanceof Map)) {
        continue;
      }
      Map<String, Object> s = cast(o);
      if (!(s.get("provider") instanceof String) || !(s.get("model") instanceof String)) {
        continue;
      }
      String system = s.containsKey("system_hash") ? String.valueOf(s.get("system_hash")) : ANY_PROMPT;
      entries.put(modelKey((String) s.get("provider"), (String) s.get("model"), text(s, "model_version"),
          text(s, "deployment")) + '\u0000' + system, s);
    }
    return new DriftBaseline(entries);
  }

  /**
   * Writes {@code monitor}'s made references, and the ones it read at start for subjects this run
   * did not make again, to {@code file} (through a temporary file of its own, so a reader never
   * sees half); returns how many. With none, nothing is written (an earlier file stays).
   * @param rate whether the call rates go in (the agent's own; a rate from records of several JVMs would mislead)
   */
  public static int write(DriftMonitor monitor, Path file, long epochNanos, boolean rate) throws IOException {
    if (!monitor.hasReferences()) {
      return 0;
    }
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
    int written;
    try {
      try (OutputStream out = Files.newOutputStream(tmp); JsonGenerator g = Json.FACTORY.createGenerator(out)) {
        g.useDefaultPrettyPrinter();
        g.writeStartObject();
        g.writeStringField("format", FORMAT);
        g.writeNumberField("version", 1);
        g.writeStringField("written", IsoTimestamp.format(epochNanos));
        g.writeArrayFieldStart("subjects");
        written = monitor.writeReferences(g, rate);
        g.writeEndArray();
        g.writeEndObject();
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    return written;
  }

  /** Writes back, as read, the entries whose keys are not in {@code written}; returns how many. */
  int writeOthers(JsonGenerator g, java.util.Set<String> written) throws IOException {
    int n = 0;
    for (Map.Entry<String, Map<String, Object>> e : entries.entrySet()) {
      if (!written.contains(e.getKey())) {
        writeValue(g, e.getValue());
        n++;
      }
    }
    return n;
  }

  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v instanceof Map) {
      g.writeStartObject();
      for (Map.Entry<String, Object> e : cast(v).entrySet()) {
        g.writeFieldName(e.getKey());
        writeValue(g, e.getValue());
      }
      g.writeEndObject();
    } else if (v instanceof List) {
      g.writeStartArray();
      for (Object o : (List<?>) v) {
        writeValue(g, o);
      }
      g.writeEndArray();
    } else if (v instanceof Double) {
      double d = (Double) v;
      if (d == Math.rint(d) && Math.abs(d) < 1e15) {
        g.writeNumber((long) d); // counts stay integers
      } else {
        g.writeNumber(d);
      }
    } else if (v instanceof String) {
      g.writeString((String) v);
    } else if (v instanceof Boolean) {
      g.writeBoolean((Boolean) v);
    } else {
      g.writeNull();
    }
  }

  // ---- a small JSON tree: objects as maps, arrays as lists, numbers as Double, strings, booleans, null

  private static Object value(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == null) {
      throw new IOException("empty");
    }
    switch (t) {
      case START_OBJECT: {
        Map<String, Object> map = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          p.nextToken();
          map.put(name, value(p));
        }
        return map;
      }
      case START_ARRAY: {
        List<Object> list = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
          list.add(value(p));
        }
        return list;
      }
      case VALUE_STRING:
        return p.getText();
      case VALUE_NUMBER_INT:
      case VALUE_NUMBER_FLOAT:
        return p.getDoubleValue();
      case VALUE_TRUE:
        return Boolean.TRUE;
      case VALUE_FALSE:
        return Boolean.FALSE;
      case VALUE_NULL:
        return null;
      default:
        throw new IOException("unexpected " + t);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Object o) {
    return (Map<String, Object>) o;
  }

  /** The member object, or an empty map when it is absent or not an object. */
  static Map<String, Object> object(Map<String, Object> in, String name) {
    Object o = in.get(name);
    return o instanceof Map ? cast(o) : Collections.<String, Object>emptyMap();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Map<String, Object> in, String name) {
    Object o = in.get(name);
    if (!(o instanceof List)) {
      throw new IllegalArgumentException("\"" + name + "\" is not an array");
    }
    return (List<Object>) o;
  }

  static List<String> strings(Map<String, Object> in, String name) {
    List<String> out = new ArrayList<>();
    for (Object o : list(in, name)) {
      out.add(String.valueOf(o));
    }
    return out;
  }

  static long[] longs(Map<String, Object> in, String name) {
    List<Object> l = list(in, name);
    long[] out = new long[l.size()];
    for (int i = 0; i < out.length; i++) {
      if (!(l.get(i) instanceof Number)) {
        throw new IllegalArgumentException("\"" + name + "\" holds a non-number");
      }
      out[i] = ((Number) l.get(i)).longValue();
    }
    return out;
  }

  static double number(Map<String, Object> in, String name, double otherwise) {
    Object o = in.get(name);
    return o instanceof Number ? ((Number) o).doubleValue() : otherwise;
  }

  private static String text(Map<String, Object> in, String name) {
    Object o = in.get(name);
    return o == null ? null : String.valueOf(o);
  }
}
