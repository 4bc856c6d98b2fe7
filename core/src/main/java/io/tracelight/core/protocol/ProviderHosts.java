package io.tracelight.core.protocol;

import io.tracelight.core.Log;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Maps a server host to {@code gen_ai.provider.name}. Built-in entries cover the well-known hosts
 * the semantic conventions name; {@code tracelight.provider.hosts} adds or overrides. A pattern
 * {@code *.example.com} matches every subdomain.
 */
public final class ProviderHosts {
  private final Map<String, String> exact = new LinkedHashMap<>();
  private final Map<String, String> suffixes = new LinkedHashMap<>();

  public ProviderHosts(String userTable) {
    put("api.openai.com", "openai");
    put("*.openai.azure.com", "azure.ai.openai");
    put("api.deepseek.com", "deepseek");
    put("api.groq.com", "groq");
    put("api.mistral.ai", "mistral_ai");
    put("api.x.ai", "x_ai");
    put("api.perplexity.ai", "perplexity");
    if (userTable != null && !userTable.trim().isEmpty()) {
      for (String pair : userTable.split(",")) {
        int colon = pair.lastIndexOf(':');
        if (colon <= 0 || colon == pair.trim().length() - 1) {
          Log.warn("tracelight.provider.hosts entry '" + pair.trim()
              + "' is not host:provider; entry ignored");
          continue;
        }
        put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
      }
    }
  }

  private void put(String host, String provider) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("*.")) {
      suffixes.put(h.substring(1), provider);
    } else {
      exact.put(h, provider);
    }
  }

  /** The provider for {@code host}, or {@code fallback} when the table does not name it. */
  public String providerFor(String host, String fallback) {
    if (host == null) {
      return fallback;
    }
    String h = host.toLowerCase(Locale.ROOT);
    String p = exact.get(h);
    if (p != null) {
      return p;
    }
    for (Map.Entry<String, String> e : suffixes.entrySet()) {
      if (h.endsWith(e.getKey())) {
        return e.getValue();
      }
    }
    return fallback;
  }
}
