package io.tracelight.core.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One attribute of a call record, declared once as a constant: its name, type, unit and when it
 * is set. The same declaration drives the JSONL record, docs/schema.md and every later exporter.
 * Core attributes live in {@link Keys}; a protocol declares its own beside its code and lists
 * them in {@code Protocol.attributes()}.
 *
 * <p>Keys are created during class initialisation (any thread); {@link #all()} and
 * {@link #byIndex(int)} may be called from any thread.
 */
public final class AttributeKey<T> {
  /** The value types a record holds, with the name docs/schema.md uses. */
  public enum Type {
    STRING("string"),
    INT("integer"),
    DOUBLE("number"),
    BOOLEAN("boolean"),
    STRINGS("array of string");

    public final String docName;

    Type(String docName) {
      this.docName = docName;
    }
  }

  private static final Object LOCK = new Object();
  /** Copy-on-write: keys are registered a few dozen times per JVM, read for every record. */
  private static volatile AttributeKey<?>[] registered = new AttributeKey<?>[0];

  public final String name;
  public final Type type;
  /** Unit or format of the value, empty when it has none. */
  public final String unit;
  /** When the attribute is set and what it holds, as docs/schema.md says it. */
  public final String set;
  final int index;

  private AttributeKey(String name, Type type, String unit, String set) {
    this.name = name;
    this.type = type;
    this.unit = unit;
    this.set = set;
    synchronized (LOCK) {
      AttributeKey<?>[] now = registered;
      for (AttributeKey<?> k : now) {
        if (k.name.equals(name)) {
          throw new IllegalStateException("attribute " + name + " is declared twice");
        }
      }
      this.index = now.length;
      AttributeKey<?>[] next = Arrays.copyOf(now, now.length + 1);
      next[now.length] = this;
      registered = next;
    }
  }

  public static AttributeKey<String> string(String name, String unit, String set) {
    return new AttributeKey<>(name, Type.STRING, unit, set);
  }

  public static AttributeKey<Long> integer(String name, String unit, String set) {
    return new AttributeKey<>(name, Type.INT, unit, set);
  }

  public static AttributeKey<Double> number(String name, String unit, String set) {
    return new AttributeKey<>(name, Type.DOUBLE, unit, set);
  }

  public static AttributeKey<Boolean> bool(String name, String set) {
    return new AttributeKey<>(name, Type.BOOLEAN, "", set);
  }

  public static AttributeKey<List<String>> strings(String name, String set) {
    return new AttributeKey<>(name, Type.STRINGS, "", set);
  }

  /** Every key declared so far, in declaration order. */
  public static List<AttributeKey<?>> all() {
    return Collections.unmodifiableList(Arrays.asList(registered));
  }

  static AttributeKey<?> byIndex(int index) {
    return registered[index];
  }

  @Override
  public String toString() {
    return name;
  }
}
