package io.tracelight.core;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** The agent's version, written into {@code version.txt} by the build. */
public final class AgentVersion {
  public static final String VALUE = read();

  private AgentVersion() {}

  private static String read() {
    try (InputStream in = AgentVersion.class.getResourceAsStream("version.txt")) {
      return in == null ? "unknown" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
