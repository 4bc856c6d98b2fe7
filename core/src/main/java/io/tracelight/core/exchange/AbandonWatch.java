package io.tracelight.core.exchange;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends the record of a response the application dropped without reading or closing it: the
 * response's wrapper is watched by a phantom reference, and when the garbage collector finds it
 * unreachable a daemon thread ends its exchange as abandoned. Unlike {@link java.lang.ref.Cleaner}
 * (whose registration takes a lock), watching and unwatching only touch a concurrent set.
 */
final class AbandonWatch {
  private static final ReferenceQueue<Object> QUEUE = new ReferenceQueue<>();
  /** Keeps the references reachable until their exchange ends one way or the other. */
  private static final Set<Ref> WATCHED = ConcurrentHashMap.newKeySet();

  static {
    Thread t = new Thread("tracelight-cleaner") {
      @Override
      public void run() {
        AbandonWatch.run();
      }
    };
    t.setDaemon(true);
    t.start();
  }

  /** A watch on one owner, for one exchange. */
  static final class Ref extends PhantomReference<Object> {
    private final Exchange exchange;

    Ref(Object owner, Exchange exchange) {
      super(owner, QUEUE);
      this.exchange = exchange;
    }

    /** The exchange ended normally: stop watching. */
    void cancel() {
      WATCHED.remove(this);
      clear();
    }
  }

  private AbandonWatch() {}

  static Ref watch(Object owner, Exchange exchange) {
    Ref ref = new Ref(owner, exchange);
    WATCHED.add(ref);
    return ref;
  }

  private static void run() {
    while (true) {
      try {
        Ref ref = (Ref) QUEUE.remove();
        if (WATCHED.remove(ref)) {
          ref.exchange.abandoned();
        }
      } catch (InterruptedException e) {
        return;
      } catch (Throwable t) {
        io.tracelight.core.InternalErrors.report("abandoned-response watch", t);
      }
    }
  }
}
