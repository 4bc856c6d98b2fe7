package io.tracelight.core.quality;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Content;
import io.tracelight.core.model.Keys;
import java.util.List;

/**
 * What an answer looked like, from what the decoders read: cut by a token limit
 * ({@code ai.output.truncated}), empty ({@code ai.output.empty}), its length in characters
 * ({@code ai.output.chars}). Runs on the pipeline thread before the content stage, while the call
 * still has its text. Stateless.
 */
public final class OutputSignals {
  private OutputSignals() {}

  public static void apply(AiCall call) {
    if (Keys.isPrediction(call) || call.error) {
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
    if (chars > 0) {
      call.set(Keys.OUTPUT_CHARS, chars);
    } else if (!call.has(Keys.RESPONSE_TOOL_CALLS) && !Boolean.TRUE.equals(call.get(Keys.REFUSAL))
        && !call.has(Keys.BLOCK_REASON) && !Boolean.TRUE.equals(call.get(Keys.CAPTURE_TRUNCATED))) {
      call.set(Keys.OUTPUT_EMPTY, Boolean.TRUE);
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
