package io.tracelight.core.protocol.bedrock;

import io.tracelight.core.protocol.Paths;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/**
 * What a Bedrock path says: the operation ({@code converse}, {@code converse-stream},
 * {@code invoke}, {@code invoke-with-response-stream}) and the model id, percent-decoded, with
 * the model family (the vendor after any ARN and inference-profile prefix).
 */
final class BedrockModel {
  enum Operation {
    CONVERSE("/converse"),
    CONVERSE_STREAM("/converse-stream"),
    INVOKE("/invoke"),
    INVOKE_STREAM("/invoke-with-response-stream");

    final String suffix;

    Operation(String suffix) {
      this.suffix = suffix;
    }

    boolean streams() {
      return this == CONVERSE_STREAM || this == INVOKE_STREAM;
    }
  }

  /** Inference-profile prefixes that come before the vendor in a model id. */
  private static final Set<String> GEO = new HashSet<>(Arrays.asList("us", "eu", "apac", "us-gov", "global", "jp",
      "au", "ca"));

  private BedrockModel() {}

  /** The operation of a {@code /model/{id}/...} path, or null. Allocation-free: runs for every request. */
  static Operation operation(String path) {
    if (!path.startsWith("/model/")) {
      return null;
    }
    for (Operation op : Operation.values()) {
      if (path.endsWith(op.suffix) && path.length() > "/model/".length() + op.suffix.length()) {
        return op;
      }
    }
    return null;
  }

  /** The model id as the application named it, decoded ({@code %3A} is a colon). */
  static String id(String path) {
    return Paths.segmentAfter(path, "/model/", false);
  }

  /** The vendor of a model id: {@code anthropic} for {@code us.anthropic.claude-...:0}; empty when unknown. */
  static String family(String id) {
    if (id == null) {
      return "";
    }
    String base = id;
    if (base.startsWith("arn:")) {
      base = base.substring(base.lastIndexOf('/') + 1);
    }
    int dot = base.indexOf('.');
    if (dot > 0 && GEO.contains(base.substring(0, dot))) {
      base = base.substring(dot + 1);
      dot = base.indexOf('.');
    }
    return dot > 0 ? base.substring(0, dot) : "";
  }

  /** True for an embedding model (Titan Embeddings, Cohere Embed, Nova multimodal embeddings). */
  static boolean embeds(String id) {
    return id != null && id.contains("embed");
  }

  /**
   * The operation name a family's native body speaks when it cannot be read: chat for the
   * messages-shaped families, a text completion for the prompt-shaped ones.
   */
  static String defaultOperation(String id) {
    if (embeds(id)) {
      return "embeddings";
    }
    String family = family(id);
    return family.equals("anthropic") || family.equals("cohere") || id.contains("nova") ? "chat" : "text_completion";
  }
}
