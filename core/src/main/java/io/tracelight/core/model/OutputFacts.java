package io.tracelight.core.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the quality checks need beyond the answer's text, gathered by the decoders: the output
 * format the request asked for, each tool's required arguments, the tool calls' arguments as they
 * came, the answer tokens' log probabilities (summed, never kept one by one) and the safety
 * categories the provider flagged. Filled and read on one thread at a time: the decoding thread,
 * then the pipeline thread.
 */
public final class OutputFacts {
  /** Arguments longer than this are not checked (counted as unchecked, not kept). */
  static final int MAX_ARGUMENT_CHARS = 64 * 1024;
  /** Tool calls kept per answer; more are not judged (each may hold up to 64 KiB of arguments). */
  public static final int MAX_TOOL_CALLS = 128;

  /** True when the request asked for a JSON answer (a JSON mode or a schema). */
  public boolean jsonRequested;
  /** The top-level {@code required} names of the requested answer schema, or null. */
  public List<String> answerRequired;
  private Map<String, List<String>> toolRequired;
  private final List<ToolCall> toolCalls = new ArrayList<>(1);
  private double logprobSum;
  private double logprobMin = Double.POSITIVE_INFINITY;
  private long logprobCount;
  private Set<String> safety;

  /** One tool call of the answer: its name and its arguments as text, or as the keys of an object. */
  public static final class ToolCall {
    public String name;
    /** Arguments that came as JSON text (OpenAI), possibly in pieces; null when they came as an object. */
    public StringBuilder text;
    /** The top-level keys of arguments that came as a JSON object (Anthropic, Gemini, Bedrock, Ollama). */
    public List<String> keys;
    /** The arguments outgrew {@link #MAX_ARGUMENT_CHARS} and were not kept. */
    public boolean tooLong;

    /** Appends a piece of the arguments' text. */
    public void appendText(String piece) {
      if (piece == null || tooLong) {
        return;
      }
      if (text == null) {
        text = new StringBuilder();
      }
      if (text.length() + piece.length() > MAX_ARGUMENT_CHARS) {
        tooLong = true;
        text = null;
        return;
      }
      text.append(piece);
    }
  }

  /** Notes a tool the request declared and the arguments its schema requires (may be empty). */
  public void toolRequires(String name, List<String> required) {
    if (name == null) {
      return;
    }
    if (toolRequired == null) {
      toolRequired = new HashMap<>(4);
    }
    toolRequired.put(name, required);
  }

  /** The arguments a declared tool requires, or null when the request declared no such tool. */
  public List<String> requiredBy(String tool) {
    return toolRequired == null || tool == null ? null : toolRequired.get(tool);
  }

  /** The tool call at {@code index} of the answer, made when first seen (a stream's deltas name it by index). */
  public ToolCall toolCall(int index) {
    if (index >= MAX_TOOL_CALLS) {
      return new ToolCall();
    }
    while (toolCalls.size() <= index) {
      toolCalls.add(new ToolCall());
    }
    return toolCalls.get(index);
  }

  /** A new tool call after the ones seen so far; past {@value #MAX_TOOL_CALLS}, one that is not kept. */
  public ToolCall nextToolCall() {
    return toolCalls.size() < MAX_TOOL_CALLS ? toolCall(toolCalls.size()) : new ToolCall();
  }

  public List<ToolCall> toolCalls() {
    return toolCalls;
  }

  /** One answer token's log probability. */
  public void logprob(double value) {
    if (Double.isNaN(value) || Double.isInfinite(value) && value > 0) {
      return;
    }
    logprobSum += value;
    logprobCount++;
    if (value < logprobMin) {
      logprobMin = value;
    }
  }

  public long logprobCount() {
    return logprobCount;
  }

  public double logprobMean() {
    return logprobSum / logprobCount;
  }

  public double logprobMin() {
    return logprobMin;
  }

  /** A safety category the provider flagged (each named once, in order of arrival). */
  public void safetyFlag(String category) {
    if (category == null || category.isEmpty()) {
      return;
    }
    if (safety == null) {
      safety = new LinkedHashSet<>(4);
    }
    safety.add(category);
  }

  /** The flagged categories, or null when none was. */
  public Set<String> safetyFlags() {
    return safety;
  }

  /** Takes a stream decoder's answer-side facts (gathered before the call existed). */
  public void mergeAnswer(OutputFacts other) {
    toolCalls.addAll(other.toolCalls);
    logprobSum += other.logprobSum;
    logprobCount += other.logprobCount;
    logprobMin = Math.min(logprobMin, other.logprobMin);
    if (other.safety != null) {
      for (String s : other.safety) {
        safetyFlag(s);
      }
    }
    jsonRequested |= other.jsonRequested;
    if (answerRequired == null) {
      answerRequired = other.answerRequired;
    }
    if (other.toolRequired != null) {
      for (Map.Entry<String, List<String>> e : other.toolRequired.entrySet()) {
        toolRequires(e.getKey(), e.getValue());
      }
    }
  }
}
