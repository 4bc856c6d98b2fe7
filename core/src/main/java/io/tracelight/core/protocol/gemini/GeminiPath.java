package io.tracelight.core.protocol.gemini;

import io.tracelight.core.protocol.Paths;

/**
 * What a Gemini URL says: the method after the colon, the model, and whether it is Vertex AI.
 * {@code .../models/{m}:generateContent}, {@code .../tunedModels/{m}:...},
 * {@code .../projects/{p}/locations/{l}/publishers/google/models/{m}:...},
 * {@code .../endpoints/{id}:...}.
 */
final class GeminiPath {
  enum Method {
    GENERATE(":generateContent"),
    STREAM(":streamGenerateContent"),
    EMBED(":embedContent"),
    BATCH_EMBED(":batchEmbedContents"),
    PREDICT(":predict");

    final String suffix;

    Method(String suffix) {
      this.suffix = suffix;
    }
  }

  private GeminiPath() {}

  /** The method a path ends with, or null. Allocation-free: runs for every request. */
  static Method method(String path) {
    int colon = path.lastIndexOf(':');
    if (colon < 0) {
      return null;
    }
    for (Method m : Method.values()) {
      if (path.length() - colon == m.suffix.length() && path.regionMatches(colon, m.suffix, 0, m.suffix.length())) {
        // :predict is everyone's verb (TF Serving, KServe v1): only Vertex's publisher models here
        if (m == Method.PREDICT && !path.contains("/publishers/google/models/")) {
          return null;
        }
        return isModelPath(path) ? m : null;
      }
    }
    return null;
  }

  private static boolean isModelPath(String path) {
    return path.contains("/models/") || path.contains("/tunedModels/") || path.contains("/endpoints/");
  }

  static boolean vertex(String path) {
    return path.contains("/publishers/google/") || path.contains("/endpoints/")
        || (path.contains("/projects/") && path.contains("/locations/"));
  }

  /** The model (or tuned model, or endpoint id) the path names, decoded. */
  static String model(String path) {
    String m = Paths.segmentAfter(path, "/models/", true);
    if (m == null) {
      m = Paths.segmentAfter(path, "/tunedModels/", true);
    }
    if (m == null) {
      m = Paths.segmentAfter(path, "/endpoints/", true);
    }
    return m;
  }
}
