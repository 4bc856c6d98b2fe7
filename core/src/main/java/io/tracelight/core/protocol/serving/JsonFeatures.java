package io.tracelight.core.protocol.serving;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.prediction.FeatureValues;
import java.io.IOException;
import java.util.List;

/**
 * Numeric input features out of a request's JSON rows (with {@code tracelight.capture.features}):
 * a row that is an array gives its numbers as features {@code [0]}, {@code [1]}, ... (or the
 * columns' names when the request gave them), a row that is an object its numeric members by
 * name. Stateless.
 */
final class JsonFeatures {
  private JsonFeatures() {}

  /** The parser at an array row: reads it to its end. */
  static void arrayRow(JsonParser p, FeatureValues into, List<String> columns) throws IOException {
    int j = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
        into.add(columns != null && j < columns.size() ? columns.get(j) : "[" + j + "]", p.getDoubleValue());
      } else {
        p.skipChildren();
      }
      j++;
    }
  }

  /**
   * The parser at a named column: an array of numbers, each a value of the feature {@code name}, or
   * of rows, whose numbers are the features {@code name[0]}, {@code name[1]}, ... Returns the number
   * of rows.
   */
  static long column(JsonParser p, String name, FeatureValues into) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return 0;
    }
    long rows = 0;
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      rows++;
      if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
        into.add(name, p.getDoubleValue());
      } else if (t == JsonToken.START_ARRAY) { // a row of this input's columns: name[0], name[1], ...
        int j = 0;
        JsonToken v;
        while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
          if (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT) {
            into.add(name + "[" + j + "]", p.getDoubleValue());
          } else {
            p.skipChildren();
          }
          j++;
        }
      } else {
        p.skipChildren();
      }
    }
    return rows;
  }
}
