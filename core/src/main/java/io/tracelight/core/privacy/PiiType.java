package io.tracelight.core.privacy;

/**
 * The kinds of personal data and secrets the built-in scanner finds. A secret (a credential) is
 * removed from every text the agent writes, whatever the capture level; personal data is removed
 * at {@code redacted}. The label names the type in counts ({@code ai.pii.input}) and replacement
 * tokens ({@code [EMAIL]}).
 */
public enum PiiType {
  EMAIL("email", false),
  PHONE("phone", false),
  PAYMENT_CARD("payment_card", false),
  IBAN("iban", false),
  SSN("us_ssn", false),
  IP_ADDRESS("ip_address", false),
  OPENAI_KEY("openai_key", true),
  ANTHROPIC_KEY("anthropic_key", true),
  AWS_ACCESS_KEY("aws_access_key", true),
  GOOGLE_API_KEY("google_api_key", true),
  JWT("jwt", true),
  BEARER_TOKEN("bearer_token", true),
  BASIC_CREDENTIALS("basic_credentials", true);

  static final PiiType[] BUILT_IN = values();

  public final String label;
  public final boolean secret;

  PiiType(String label, boolean secret) {
    this.label = label;
    this.secret = secret;
  }
}
