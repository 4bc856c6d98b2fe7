package io.tracelight.core.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;

/** The agent's one JSON factory and the few reads the decoders share. */
public final class Json {
  public static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
      .build();

  private Json() {}

  public static JsonParser parser(byte[] bytes, int offset, int length) throws IOException {
    return FACTORY.createParser(bytes, offset, length);
  }

  /** The current token as text if it is a string, else null (and its children are skipped). */
  public static String string(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }

  /** The current token as a long if it is an integer that fits one (a 64-bit seed may not), else null. */
  public static Long integer(JsonParser p) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
      return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null : p.getLongValue();
    }
    p.skipChildren();
    return null;
  }

  public static Double number(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    p.skipChildren();
    return null;
  }

  public static Boolean bool(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
      return t == JsonToken.VALUE_TRUE;
    }
    p.skipChildren();
    return null;
  }

  /** A string or number as text (a code may be either), else null (children skipped). */
  public static String scalarText(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getText();
    }
    p.skipChildren();
    return null;
  }

  /** The number of elements of the array the parser is at (skipped), or 0 when it is no array. */
  public static long countArray(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return 0;
    }
    long n = 0;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      p.skipChildren();
      n++;
    }
    return n;
  }

  /**
   * The parser at an object: reads it to its end and returns member {@code name} as a string
   * (null when absent, not a string, or the value is no object).
   */
  public static String stringMember(JsonParser p, String name) throws IOException {
    JsonToken found = member(p, name);
    String value = found == JsonToken.VALUE_STRING ? p.getText() : null;
    finishObject(p, found);
    return value;
  }

  /** As {@link #stringMember}, for an integer member. */
  public static Long integerMember(JsonParser p, String name) throws IOException {
    JsonToken found = member(p, name);
    Long value = found == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : null;
    finishObject(p, found);
    return value;
  }

  /** As {@link #stringMember}, for a boolean member. */
  public static Boolean booleanMember(JsonParser p, String name) throws IOException {
    JsonToken found = member(p, name);
    Boolean value = found == JsonToken.VALUE_TRUE ? Boolean.TRUE : found == JsonToken.VALUE_FALSE ? Boolean.FALSE : null;
    finishObject(p, found);
    return value;
  }

  /** Moves to the value of member {@code name} and returns its token, or null (the object then read to its end). */
  private static JsonToken member(JsonParser p, String name) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (field.equals(name)) {
        return value;
      }
      p.skipChildren();
    }
    return null;
  }

  /** After {@link #member} found a value: skips it (if a container) and the rest of the object. */
  private static void finishObject(JsonParser p, JsonToken found) throws IOException {
    if (found == null) {
      return;
    }
    p.skipChildren();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      p.nextToken();
      p.skipChildren();
    }
  }

  /**
   * An error body's top-level string member {@code name} (a type or code), or null when the body
   * is absent, no object, or has no such string.
   */
  public static String errorMember(byte[] body, int length, String name) throws IOException {
    if (body == null) {
      return null;
    }
    try (JsonParser p = parser(body, 0, length)) {
      p.nextToken();
      return stringMember(p, name);
    }
  }

  /**
   * True when the body is a JSON object with one of {@code names} among its top-level members
   * (scanned, values skipped); false for anything else, including a body that is no JSON at all.
   */
  public static boolean hasTopLevelMember(byte[] body, int length, String... names) {
    try (JsonParser p = parser(body, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        for (String name : names) {
          if (name.equals(field)) {
            return true;
          }
        }
        p.nextToken();
        p.skipChildren();
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return false;
  }

  /** True when the first byte that is not white space opens an object: the body means to be JSON. */
  public static boolean startsAsObject(byte[] body, int length) {
    for (int i = 0; i < length; i++) {
      byte b = body[i];
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return b == '{';
      }
    }
    return false;
  }

  /** Fails unless the parser is at the start of an object. */
  public static void expectObject(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      throw new IOException("expected a JSON object, found " + p.currentToken());
    }
  }

  /** Reads to the end of the document so that trailing garbage or a cut-off body is noticed. */
  public static void expectEnd(JsonParser p) throws IOException {
    if (p.nextToken() != null) {
      throw new IOException("unexpected content after the JSON document");
    }
  }
}
