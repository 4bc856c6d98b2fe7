package io.tracelight.instrumentation.apachehttpclient5;

import org.apache.hc.core5.concurrent.FutureCallback;

/**
 * The call's result callback (the application's, or none): the client calls exactly one of its
 * methods when the call's {@code Future} is done, however it ended, so the call ends here when
 * nothing ended it before (a failure with its cause, a cancellation, a response the client took
 * for itself). Called once, by whichever thread completes the {@code Future}.
 */
final class EndingCallback<T> implements FutureCallback<T> {
  private final FutureCallback<T> delegate;
  private final AsyncCall call;

  EndingCallback(FutureCallback<T> delegate, AsyncCall call) {
    this.delegate = delegate;
    this.call = call;
  }

  @Override
  public void completed(T result) {
    call.complete();
    if (delegate != null) {
      delegate.completed(result);
    }
  }

  @Override
  public void failed(Exception cause) {
    call.fail(cause);
    if (delegate != null) {
      delegate.failed(cause);
    }
  }

  @Override
  public void cancelled() {
    call.cancelled();
    if (delegate != null) {
      delegate.cancelled();
    }
  }
}
