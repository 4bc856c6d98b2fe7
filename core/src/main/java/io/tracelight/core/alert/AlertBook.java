package io.tracelight.core.alert;

import io.tracelight.core.InternalErrors;
import io.tracelight.core.exchange.TraceIds;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns checks into episodes: a signal's first breach fires an alert, later breaches of the same
 * episode say nothing, {@value #CLEAR_CHECKS} clear checks in a row resolve it with a second event,
 * and a breach within the cooldown after a resolution is counted, not sent, so a flapping signal
 * does not page again and again. Hands every event to its sinks.
 *
 * <p>Threads: {@link #breach}, {@link #clear} and {@link #announce} on the pipeline thread; the
 * counts and {@link #events} from any thread (every method holds this object's lock, taken a few
 * times per window, never per call).
 */
public final class AlertBook {
  /** Clear checks in a row that end an episode. */
  static final int CLEAR_CHECKS = 2;
  /** Events kept for the summary; the file has them all. */
  static final int KEPT = 200;

  /** Where events go; called on the pipeline thread, must not block for long. */
  public interface Sink {
    void alert(Alert alert);
  }

  /** A sink writing each event as a line of {@code file}. */
  public static Sink into(final io.tracelight.core.export.EventFile file) {
    return new Sink() { // no lambda: see the pipeline's warm-up
      @Override
      public void alert(Alert alert) {
        file.write(alert);
      }
    };
  }

  /** The first response to a new episode (raising its model's fidelity level); returns what it did, or null. */
  public interface Responder {
    String respond(Alert alert, long nowNanos);
  }

  private Responder responder;

  /** Set before the pipeline starts. */
  public synchronized void responder(Responder r) {
    this.responder = r;
  }

  private static final class Episode {
    Alert firing;
    int clearChecks;
    long resolvedAtNanos;
    boolean everResolved;
  }

  private final long cooldownNanos;
  private final List<Sink> sinks = new ArrayList<>();
  private final Map<String, Episode> episodes = new HashMap<>();
  private final List<Alert> events = new ArrayList<>();
  private long fired;
  private long resolved;
  private long announced;
  private long suppressed;

  public AlertBook(long cooldownNanos) {
    this.cooldownNanos = cooldownNanos;
  }

  /** Set before the pipeline starts. */
  public synchronized void sink(Sink sink) {
    sinks.add(sink);
  }

  /**
   * A check found the signal {@code key} (subject and signal) breached; fires {@code candidate} unless
   * an episode is already open or the cooldown after the last one has not passed.
   */
  public synchronized void breach(String key, Alert candidate, long nowNanos) {
    Episode e = episodes.get(key);
    if (e == null) {
      e = new Episode();
      episodes.put(key, e);
    }
    e.clearChecks = 0;
    if (e.firing != null) {
      return;
    }
    if (e.everResolved && nowNanos - e.resolvedAtNanos < cooldownNanos) {
      suppressed++;
      return;
    }
    if (responder != null) {
      try {
        String did = responder.respond(candidate, nowNanos);
        if (did != null) {
          candidate = candidate.withResponse(did);
        }
      } catch (RuntimeException ex) {
        InternalErrors.report("alert response", ex);
      }
    }
    e.firing = candidate;
    fired++;
    emit(candidate);
  }

  /** A check found the signal {@code key} within bounds; resolves its episode after enough such checks. */
  public synchronized void clear(String key, long epochNanos, long nowNanos, double value, double current) {
    Episode e = episodes.get(key);
    if (e == null || e.firing == null || ++e.clearChecks < CLEAR_CHECKS) {
      return;
    }
    Alert open = e.firing;
    e.firing = null;
    e.clearChecks = 0;
    e.everResolved = true;
    e.resolvedAtNanos = nowNanos;
    resolved++;
    emit(open.as(Alert.State.RESOLVED, epochNanos, value, current,
        open.signal + " back within bounds for " + open.subject.describe()));
  }

  /**
   * Ends every open episode whose key starts with {@code keyPrefix} (a subject whose reference starts
   * again), each with a resolution event saying {@code why}, and forgets their cooldowns.
   */
  public synchronized void forget(String keyPrefix, long epochNanos, long nowNanos, String why) {
    for (java.util.Iterator<Map.Entry<String, Episode>> it = episodes.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Episode> e = it.next();
      if (!e.getKey().startsWith(keyPrefix)) {
        continue;
      }
      Alert open = e.getValue().firing;
      if (open != null) {
        resolved++;
        emit(open.as(Alert.State.RESOLVED, epochNanos, Double.NaN, Double.NaN,
            open.signal + " of " + open.subject.describe() + " no longer watched: " + why));
      }
      it.remove();
    }
  }

  /** An announcement: sent as is, no episode. */
  public synchronized void announce(Alert alert) {
    announced++;
    emit(alert);
  }

  private void emit(Alert alert) {
    if (events.size() < KEPT) {
      events.add(alert);
    }
    for (Sink sink : sinks) {
      try {
        sink.alert(alert);
      } catch (RuntimeException e) {
        InternalErrors.report("alert sink", e);
      }
    }
  }

  public static String newEpisodeId() {
    return TraceIds.newSpanId();
  }

  public synchronized long fired() {
    return fired;
  }

  public synchronized long resolved() {
    return resolved;
  }

  public synchronized long announced() {
    return announced;
  }

  /** Breaches inside the cooldown after an episode, not sent. */
  public synchronized long suppressed() {
    return suppressed;
  }

  /** The first {@value #KEPT} events, in order. */
  public synchronized List<Alert> events() {
    return Collections.unmodifiableList(new ArrayList<>(events));
  }

  /** Episodes open now. */
  public synchronized List<Alert> firing() {
    List<Alert> list = new ArrayList<>();
    for (Episode e : episodes.values()) {
      if (e.firing != null) {
        list.add(e.firing);
      }
    }
    return list;
  }
}
