package io.tracelight.core.drift;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;

/**
 * A call's deployment label ({@code ai.deployment}): the configured request header's value when the
 * request carries it, else the configured label. Immutable; any thread.
 */
public final class DeploymentLabel {
  private static final int MAX_CHARS = 64;
  private final String label;
  private final String header;

  public DeploymentLabel(String label, String header) {
    this.label = label == null || label.isEmpty() ? null : cut(label);
    this.header = header == null || header.isEmpty() ? null : header;
  }

  public static DeploymentLabel none() {
    return new DeploymentLabel(null, null);
  }

  /** The header to record for it, or null. */
  public String header() {
    return header;
  }

  public void apply(AiCall call, String headerValue) {
    String value = headerValue != null && !headerValue.trim().isEmpty() ? cut(headerValue.trim()) : label;
    if (value != null) {
      call.set(Keys.DEPLOYMENT, value);
    }
  }

  /** A label is a metric label and a map key: bounded, whatever a header says. */
  private static String cut(String value) {
    return value.length() > MAX_CHARS ? value.substring(0, MAX_CHARS) : value;
  }
}
