package io.tracelight.core.pipeline;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.Log;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.ExchangeSink;
import io.tracelight.core.exchange.InferenceCall;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Bounded hand-off from the application's threads to one agent thread. {@link #accept} never
 * blocks and takes no lock: when the queue is full the call is dropped and counted.
 *
 * <p>The application's thread does not wake the agent thread for every call (an unpark is a
 * system call and a context switch, tens of microseconds on a busy two-core machine): the agent
 * thread polls, sleeping 5 ms after work and up to 100 ms when idle, and is woken early only when
 * the queue is half full. Records are written within that delay of the call's end.
 */
public final class Pipeline implements ExchangeSink {
  private static final long MIN_IDLE_NANOS = 5_000_000L;
  private static final long MAX_IDLE_NANOS = 100_000_000L;
  /** Exchanges, in-JVM inference calls and the application's feedback. */
  private final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
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
  /** Set by the worker once it flushed and closed everything after stopping. */
  private volatile boolean closed;

  public Pipeline(CallProcessor processor, int capacity) {
    this.processor = processor;
    this.capacity = capacity;
    this.worker = new Thread("tracelight-pipeline") {
      @Override
      public void run() {
        Pipeline.this.run();
      }
    };
    this.worker.setDaemon(true);
  }

  private volatile boolean workerStarted;

  public void start() {
    workerStarted = true;
    worker.start();
  }

  @Override
  public void accept(Exchange exchange) {
    if (!offer(exchange)) {
      exchange.releaseCaptures();
    }
  }

  @Override
  public void accept(InferenceCall call) {
    offer(call);
  }

  @Override
  public void accept(io.tracelight.core.feedback.FeedbackEvent event) {
    offer(event);
  }

  /** Queues an ended call, or drops and counts it when the queue is full. */
  private boolean offer(Object ended) {
    int pendingNow = pending.incrementAndGet();
    if (pendingNow > capacity) {
      pending.decrementAndGet();
      dropped.increment();
      Log.warnOnce("queue-full", "call queue full (tracelight.queue.capacity=" + capacity
          + "); calls are being dropped and counted, see the summary");
      return false;
    }
    queue.offer(ended);
    if (workerWaiting && pendingNow > capacity / 2) {
      LockSupport.unpark(worker);
    }
    return true;
  }

  private void run() {
    processor.warmUp();
    long idleNanos = MIN_IDLE_NANOS;
    while (!stopped) {
      Object next = queue.poll();
      if (next == null) {
        processor.flush();
        workerWaiting = true;
        if (queue.isEmpty() && !stopped) {
          LockSupport.parkNanos(this, idleNanos);
          idleNanos = Math.min(idleNanos * 2, MAX_IDLE_NANOS);
        }
        workerWaiting = false;
        continue;
      }
      idleNanos = MIN_IDLE_NANOS;
      try {
        if (delayNanos > 0) {
          LockSupport.parkNanos(delayNanos);
        }
        if (next instanceof Exchange) {
          processor.process((Exchange) next);
        } else if (next instanceof InferenceCall) {
          processor.process((InferenceCall) next);
        } else {
          processor.process((io.tracelight.core.feedback.FeedbackEvent) next);
        }
      } catch (Throwable t) {
        InternalErrors.report("pipeline", t);
      } finally {
        processed.increment();
        pending.decrementAndGet();
      }
    }
    // The exporters, the record policy and the audit trail are this thread's alone: it closes them
    // itself, so the shutdown hook never touches them while a call is still being processed.
    processor.flush();
    processor.close();
    closed = true;
  }

  /**
   * Waits up to {@code millis} for every exchange accepted so far to be processed, and goes on
   * running: a host agent calls it before it flushes its own exporters at exit.
   */
  public void drain(long millis) {
    drainUntil(System.nanoTime() + millis * 1_000_000L);
  }

  private void drainUntil(long deadline) {
    while (pending.get() > 0 && !stopped && System.nanoTime() < deadline) {
      LockSupport.unpark(worker);
      LockSupport.parkNanos(1_000_000L);
    }
  }

  /**
   * Waits up to {@code millis} for every accepted exchange to be processed, then stops the worker,
   * which flushes and closes the exporters; gives it up to a second more for that.
   */
  public void drainAndStop(long millis) {
    long deadline = System.nanoTime() + millis * 1_000_000L;
    drainUntil(deadline);
    stopped = true;
    LockSupport.unpark(worker);
    try {
      worker.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000L) + 1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (pending.get() > 0) {
      Log.warn(pending.get() + " calls were still queued at exit and are not in the records");
    }
    if (!worker.isAlive() && !closed && !workerStarted) {
      processor.close(); // never started (a test, or a failed start): nothing else will close
    } else if (!closed) {
      Log.warn("the pipeline was still busy at exit; its last records and audit lines may be missing");
    }
  }

  /** True once {@link #drainAndStop} saw the worker end: its stages may then be read from the stopping thread. */
  public boolean finished() {
    return !worker.isAlive();
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
