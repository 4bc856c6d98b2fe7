package io.tracelight.core.exchange;

/**
 * The session and user the application named through {@code Tracelight.session(...)}, per thread:
 * read when a call starts, so the calls started inside the scope carry them. A scope restores the one
 * before it when closed, and closing it twice (or on another thread) changes nothing.
 *
 * <p>Threads: each application thread opens, reads and closes only its own scopes.
 */
public final class ApiSession {
  private static final int MAX_CHARS = 256;
  private static final ThreadLocal<ApiSession> CURRENT = new ThreadLocal<>();

  public final String sessionId;
  public final String userId;
  private final ApiSession previous;
  private final Thread owner;
  private boolean closed;

  private ApiSession(String sessionId, String userId, ApiSession previous) {
    this.sessionId = cut(sessionId);
    this.userId = cut(userId);
    this.previous = previous;
    this.owner = Thread.currentThread();
  }

  /** Opens a scope on this thread. */
  public static ApiSession open(String sessionId, String userId) {
    ApiSession scope = new ApiSession(sessionId, userId, CURRENT.get());
    CURRENT.set(scope);
    return scope;
  }

  /** The innermost open scope of this thread, or null. */
  static ApiSession current() {
    return CURRENT.get();
  }

  /** Ends this scope: the thread's scope becomes the one open before it. */
  public void close() {
    if (closed || Thread.currentThread() != owner) {
      return;
    }
    closed = true;
    if (CURRENT.get() == this) {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  private static String cut(String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    return value.length() > MAX_CHARS ? value.substring(0, MAX_CHARS) : value;
  }
}
