package io.tracelight.core.prediction;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One named tensor of a model's input or output (a model server's, an in-JVM runtime's): its
 * datatype and shape, and, for an output, at most {@value #MAX_VALUES} of its elements in row-major
 * order, enough to summarise what the model predicted. Filled and read by one thread at a time.
 */
public final class Tensor {
  public static final int MAX_VALUES = 65536;

  public String name;
  /**
   * As the protocol or runtime spells it: {@code FP32}, {@code INT64}, {@code BYTES} (KServe v2),
   * {@code FLOAT}, {@code INT64}, {@code STRING} (ONNX Runtime); may be null.
   */
  public String datatype;
  public long[] shape;
  /** Numeric elements read, or null. */
  public double[] numbers;
  public int numberCount;
  /** String elements read (BYTES), or null. */
  public List<String> strings;
  /** The binary tensor extension: bytes of this tensor after the JSON header, or -1. */
  public long binarySize = -1;

  public Tensor() {}

  public Tensor(String name, String datatype, long[] shape) {
    this.name = name;
    this.datatype = datatype;
    this.shape = shape;
  }

  public void addNumber(double v) {
    if (numbers == null) {
      numbers = new double[16];
    }
    if (numberCount < MAX_VALUES) {
      if (numberCount == numbers.length) {
        numbers = java.util.Arrays.copyOf(numbers, Math.min(numbers.length * 2, MAX_VALUES));
      }
      numbers[numberCount++] = v;
    }
  }

  public void addString(String v) {
    if (strings == null) {
      strings = new ArrayList<>();
    }
    if (strings.size() < OutputSummary.MAX_ROWS) {
      strings.add(v);
    }
  }

  public boolean floating() {
    return datatype != null && (datatype.startsWith("FP") || datatype.startsWith("BF") || datatype.startsWith("FLOAT")
        || datatype.equals("DOUBLE"));
  }

  public boolean integral() {
    return datatype != null && (datatype.startsWith("INT") || datatype.startsWith("UINT"));
  }

  /** The first dimension, or -1. */
  public long rows() {
    return shape != null && shape.length > 0 ? shape[0] : -1;
  }

  /** Elements per row: 1 for a shape {@code [n]}, the product of the other dimensions otherwise. */
  public long width() {
    if (shape == null || shape.length == 0) {
      return -1;
    }
    long w = 1;
    for (int i = 1; i < shape.length; i++) {
      w *= shape[i];
    }
    return w;
  }

  /** {@code name:DATATYPE[d0,d1]}, leaving out the parts not known. */
  public String describe() {
    StringBuilder b = new StringBuilder(name == null ? "?" : name);
    if (datatype != null || shape != null) {
      b.append(':');
    }
    if (datatype != null) {
      b.append(datatype);
    }
    if (shape != null) {
      b.append('[');
      for (int i = 0; i < shape.length; i++) {
        b.append(i > 0 ? "," : "").append(shape[i]);
      }
      b.append(']');
    }
    return b.toString();
  }

  /**
   * Reads this tensor's elements from the binary tensor extension's raw little-endian bytes (the
   * fixed-size types, and BYTES as 4-byte lengths each followed by the element).
   */
  public void readBinary(byte[] body, int offset, int length) {
    ByteBuffer b = ByteBuffer.wrap(body, offset, length).order(ByteOrder.LITTLE_ENDIAN);
    String type = datatype == null ? "" : datatype.toUpperCase(Locale.ROOT);
    switch (type) {
      case "FP32":
        while (b.remaining() >= 4 && numberCount < MAX_VALUES) {
          addNumber(b.getFloat());
        }
        break;
      case "FP64":
        while (b.remaining() >= 8 && numberCount < MAX_VALUES) {
          addNumber(b.getDouble());
        }
        break;
      case "INT64":
      case "UINT64":
        while (b.remaining() >= 8 && numberCount < MAX_VALUES) {
          addNumber(b.getLong());
        }
        break;
      case "INT32":
      case "UINT32":
        while (b.remaining() >= 4 && numberCount < MAX_VALUES) {
          addNumber(b.getInt());
        }
        break;
      case "BYTES":
        while (b.remaining() >= 4 && (strings == null || strings.size() < OutputSummary.MAX_ROWS)) {
          int n = b.getInt();
          if (n < 0 || n > b.remaining()) {
            break;
          }
          addString(new String(body, b.position(), n, java.nio.charset.StandardCharsets.UTF_8));
          b.position(b.position() + n);
        }
        break;
      default: // FP16, BF16, BOOL, INT8 ...: not needed for a summary
    }
  }

  /**
   * Summarises the outputs of one response: a floating-point output of several values per row is
   * read as class probabilities (with a label output beside it naming each row's class), a label
   * output (integers or strings, one per row) as classes, else a floating-point output of one
   * value per row as a regressor's values.
   */
  public static void summarise(List<Tensor> outputs, OutputSummary into) {
    Tensor probabilities = null;
    Tensor labels = null;
    Tensor values = null;
    for (Tensor t : outputs) {
      boolean hasData = t.numberCount > 0 || t.strings != null;
      if (!hasData || t.rows() <= 0) {
        continue;
      }
      long width = t.width();
      if (t.floating() && width > 1 && probabilities == null) {
        probabilities = t;
      } else if ((t.integral() || t.strings != null) && width == 1 && labels == null) {
        labels = t;
      } else if (t.floating() && width == 1 && values == null) {
        values = t;
      }
    }
    if (probabilities != null) {
      int width = (int) Math.min(probabilities.width(), MAX_VALUES);
      int rows = (int) Math.min(probabilities.rows(), probabilities.numberCount / width);
      for (int r = 0; r < rows && into.wantsMore(); r++) {
        into.probabilities(probabilities.numbers, r * width, width, null, labels == null ? null : labels.labelAt(r));
      }
    } else if (labels != null) {
      int rows = (int) Math.min(labels.rows(), labels.strings != null ? labels.strings.size() : labels.numberCount);
      for (int r = 0; r < rows && into.wantsMore(); r++) {
        into.label(labels.labelAt(r), Double.NaN);
      }
    } else if (values != null) {
      int rows = (int) Math.min(values.rows(), values.numberCount);
      for (int r = 0; r < rows && into.wantsMore(); r++) {
        into.value(values.numbers[r]);
      }
    }
  }

  /** Row {@code r}'s label, or null when this tensor has none there. */
  public String labelAt(int r) {
    if (strings != null) {
      return r < strings.size() ? strings.get(r) : null;
    }
    return r < numberCount ? Long.toString((long) numbers[r]) : null;
  }
}
