package io.tracelight.core.exchange;

import io.tracelight.core.InstrumentationHealth;
import io.tracelight.core.protocol.Protocol;
import io.tracelight.core.protocol.Protocols;

/**
 * The instrumentations' way in: {@link #start} turns a request into an {@link Exchange} when a
 * protocol recognises it, and into null (nothing more to do) otherwise. Until the agent installs
 * a {@link Setup}, nothing is recorded.
 */
public final class Exchanges {
  /** What the agent installs: protocols, where finished exchanges go, the body caps. */
  public static final class Setup {
    final Protocols protocols;
    final ExchangeSink sink;
    final int maxBodyBytes;
    final CaptureBudget budget;
    /** Test-only: the instrumentation whose every request fails inside the agent. */
    final String injectFailure = System.getProperty("tracelight.internal.inject-failure");

    public Setup(Protocols protocols, ExchangeSink sink, int maxBodyBytes, CaptureBudget budget) {
      this.protocols = protocols;
      this.sink = sink;
      this.maxBodyBytes = maxBodyBytes;
      this.budget = budget;
    }
  }

  private static volatile Setup setup;

  private Exchanges() {}

  public static void install(Setup newSetup) {
    setup = newSetup;
  }

  /**
   * Called by instrumentations for every request, on the application's thread.
   *
   * @return the exchange to feed, or null when the request is not an AI call
   */
  public static Exchange start(
      String instrumentation, String method, String host, int port, String path) {
    Setup s = setup;
    if (s == null || InstrumentationHealth.isOff(instrumentation)) {
      return null;
    }
    if (instrumentation.equals(s.injectFailure)) {
      throw new IllegalStateException("failure injected by tracelight.internal.inject-failure");
    }
    Protocol protocol = s.protocols.match(method, path);
    if (protocol == null) {
      return null;
    }
    return new Exchange(s, protocol, instrumentation, host, port);
  }
}
