package io.tracelight.core.policy;

import io.tracelight.core.Log;
import java.util.Locale;

/** How much of a call's text its record keeps ({@code tracelight.capture.content}), least first. */
public enum CaptureLevel {
  /** Metadata only: no text, no hashes of it. */
  NONE,
  /** Metadata and the hashes of system prompt, input and output. */
  HASH,
  /** The text too, personal data replaced by typed tokens. */
  REDACTED,
  /** The raw text (secrets are still replaced). */
  FULL;

  public final String label = name().toLowerCase(Locale.ROOT);

  /** The level a config value names; an unknown one is said once and gives {@code hash}. */
  public static CaptureLevel parse(String value) {
    for (CaptureLevel level : values()) {
      if (level.label.equals(value.trim().toLowerCase(Locale.ROOT))) {
        return level;
      }
    }
    Log.warn("tracelight.capture.content=" + value + " is not known (known: none, hash, redacted, full); using hash");
    return HASH;
  }

  public boolean keepsText() {
    return this == REDACTED || this == FULL;
  }
}
