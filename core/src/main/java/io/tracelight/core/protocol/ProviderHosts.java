package io.tracelight.core.protocol;

import io.tracelight.core.Log;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Names {@code gen_ai.provider.name} for a call, in this order: the user's table
 * ({@code tracelight.provider.hosts}) for the host; what the protocol proved from the URL (an
 * Azure deployment path, a Vertex AI path, a Bedrock host); the built-in table of well-known hosts
 * (so DeepSeek's or Groq's OpenAI-compatible endpoint is named after its provider); the protocol's
 * default. A pattern {@code *.example.com} (or {@code *example.com}) matches by suffix, the longest
 * pattern first. Immutable after construction; any thread.
 */
public final class ProviderHosts {
  private final Table builtIn = new Table();
  private final Table user = new Table();

  public ProviderHosts(String userTable) {
    builtIn.put("api.openai.com", "openai");
    builtIn.put("*.openai.azure.com", "azure.ai.openai");
    builtIn.put("*.cognitiveservices.azure.com", "azure.ai.openai");
    builtIn.put("api.anthropic.com", "anthropic");
    builtIn.put("generativelanguage.googleapis.com", "gcp.gemini");
    builtIn.put("*aiplatform.googleapis.com", "gcp.vertex_ai");
    builtIn.put("api.deepseek.com", "deepseek");
    builtIn.put("api.groq.com", "groq");
    builtIn.put("api.mistral.ai", "mistral_ai");
    builtIn.put("api.x.ai", "x_ai");
    builtIn.put("api.perplexity.ai", "perplexity");
    if (userTable != null && !userTable.trim().isEmpty()) {
      for (String pair : userTable.split(",")) {
        int colon = pair.lastIndexOf(':');
        if (colon <= 0 || colon == pair.trim().length() - 1) {
          Log.warn("tracelight.provider.hosts entry '" + pair.trim()
              + "' is not host:provider; entry ignored");
          continue;
        }
        user.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
      }
    }
  }

  /**
   * The provider of a call to {@code host}: {@code proven} is what the protocol found in the URL
   * (or null), {@code fallback} its default.
   */
  public String providerFor(String host, String proven, String fallback) {
    String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
    String p = user.lookup(h);
    if (p != null) {
      return p;
    }
    if (proven != null) {
      return proven;
    }
    p = builtIn.lookup(h);
    return p != null ? p : fallback;
  }

  /** Exact hosts and suffix patterns. */
  private static final class Table {
    private final Map<String, String> exact = new LinkedHashMap<>();
    private final Map<String, String> suffixes = new LinkedHashMap<>();

    void put(String host, String provider) {
      String h = host.toLowerCase(Locale.ROOT);
      if (h.startsWith("*")) {
        suffixes.put(h.substring(1), provider);
      } else {
        exact.put(h, provider);
      }
    }

    String lookup(String host) {
      String p = exact.get(host);
      if (p != null) {
        return p;
      }
      String best = null;
      int bestLength = -1;
      for (Map.Entry<String, String> e : suffixes.entrySet()) {
        if (host.endsWith(e.getKey()) && e.getKey().length() > bestLength) {
          best = e.getValue();
          bestLength = e.getKey().length();
        }
      }
      return best;
    }
  }
}
