package io.tracelight.core.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One AI call, decoded: the envelope (times, ids, status) and the attributes the protocol found,
 * each under its {@link AttributeKey}. Filled on an agent thread by a protocol and
 * {@code CallProcessor}, then read by exporters; never shared while being filled. Absent values are
 * null and are left out of every record.
 */
public final class AiCall {
  public long startEpochNanos;
  public long durationNanos;
  public String traceId;
  public String spanId;
  /** The span the call's request named as its parent ({@code traceparent}), or null for a root. */
  public String parentSpanId;
  /** False only when the request's {@code traceparent} said its trace is not sampled. */
  public boolean sampled = true;
  /** The host agent's context when the call started (extension mode), for its exporter; else null. */
  public Object hostContext;
  public boolean error;
  /** Set by a protocol that read the request and found it was not an AI call after all. */
  private boolean notAiCall;
  /**
   * Decoding state, never exported: the prompt's tokens as the protocol counted them from the
   * request, for a stream the server will send no usage for; -1 when not counted.
   */
  public long estimatedInputTokens = -1;
  /**
   * Decoding state, never exported: a prediction's output row by row, for the per-model windows
   * of predicted classes and confidences; null for other calls.
   */
  public io.tracelight.core.prediction.OutputSummary outputSummary;
  /**
   * Decoding state, never exported: a prediction's numeric input features, when
   * {@code tracelight.capture.features} is on, for the model's feature sketches; else null.
   */
  public io.tracelight.core.prediction.FeatureValues features;
  /**
   * Decoding state, never exported as is: the call's text (system, input, answer) for the content
   * stage, which writes what the capture level allows and then drops it; null when none was read.
   */
  private Content content;
  /** Decoding state, never exported as is: what the quality checks read besides the text; null when none. */
  private OutputFacts facts;
  /**
   * Decoding state, never exported: with a restricted content store, the text the content stage
   * passed (system, input, output JSON), written to the store only if the call gets a record.
   */
  public String[] pendingText;
  /**
   * Decoding state, never exported: the call's cost in USD by token type (input, output, cache
   * read, cache write), for the metrics; null when it was not priced.
   */
  public double[] costByType;
  /** Decoding state, never exported: the times between a stream's chunks, for the metrics; else null. */
  public ChunkGaps chunkGaps;
  /** Decoding state, never exported: the request's path (HTTP calls), for fidelity rules. */
  public String requestPath;
  /** Decoding state, never exported as is: {@code ai.call.id}'s two halves, for the feedback stage's table. */
  public long callIdHigh;
  public long callIdLow;
  /** Decoding state, never exported: the request headers the record policy asked for, by lower-case name. */
  private java.util.Map<String, String> requestHeaders;

  private Object[] values = new Object[48];

  public <T> void set(AttributeKey<T> key, T value) {
    if (key.index >= values.length) {
      values = Arrays.copyOf(values, Math.max(values.length * 2, key.index + 1));
    }
    values[key.index] = value;
  }

  /** Sets the value unless one is there already: the first source wins. */
  public <T> void setIfAbsent(AttributeKey<T> key, T value) {
    if (value != null && get(key) == null) {
      set(key, value);
    }
  }

  @SuppressWarnings("unchecked")
  public <T> T get(AttributeKey<T> key) {
    return key.index < values.length ? (T) values[key.index] : null;
  }

  public boolean has(AttributeKey<?> key) {
    return get(key) != null;
  }

  /** Adds to a number attribute, treating absent as 0; a null amount changes nothing. */
  public void add(AttributeKey<Long> key, Long amount) {
    if (amount != null) {
      Long now = get(key);
      set(key, now == null ? amount : now + amount);
    }
  }

  /** Appends to a list attribute. */
  public void append(AttributeKey<List<String>> key, String value) {
    List<String> list = get(key);
    if (list == null) {
      list = new ArrayList<>(2);
      set(key, list);
    }
    list.add(value);
  }

  /**
   * Takes every attribute {@code other} has (a stream decoder's aggregate, filled before this call
   * existed), replacing this call's; its failure, when it failed, becomes this call's unless this
   * one failed first.
   */
  public void mergeFrom(AiCall other) {
    Object[] theirs = other.values;
    for (int i = 0; i < theirs.length; i++) {
      if (theirs[i] != null && i != Keys.ERROR_TYPE.index) {
        if (i >= values.length) {
          values = Arrays.copyOf(values, Math.max(values.length * 2, theirs.length));
        }
        values[i] = theirs[i];
      }
    }
    if (other.content != null) {
      content().mergeOutput(other.content);
    }
    if (other.facts != null) {
      facts().mergeAnswer(other.facts);
    }
    if (other.error) {
      fail(other.get(Keys.ERROR_TYPE));
    }
  }

  /** Keeps a request header the record policy reads (a null value is not kept). */
  public void requestHeader(String name, String value) {
    if (value != null) {
      if (requestHeaders == null) {
        requestHeaders = new java.util.HashMap<>(4);
      }
      requestHeaders.put(name.toLowerCase(java.util.Locale.ROOT), value);
    }
  }

  /** A request header the record policy asked for, or null. */
  public String requestHeader(String name) {
    return requestHeaders == null ? null : requestHeaders.get(name.toLowerCase(java.util.Locale.ROOT));
  }

  /** The call's text, made at the first use. */
  public Content content() {
    if (content == null) {
      content = new Content();
    }
    return content;
  }

  /** The call's text, or null when no protocol read any. */
  public Content contentOrNull() {
    return content;
  }

  /** What the quality checks read besides the text, made at the first use. */
  public OutputFacts facts() {
    if (facts == null) {
      facts = new OutputFacts();
    }
    return facts;
  }

  /** The quality facts, or null when no decoder noted any. */
  public OutputFacts factsOrNull() {
    return facts;
  }

  /** Drops the text once the content stage has written what it may. */
  public void dropContent() {
    content = null;
    facts = null; // tool arguments are text too
  }

  /** Every attribute set, in declaration order: {@code visitor} gets each key and its value. */
  public void forEach(Visitor visitor) throws java.io.IOException {
    for (int i = 0; i < values.length; i++) {
      Object v = values[i];
      if (v != null) {
        visitor.visit(AttributeKey.byIndex(i), v);
      }
    }
  }

  /** Receives the attributes of a call. */
  public interface Visitor {
    void visit(AttributeKey<?> key, Object value) throws java.io.IOException;
  }

  /**
   * {@code "{operation} {model}"}, the span name the semantic conventions give; for a prediction,
   * {@code "predict {ai.model.name}"}.
   */
  public String name() {
    String operation = get(Keys.OPERATION);
    String model;
    if (operation == null && get(Keys.PREDICT_OPERATION) != null) {
      operation = get(Keys.PREDICT_OPERATION);
      model = get(Keys.MODEL_NAME);
    } else {
      model = get(Keys.REQUEST_MODEL);
      if (model == null) {
        model = get(Keys.RESPONSE_MODEL);
      }
    }
    return model == null ? operation : operation + " " + model;
  }

  /** Marks the call failed; the first reason given wins. */
  public void fail(String type) {
    error = true;
    setIfAbsent(Keys.ERROR_TYPE, type);
  }

  /** The request showed this is not an AI call (a path that looked like one): no record is made. */
  public void notAiCall() {
    notAiCall = true;
  }

  public boolean isNotAiCall() {
    return notAiCall;
  }

  /** Marks that some body was not wholly decoded. */
  public void truncated() {
    set(Keys.CAPTURE_TRUNCATED, Boolean.TRUE);
  }
}
