package io.tracelight.core.http;

import io.tracelight.core.alert.Alert;
import java.util.List;

/** The agent's health as fixed numbers, for rendering tests. Immutable. */
final class FixedHealth implements PrometheusFormat.Health {
  private final long dropped;
  private final long queue;
  private final long bytes;
  private final List<Alert> firing;

  FixedHealth(long dropped, long queue, long bytes, List<Alert> firing) {
    this.dropped = dropped;
    this.queue = queue;
    this.bytes = bytes;
    this.firing = firing;
  }

  @Override
  public long droppedCalls() {
    return dropped;
  }

  @Override
  public long internalErrors() {
    return 0;
  }

  @Override
  public long queueDepth() {
    return queue;
  }

  @Override
  public long bytesInFlight() {
    return bytes;
  }

  @Override
  public List<Alert> firing() {
    return firing;
  }
}
