package io.tracelight.core.feedback;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tracelight.core.export.EventFile;
import io.tracelight.core.export.IsoTimestamp;
import java.io.IOException;

/**
 * One piece of feedback or one outcome the application reported for a call, by its id. Made on the
 * application's thread, handed over through the pipeline's queue; from then on the pipeline thread
 * alone fills in what it knows of the call and writes it.
 */
public final class FeedbackEvent implements EventFile.Line {
  public enum Kind { FEEDBACK, OUTCOME }

  public final Kind kind;
  public final long epochNanos;
  public final String callId;
  /** Feedback: 0 (rejected) to 1 (accepted); NaN for an outcome. */
  public final double score;
  /** Feedback: the application's label, or null. */
  public final String label;
  /** Outcome: its text, or null for a number. */
  public final String outcomeText;
  /** Outcome: its number, NaN for a text. */
  public final double outcomeValue;

  /** Set by the pipeline thread: the call's subject when the call was recent enough to be known. */
  String provider;
  String model;
  String version;
  String deployment;
  String operation;

  public FeedbackEvent(Kind kind, long epochNanos, String callId, double score, String label, String outcomeText,
      double outcomeValue) {
    this.kind = kind;
    this.epochNanos = epochNanos;
    this.callId = callId;
    this.score = score;
    this.label = label;
    this.outcomeText = outcomeText;
    this.outcomeValue = outcomeValue;
  }

  /** The call's provider, or null when the call was not among the recent ones; so for the rest. Read after the pipeline thread joined it. */
  public String provider() {
    return provider;
  }

  public String model() {
    return model;
  }

  public String version() {
    return version;
  }

  public String deployment() {
    return deployment;
  }

  /** Whether this feedback counts as accepted: a score of at least 0.5. */
  public boolean accepted() {
    return score >= 0.5;
  }

  @Override
  public void write(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("time", IsoTimestamp.format(epochNanos));
    g.writeStringField("kind", kind == Kind.FEEDBACK ? "feedback" : "outcome");
    g.writeStringField("ai.call.id", callId);
    if (kind == Kind.FEEDBACK) {
      g.writeNumberField("score", score);
      g.writeBooleanField("accepted", accepted());
      if (label != null) {
        g.writeStringField("label", label);
      }
    } else if (outcomeText != null) {
      g.writeStringField("value", outcomeText);
    } else {
      g.writeNumberField("value", outcomeValue);
    }
    g.writeBooleanField("call_known", provider != null);
    if (provider != null) {
      g.writeStringField("provider", provider);
      g.writeStringField("model", model);
      if (version != null) {
        g.writeStringField("model_version", version);
      }
      if (operation != null) {
        g.writeStringField("operation", operation);
      }
      if (deployment != null) {
        g.writeStringField("deployment", deployment);
      }
    }
    g.writeEndObject();
  }
}
