package io.tracelight.core.protocol;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The one place that says which request headers and query parameters are secrets. No protocol
 * can read them through a {@link RequestView}, whatever it declares, so they cannot reach a
 * record, a log line or an exporter.
 */
public final class Secrets {
  private static final Set<String> HEADERS = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
      "authorization", "proxy-authorization", "cookie", "set-cookie",
      "x-api-key", "api-key", "x-goog-api-key", "ocp-apim-subscription-key",
      "x-amz-security-token", "x-amz-date", "x-amz-content-sha256")));
  private static final Set<String> QUERY = Collections.unmodifiableSet(new HashSet<>(Arrays.asList(
      "key", "api-key", "api_key", "apikey", "access_token", "token", "sig", "signature",
      "x-goog-signature", "x-goog-credential")));

  private Secrets() {}

  /** True for a secret request or response header (any {@code x-amz-*} request header counts). */
  public static boolean isSecretHeader(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return HEADERS.contains(n) || n.startsWith("x-amz-");
  }

  /** True for a secret query parameter (any {@code X-Amz-*} counts). */
  public static boolean isSecretQueryParameter(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return QUERY.contains(n) || n.startsWith("x-amz-");
  }
}
