package io.tracelight.core.exchange;

import io.tracelight.core.AgentThread;
import io.tracelight.core.InstrumentationHealth;
import io.tracelight.core.protocol.Protocols;
import java.util.concurrent.atomic.LongAdder;

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
    /** The current-span lookup: the host agent's, or the application's OpenTelemetry API; may be null. */
    final ContextCapture contextCapture;
    /** {@code tracelight.propagation=tracecontext}: requests without a {@code traceparent} get one. */
    final boolean propagate;
    /** AI calls started and ended (handed off), for the calls still under way at exit. */
    final LongAdder started = new LongAdder();
    final LongAdder ended = new LongAdder();
    /** Test-only: the instrumentation whose every request fails inside the agent. */
    final String injectFailure = System.getProperty("tracelight.internal.inject-failure");

    public Setup(Protocols protocols, ExchangeSink sink, int maxBodyBytes, CaptureBudget budget) {
      this(protocols, sink, maxBodyBytes, budget, null);
    }

    public Setup(Protocols protocols, ExchangeSink sink, int maxBodyBytes, CaptureBudget budget,
        ContextCapture contextCapture) {
      this(protocols, sink, maxBodyBytes, budget, contextCapture, false);
    }

    public Setup(Protocols protocols, ExchangeSink sink, int maxBodyBytes, CaptureBudget budget,
        ContextCapture contextCapture, boolean propagate) {
      this.propagate = propagate;
      this.protocols = protocols;
      this.sink = sink;
      this.maxBodyBytes = maxBodyBytes;
      this.budget = budget;
      this.contextCapture = contextCapture;
    }

    /** AI calls started that have not ended yet: at exit, calls whose end never came. */
    public long underWay() {
      return started.sum() - ended.sum();
    }
  }

  private static volatile Setup setup;

  private Exchanges() {}

  /**
   * Sets the request headers records may read (fidelity rules, user and session ids; see
   * {@link Exchange#recordedHeader}), copied from AI requests only; never a secret header (refused
   * where they are configured). Once, at start.
   */
  public static void recordHeaders(java.util.List<String> names) {
    RequestInfo.recordedNames = names.toArray(new String[0]);
  }

  /** Hands the application's feedback to the pipeline; dropped (and counted there) when the queue is full, ignored before the agent is set up. */
  public static void submit(io.tracelight.core.feedback.FeedbackEvent event) {
    Setup s = setup;
    if (s != null) {
      s.sink.accept(event);
    }
  }

  public static void install(Setup newSetup) {
    setup = newSetup;
  }

  static Setup setup() {
    return setup;
  }

  /**
   * False when no request with this method can be an AI call (or the agent is not set up): an
   * instrumentation that must work to find a request's host or scheme asks this first.
   */
  public static boolean mayBeAiCall(String method) {
    Setup s = setup;
    return s != null && s.protocols.mayMatch(method);
  }

  /**
   * True when AI requests get a {@code traceparent} ({@code tracelight.propagation=tracecontext}):
   * an instrumentation whose client fixes the headers early starts its exchanges before that.
   */
  public static boolean propagates() {
    Setup s = setup;
    return s != null && s.propagate;
  }

  /**
   * Called by instrumentations for every request, on the application's thread.
   *
   * @param rawPath the path as sent (percent-encoded), without the query
   * @param rawQuery the query as sent, without '?', or null
   * @param carrier the client's request object, read through {@code headers} only while matching
   * @return the exchange to feed, or null when the request is not an AI call
   */
  public static <C> Exchange start(String instrumentation, String method, String scheme, String host, int port,
      String rawPath, String rawQuery, C carrier, HeaderGetter<C> headers) {
    Setup s = setup;
    if (s == null || InstrumentationHealth.isOff(instrumentation)) {
      return null;
    }
    if (instrumentation.equals(s.injectFailure)) {
      throw new IllegalStateException("failure injected by tracelight.internal.inject-failure");
    }
    if (!s.protocols.mayMatch(method)) {
      return null; // most other requests (GETs) stop here, for a few string comparisons
    }
    if (Thread.currentThread() instanceof AgentThread) {
      return null; // the agent's own export requests
    }
    RequestInfo request =
        new RequestInfo(s.protocols, method, scheme, host, port, rawPath, rawQuery, carrier, headers);
    Protocols.Entry matched = s.protocols.match(request);
    if (matched == null) {
      return null;
    }
    request.freeze(matched);
    Exchange exchange = new Exchange(s, matched, instrumentation, request);
    s.started.increment();
    return exchange;
  }
}
