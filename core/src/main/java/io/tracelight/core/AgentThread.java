package io.tracelight.core;

/**
 * A thread the agent runs for itself. Requests made on one (an exporter's) are never taken for the
 * application's AI calls, whatever their path.
 */
public class AgentThread extends Thread {
  public AgentThread(String name) {
    super(name);
    setDaemon(true);
  }
}
