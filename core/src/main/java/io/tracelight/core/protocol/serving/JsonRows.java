package io.tracelight.core.protocol.serving;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.prediction.OutputSummary;
import java.io.IOException;
import java.util.Locale;

/**
 * Reads a model server's JSON predictions row by row into an {@link OutputSummary}, streaming (no
 * tree is built; at most {@value #MAX_ROW_VALUES} numbers of a row are held). How a row is read:
 * <ul>
 *   <li>an integer or a string is the class the model predicted (scikit-learn's {@code predict});
 *   <li>a number with a fraction or exponent is a regressor's value;
 *   <li>an array of numbers is a row of class probabilities or scores (the class is the index of
 *       the highest); an array of one number is a value;
 *   <li>an object of numbers is a map from class to probability (TorchServe's classifiers, which
 *       send the top five: the best is the confidence, and the entropy is given only when the map
 *       holds the whole distribution);
 *   <li>an object with named outputs is read through its class and probability members
 *       ({@code classes}, {@code probabilities}, {@code scores}, ... as {@link #CLASS_NAMES} and
 *       {@link #SCORE_NAMES} say), else through its first member.
 * </ul>
 * Anything else (deeper tensors, images) is skipped. Stateless; any thread.
 */
final class JsonRows {
  static final int MAX_ROW_VALUES = 4096;
  static final String[] CLASS_NAMES = {"classes", "class", "class_ids", "class_id", "label", "labels",
      "predicted_label", "predicted_class", "prediction", "predictions", "output_label"};
  static final String[] SCORE_NAMES = {"probabilities", "probability", "probs", "prob", "scores", "score",
      "confidence", "output_probability"};

  private JsonRows() {}

  /** The parser at an array of rows: reads it to its end. */
  static void rows(JsonParser p, OutputSummary into) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      row(p, into);
      return;
    }
    double[] buffer = new double[16];
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (into.wantsMore()) {
        buffer = row(p, into, buffer);
      } else {
        p.skipChildren();
      }
    }
  }

  /** One row (the parser at its first token), read to its end. */
  static void row(JsonParser p, OutputSummary into) throws IOException {
    row(p, into, new double[16]);
  }

  private static double[] row(JsonParser p, OutputSummary into, double[] buffer) throws IOException {
    JsonToken t = p.currentToken();
    switch (t) {
      case VALUE_NUMBER_INT:
        into.label(p.getText(), Double.NaN);
        return buffer;
      case VALUE_STRING:
        into.label(p.getText(), Double.NaN);
        return buffer;
      case VALUE_NUMBER_FLOAT:
        into.value(p.getDoubleValue());
        return buffer;
      case START_ARRAY:
        return numbers(p, into, buffer);
      case START_OBJECT:
        object(p, into);
        return buffer;
      default:
        p.skipChildren();
        return buffer;
    }
  }

  /** An array: numbers make a row of probabilities (one number: a value); anything else is skipped. */
  private static double[] numbers(JsonParser p, OutputSummary into, double[] buffer) throws IOException {
    int n = 0;
    boolean integral = true;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
        p.skipChildren(); // a deeper tensor, or a mix: not a row of scores
        skipRest(p);
        return buffer;
      }
      integral &= t == JsonToken.VALUE_NUMBER_INT;
      if (n < MAX_ROW_VALUES) {
        if (n == buffer.length) {
          buffer = java.util.Arrays.copyOf(buffer, Math.min(buffer.length * 2, MAX_ROW_VALUES));
        }
        buffer[n++] = p.getDoubleValue();
      }
    }
    if (n == 1) {
      if (integral) {
        into.label(Long.toString((long) buffer[0]), Double.NaN);
      } else {
        into.value(buffer[0]);
      }
    } else if (n > 1) {
      into.probabilities(buffer, 0, n, null);
    }
    return buffer;
  }

  private static void skipRest(JsonParser p) throws IOException {
    while (p.nextToken() != JsonToken.END_ARRAY) {
      p.skipChildren();
    }
  }

  /**
   * An object: a map of class to probability when every member is a number; else named outputs,
   * read through a class member and a score member (or the first member when neither is there).
   */
  private static void object(JsonParser p, OutputSummary into) throws IOException {
    String bestLabel = null;
    double best = Double.NEGATIVE_INFINITY;
    double lowest = Double.POSITIVE_INFINITY;
    double sum = 0;
    double entropyTerms = 0;
    int members = 0;
    boolean allNumbers = true;
    String label = null;
    double confidence = Double.NaN;
    OutputSummary first = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
        double v = p.getDoubleValue();
        if (allNumbers) {
          members++;
          sum += v;
          if (v > 0) {
            entropyTerms -= v * Math.log(v);
          }
          if (v > best) {
            best = v;
            bestLabel = name;
          }
          lowest = Math.min(lowest, v);
        }
      } else {
        allNumbers = false;
      }
      String lower = name.toLowerCase(Locale.ROOT);
      if (label == null && is(lower, CLASS_NAMES)) {
        label = classOf(p);
      } else if (Double.isNaN(confidence) && is(lower, SCORE_NAMES)) {
        confidence = topScore(p);
      } else if (first == null && t != JsonToken.VALUE_NULL) {
        first = new OutputSummary();
        row(p, first);
      } else {
        p.skipChildren();
      }
    }
    if (label != null || !Double.isNaN(confidence)) { // named outputs, even when all are numbers
      into.row(label != null ? label : "unknown", confidence, Double.NaN);
    } else if (allNumbers && members > 1) {
      // a class-to-probability map, maybe only the top k: its best is a probability when all are
      boolean probabilities = lowest >= 0 && best <= 1;
      boolean distribution = probabilities && Math.abs(sum - 1) <= 0.01;
      into.row(bestLabel, probabilities ? best : Double.NaN, distribution ? entropyTerms / Math.log(2) : Double.NaN);
    } else if (first != null && first.rows() > 0) {
      if (first.values() > 0) {
        into.value(first.valueSum());
      } else {
        into.label(first.topClass(), Double.NaN);
      }
    }
  }

  /** A class member's value: a string or integer, or the first of an array of them. */
  private static String classOf(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT) {
      return p.getText();
    }
    if (t == JsonToken.START_ARRAY) {
      String first = null;
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (first == null && (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT)) {
          first = p.getText();
        }
        p.skipChildren();
      }
      return first;
    }
    p.skipChildren();
    return null;
  }

  /** A score member's value: a number, or the highest of an array of them. */
  private static double topScore(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
      return p.getDoubleValue();
    }
    double best = Double.NaN;
    if (t == JsonToken.START_ARRAY) {
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
          double v = p.getDoubleValue();
          best = Double.isNaN(best) ? v : Math.max(best, v);
        }
        p.skipChildren();
      }
      return best;
    }
    p.skipChildren();
    return best;
  }

  private static boolean is(String name, String[] names) {
    for (String n : names) {
      if (n.equals(name)) {
        return true;
      }
    }
    return false;
  }
}
