package io.tracelight.core.quality;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Content;
import io.tracelight.core.model.Keys;
import io.tracelight.core.model.OutputFacts;
import java.util.ArrayList;
import java.util.List;

/**
 * What an answer looked like, from what the decoders read: cut by a token limit
 * ({@code ai.output.truncated}), empty, its length, refused (the provider said so, or its opening
 * matches a refusal phrase), flagged by the provider's safety system, not the JSON the request
 * asked for, tool calls whose arguments do not fit their schema, token log probabilities, output
 * tokens per second. Runs on the pipeline thread before the content stage, while the call still
 * has its text; nothing is kept. Immutable; the pipeline thread calls {@link #apply}.
 */
public final class OutputSignals {
  private final RefusalPhrases phrases;

  public OutputSignals(RefusalPhrases phrases) {
    this.phrases = phrases;
  }

  public void apply(AiCall call) {
    if (Keys.isPrediction(call)) {
      return;
    }
    OutputFacts facts = call.factsOrNull();
    if (facts != null && facts.safetyFlags() != null) {
      call.set(Keys.SAFETY_FLAGS, new ArrayList<>(facts.safetyFlags())); // a refused prompt fails, and is flagged
    }
    if (call.error) {
      return;
    }
    String operation = call.get(Keys.OPERATION);
    if (!"chat".equals(operation) && !"text_completion".equals(operation) && !"generate_content".equals(operation)) {
      return; // embeddings answer vectors, not text
    }
    List<String> reasons = call.get(Keys.FINISH_REASONS);
    if (reasons != null) {
      for (String r : reasons) {
        if (truncation(r)) {
          call.set(Keys.OUTPUT_TRUNCATED, Boolean.TRUE);
          break;
        }
      }
    }
    Content content = call.contentOrNull();
    long chars = content == null ? 0 : content.outputLength();
    refusal(call, content);
    if (chars > 0) {
      call.set(Keys.OUTPUT_CHARS, chars);
    } else if (!call.has(Keys.RESPONSE_TOOL_CALLS) && !Boolean.TRUE.equals(call.get(Keys.REFUSAL))
        && !Boolean.TRUE.equals(call.get(Keys.CAPTURE_TRUNCATED))) {
      call.set(Keys.OUTPUT_EMPTY, Boolean.TRUE);
    }
    if (facts != null) {
      format(call, facts, content, chars);
      if (facts.logprobCount() > 0) {
        call.set(Keys.LOGPROB_MEAN, facts.logprobMean());
        call.set(Keys.LOGPROB_MIN, facts.logprobMin());
      }
    }
    tokensPerSecond(call);
  }

  /**
   * The provider's word first (OpenAI's {@code refusal}, a refusal stop reason, a block by a
   * safety system or guardrail), else a phrase at the answer's opening.
   */
  private void refusal(AiCall call, Content content) {
    String rule = null;
    String provider = call.get(Keys.REFUSAL_RULE); // set by a decoder that saw the provider say so
    String block = call.get(Keys.BLOCK_REASON);
    if (provider != null) {
      rule = provider;
    } else if (Boolean.TRUE.equals(call.get(Keys.REFUSAL))) {
      rule = "provider";
    } else if (block != null) {
      rule = "block:" + block;
    } else if (content != null && !content.output().isEmpty()) {
      String phrase = phrases.match(content.output().get(0).text);
      if (phrase != null) {
        rule = "phrase:" + phrase;
      }
    }
    if (rule != null) {
      call.set(Keys.REFUSAL, Boolean.TRUE);
      call.set(Keys.REFUSAL_RULE, rule);
    }
  }

  /** A JSON answer the request asked for, and the tool calls' arguments, against their schemas. */
  private static void format(AiCall call, OutputFacts facts, Content content, long chars) {
    String problem = null;
    if (facts.jsonRequested && chars > 0 && content != null && !content.outputCut()
        && !Boolean.TRUE.equals(call.get(Keys.CAPTURE_TRUNCATED))) {
      problem = FormatChecks.answerProblem(content.output().get(0).text, facts.answerRequired);
      if (problem != null) {
        call.set(Keys.OUTPUT_INVALID_JSON, Boolean.TRUE);
      }
    }
    long invalidTools = 0;
    for (OutputFacts.ToolCall tool : facts.toolCalls()) {
      String toolProblem = tool.tooLong ? null : FormatChecks.toolProblem(tool, facts.requiredBy(tool.name));
      if (toolProblem != null) {
        invalidTools++;
        if (problem == null) { // a name the request did not declare came from the model: not written
          problem = "tool:" + (facts.requiredBy(tool.name) != null ? tool.name : "?") + ":" + toolProblem;
        }
      }
    }
    if (invalidTools > 0) {
      call.set(Keys.OUTPUT_INVALID_TOOL_CALLS, invalidTools);
    }
    if (problem != null) {
      call.set(Keys.OUTPUT_FORMAT_ERROR, problem);
    }
  }

  /**
   * Output tokens over the time they took to arrive: after the first chunk for a stream, the
   * whole call otherwise (prefill included); none under a millisecond or without output tokens.
   */
  private static void tokensPerSecond(AiCall call) {
    Long tokens = call.get(Keys.OUTPUT_TOKENS);
    if (tokens == null || tokens <= 0) {
      return;
    }
    double seconds = call.durationNanos / 1e9;
    Double firstChunk = call.get(Keys.TIME_TO_FIRST_CHUNK);
    if (firstChunk != null && Boolean.TRUE.equals(call.get(Keys.STREAM))) {
      seconds -= firstChunk;
    }
    if (seconds >= 0.001) {
      call.set(Keys.TOKENS_PER_SECOND, Math.round(tokens / seconds * 10) / 10.0);
    }
  }

  /** The finish reasons providers give for an answer cut by its token limit. */
  static boolean truncation(String reason) {
    switch (reason) {
      case "length": // OpenAI, Ollama, TGI, Mistral
      case "max_tokens": // Anthropic, Bedrock
      case "MAX_TOKENS": // Gemini
      case "max_output_tokens": // OpenAI Responses' incomplete reason
      case "model_context_window_exceeded": // Anthropic
        return true;
      default:
        return false;
    }
  }
}
