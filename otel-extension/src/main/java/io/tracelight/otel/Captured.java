package io.tracelight.otel;

import io.opentelemetry.context.Context;

/** What extension mode keeps from the application's thread when a call starts. Immutable. */
final class Captured {
  final Context context;
  /** The thread that made the call: the agent would otherwise name the pipeline thread on the span. */
  final Thread thread;

  Captured(Context context, Thread thread) {
    this.context = context;
    this.thread = thread;
  }
}
