package io.tracelight.core.exchange;

/**
 * What the application's thread gives every call it starts, an HTTP exchange or an in-JVM
 * prediction: the logging context, the call's {@code ai.call.id} (drawn there, see {@link CallIds})
 * and the {@code Tracelight.session(...)} scope. Set in the constructor on the application's thread,
 * read by the pipeline thread after the call is handed over.
 */
public abstract class CallStart {
  /** Read on the application's thread at the start: see {@link MdcReader}. */
  private final String[] logContext;
  final long callIdHigh;
  final long callIdLow;
  /** The application's {@code Tracelight.session(...)} scope at the start, or null. */
  private final ApiSession apiSession;

  CallStart() {
    this.logContext = MdcReader.read();
    long[] id = CallIds.draw();
    this.callIdHigh = id[0];
    this.callIdLow = id[1];
    this.apiSession = ApiSession.current();
  }

  /** {@code ai.call.id}: 32 lowercase hex digits. */
  public String callId() {
    return CallIds.hex(callIdHigh, callIdLow);
  }

  /** Copies the call id, as text and as its two halves, onto the call's record. */
  public void callIdTo(io.tracelight.core.model.AiCall call) {
    call.callIdHigh = callIdHigh;
    call.callIdLow = callIdLow;
    call.set(io.tracelight.core.model.Keys.CALL_ID, CallIds.hex(callIdHigh, callIdLow));
  }

  /** The session id the application's {@code Tracelight.session} scope named, or null. */
  public String apiSessionId() {
    return apiSession == null ? null : apiSession.sessionId;
  }

  /** The user id the application's {@code Tracelight.session} scope named, or null. */
  public String apiUserId() {
    return apiSession == null ? null : apiSession.userId;
  }

  /** The application's logging-context values for the user and session keys, or null. */
  public String logContext(String key) {
    return MdcReader.value(logContext, key);
  }
}
