package io.tracelight.core.pipeline;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.Log;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.ExchangeSink;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounded hand-off from the application's threads to one agent thread. {@link #accept} never
 * blocks and takes no lock: when the queue is full the call is dropped and counted.
 */
public final class Pipeline implements ExchangeSink {
  private final ConcurrentLinkedQueue<Exchange> queue = new ConcurrentLinkedQueue<>();
  /** Exchanges accepted and not yet fully processed. */
  private final AtomicInteger pending = new AtomicInteger();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder processed = new LongAdder();
  private final int capacity;
  private final CallProcessor processor;
  private final Thread worker;
  /** Test-only: slows the pipeline down so that a flood fills the queue. */
  private final long delayNanos = Long.getLong("tracelight.internal.pipeline-delay-micros", 0) * 1000;
  private volatile boolean workerWaiting;
  private volatile boolean stopped;

  public Pipeline(CallProcessor processor, int capacity) {
    this.processor = processor;
    this.capacity = capacity;
    this.worker = new Thread(this::run, "tracelight-pipeline");
    this.worker.setDaemon(true);
  }

  public void start() {
    worker.start();
  }

  @Override
  public void accept(Exchange exchange) {
    if (pending.incrementAndGet() > capacity) {
      pending.decrementAndGet();
      dropped.increment();
      exchange.releaseCaptures();
      Log.warnOnce("queue-full", "call queue full (tracelight.queue.capacity=" + capacity
          + "); calls are being dropped and counted, see the summary");
      return;
    }
    queue.offer(exchange);
    if (workerWaiting) {
      LockSupport.unpark(worker);
    }
  }

  private void run() {
    while (!stopped) {
      Exchange next = queue.poll();
      if (next == null) {
        processor.flush();
        workerWaiting = true;
        if (queue.isEmpty() && !stopped) {
          LockSupport.parkNanos(this, 200_000_000L);
        }
        workerWaiting = false;
        continue;
      }
      try {
        if (delayNanos > 0) {
          LockSupport.parkNanos(delayNanos);
        }
        processor.process(next);
      } catch (Throwable t) {
        InternalErrors.report("pipeline", t);
      } finally {
        processed.increment();
        pending.decrementAndGet();
      }
    }
  }

  /** Waits up to {@code millis} for every accepted exchange to be processed, then stops. */
  public void drainAndStop(long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    while (pending.get() > 0 && System.nanoTime() < deadline) {
      LockSupport.unpark(worker);
      LockSupport.parkNanos(1_000_000L);
    }
    stopped = true;
    LockSupport.unpark(worker);
    try {
      worker.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (pending.get() > 0) {
      Log.warn(pending.get() + " calls were still queued at exit and are not in the records");
    }
    processor.flush();
    processor.close();
  }

  public long dropped() {
    return dropped.sum();
  }

  public long processed() {
    return processed.sum();
  }

  /** Queued and not yet written; at exit, what the flush left behind. */
  public int pending() {
    return pending.get();
  }
}
