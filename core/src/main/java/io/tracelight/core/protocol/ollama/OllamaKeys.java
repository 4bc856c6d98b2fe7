package io.tracelight.core.protocol.ollama;

import io.tracelight.core.model.AttributeKey;
import java.util.Arrays;
import java.util.List;

/** Ollama's own timings, which its final chunk reports in nanoseconds; recorded in seconds. */
final class OllamaKeys {
  private OllamaKeys() {}

  static final AttributeKey<Double> TOTAL_DURATION = AttributeKey.number("ai.ollama.total_duration", "seconds",
      "Ollama calls: the server's `total_duration`, load and evaluation included");
  static final AttributeKey<Double> LOAD_DURATION = AttributeKey.number("ai.ollama.load_duration", "seconds",
      "Ollama calls: the server's `load_duration`, the time to load the model");
  static final AttributeKey<Double> PROMPT_EVAL_DURATION = AttributeKey.number("ai.ollama.prompt_eval_duration",
      "seconds", "Ollama calls: the server's `prompt_eval_duration`, the time to read the prompt");
  static final AttributeKey<Double> EVAL_DURATION = AttributeKey.number("ai.ollama.eval_duration", "seconds",
      "Ollama calls: the server's `eval_duration`, the time to generate the answer");

  static final List<AttributeKey<?>> ALL =
      Arrays.asList(TOTAL_DURATION, LOAD_DURATION, PROMPT_EVAL_DURATION, EVAL_DURATION);
}
