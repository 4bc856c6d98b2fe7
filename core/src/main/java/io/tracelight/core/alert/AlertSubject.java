package io.tracelight.core.alert;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;

/** Whose signal an alert is about: provider, model, model version, deployment label and system-prompt hash. Immutable. */
public final class AlertSubject {
  public final String provider;
  public final String model;
  public final String version;
  public final String deployment;
  public final String systemHash;

  public AlertSubject(String provider, String model, String version, String deployment, String systemHash) {
    this.provider = provider;
    this.model = model;
    this.version = version;
    this.deployment = deployment;
    this.systemHash = systemHash;
  }

  /** Provider and model, and the version and label when there are some, for a person. */
  public String describe() {
    StringBuilder b = new StringBuilder(provider).append(' ').append(model);
    if (version != null) {
      b.append(" v").append(version);
    }
    if (deployment != null) {
      b.append(" [").append(deployment).append(']');
    }
    return b.toString();
  }

  void write(JsonGenerator g) throws IOException {
    g.writeStringField("provider", provider);
    g.writeStringField("model", model);
    if (version != null) {
      g.writeStringField("model_version", version);
    }
    if (deployment != null) {
      g.writeStringField("deployment", deployment);
    }
    if (systemHash != null) {
      g.writeStringField("system_hash", systemHash);
    }
  }
}
