package io.tracelight.core.protocol;

/** The protocols the agent knows, asked in order; a request no protocol matches is not recorded. */
public final class Protocols {
  private final Protocol[] protocols;

  public Protocols(Protocol... protocols) {
    this.protocols = protocols.clone();
  }

  /** The protocol for a request, or null. Runs on the application's thread for every request. */
  public Protocol match(String method, String path) {
    if (path == null || method == null) {
      return null;
    }
    for (Protocol p : protocols) {
      if (p.matches(method, path)) {
        return p;
      }
    }
    return null;
  }
}
