package io.tracelight.core.drift;

import io.tracelight.core.alert.Alert;
import io.tracelight.core.alert.AlertBook;
import io.tracelight.core.alert.AlertSubject;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import java.util.HashMap;
import java.util.Map;

/**
 * The drift stage: routes every decoded call (before sampling) to its subject's {@link ModelDrift},
 * making one for a subject not seen before, at most {@code maxKeys} of them (calls of further
 * subjects are counted, not watched). A model's first system prompt starts its reference quietly;
 * a later new one is announced, as is a new tools or request-shape hash, and each starts a reference
 * of its own: a deploy is not drift.
 *
 * <p>Threads: {@link #observe} on the pipeline thread only; {@link #unwatched} and {@link #subjects} from any thread.
 */
public final class DriftMonitor {
  private final DriftSettings settings;
  private final AlertBook book;
  /** In the order subjects came (a baseline written without hashes keeps each model's first). */
  private final Map<String, ModelDrift> subjects = new java.util.LinkedHashMap<>();
  /** System prompts per model told apart; further ones share one subject ({@code system_hash} absent). */
  static final int MAX_PROMPTS_PER_MODEL = 8;
  /** Per model (without the system prompt): the subjects it has had, so a later prompt is announced. */
  private final Map<String, Integer> prompts = new HashMap<>();
  /** Whether the system-prompt hash may be written (capture level above none, or a hash key): else alerts leave it out. */
  private final boolean writesHashes;
  private volatile long unwatched;
  private volatile int size;

  public DriftMonitor(DriftSettings settings, AlertBook book) {
    this(settings, book, true);
  }

  public DriftMonitor(DriftSettings settings, AlertBook book, boolean writesHashes) {
    this.settings = settings;
    this.book = book;
    this.writesHashes = writesHashes;
  }

  public AlertBook alerts() {
    return book;
  }

  /** Watches the call; returns its subject's state (for feedback on the call later), or null when it is not watched. */
  public ModelDrift observe(AiCall call, long nowNanos) {
    boolean prediction = Keys.isPrediction(call);
    String provider;
    String model;
    String version = null;
    if (prediction) {
      provider = orUnknown(call.get(Keys.MODEL_RUNTIME));
      model = orUnknown(call.get(Keys.MODEL_NAME));
      version = call.get(Keys.MODEL_VERSION);
    } else {
      String requestModel = call.get(Keys.REQUEST_MODEL);
      model = requestModel != null ? requestModel : orUnknown(call.get(Keys.RESPONSE_MODEL));
      provider = orUnknown(call.get(Keys.PROVIDER));
    }
    if (budget != null) {
      budget.call(call);
    }
    String deployment = call.get(Keys.DEPLOYMENT);
    String system = call.get(Keys.SYSTEM_HASH);
    String modelKey = provider + '\u0000' + model + '\u0000' + version + '\u0000' + deployment;
    String key = modelKey + '\u0000' + system;
    long epochNanos = call.startEpochNanos + call.durationNanos;
    ModelDrift drift = subjects.get(key);
    if (drift == null) {
      Integer promptsSeen = prompts.get(modelKey);
      if (promptsSeen != null && promptsSeen >= MAX_PROMPTS_PER_MODEL) { // a prompt made per request: one subject for the rest
        system = VARIED;
        key = modelKey + '\u0000' + VARIED;
        drift = subjects.get(key);
      }
    }
    if (drift == null) {
      if (subjects.size() >= settings.maxKeys) {
        unwatched++;
        return null;
      }
      boolean varied = VARIED.equals(system);
      Integer had = prompts.get(modelKey);
      AlertSubject subject = new AlertSubject(provider, model, version, deployment,
          writesHashes && !varied ? system : null);
      drift = new ModelDrift(key, subject, settings, book);
      Map<String, Object> saved = baseline == null || varied ? null : baseline.find(modelKey, String.valueOf(system), had == null);
      if (saved != null) {
        try {
          drift.restoreReference(saved, nowNanos);
          restored++;
        } catch (RuntimeException e) {
          drift = new ModelDrift(key, subject, settings, book);
          io.tracelight.core.Log.warnOnce("drift-baseline-entry", "the drift baseline's reference for " + subject.describe()
              + " is not usable (" + e.getMessage() + "); its reference is made from its first calls instead");
        }
      }
      subjects.put(key, drift);
      size = subjects.size();
      prompts.put(modelKey, had == null ? 1 : had + 1);
      if (varied) {
        announce(subject, "varied_system_prompts", "system_hash", epochNanos, "more than " + MAX_PROMPTS_PER_MODEL
            + " system prompts for " + subject.describe() + ": calls with further ones are watched together");
      } else if (had != null && system != null) {
        announce(subject, "new_system_prompt", "system_hash", epochNanos, "new system prompt for " + subject.describe()
            + (writesHashes ? " (" + abbreviate(system) + ")" : "") + ": a new drift reference starts");
      }
    }
    String changed = drift.observe(call, epochNanos, nowNanos);
    if (changed != null) {
      book.forget(key + '\u0000', epochNanos, nowNanos, "its reference restarts after a new " + changed.replace('_', ' '));
      announce(drift.subject, "new_" + changed.substring(0, changed.length() - "_hash".length()), changed, epochNanos,
          "new " + changed.replace('_', ' ') + " for " + drift.subject.describe() + ": a new drift reference starts");
      drift = drift.restarted();
      subjects.put(key, drift);
      drift.observe(call, epochNanos, nowNanos);
    }
    return drift;
  }

  /** References saved by an earlier run or the {@code baseline} command; null when none. Set before the pipeline starts. */
  private DriftBaseline baseline;
  private volatile int restored;

  public void baseline(DriftBaseline saved) {
    this.baseline = saved;
  }

  /** Subjects whose reference came from the baseline file. */
  public int restored() {
    return restored;
  }

  /**
   * Writes each subject whose reference is made as one object of a baseline file's {@code subjects};
   * the pipeline thread, or any thread once it has stopped. Returns how many.
   */
  int writeReferences(com.fasterxml.jackson.core.JsonGenerator g, boolean rates) throws java.io.IOException {
    java.util.Set<String> written = new java.util.HashSet<>();
    int n = 0;
    for (ModelDrift d : subjects.values()) { // in the order subjects came: a model's first prompt first
      if (!saved(d)) {
        continue;
      }
      int cut = d.key.lastIndexOf('\u0000');
      String system = d.key.substring(cut + 1);
      if (!written.add(d.key.substring(0, cut + 1) + (writesHashes ? system : DriftBaseline.ANY_PROMPT))) {
        continue; // without hashes, one entry per model: its first prompt's
      }
      g.writeStartObject();
      AlertSubject s = d.subject;
      g.writeStringField("provider", s.provider);
      g.writeStringField("model", s.model);
      if (s.version != null) {
        g.writeStringField("model_version", s.version);
      }
      if (s.deployment != null) {
        g.writeStringField("deployment", s.deployment);
      }
      if (writesHashes && "null".equals(system)) {
        g.writeNullField("system_hash"); // calls without a system prompt
      } else if (writesHashes) {
        g.writeStringField("system_hash", system);
      }
      d.writeReference(g, writesHashes, rates);
      g.writeEndObject();
      n++;
    }
    if (baseline != null) {
      n += baseline.writeOthers(g, written); // models this run did not call keep their saved reference
    }
    return n;
  }

  /** Whether a baseline file would hold anything: a made reference, or one read at start. */
  boolean hasReferences() {
    if (baseline != null && baseline.size() > 0) {
      return true;
    }
    for (ModelDrift d : subjects.values()) {
      if (saved(d)) {
        return true;
      }
    }
    return false;
  }

  private static boolean saved(ModelDrift d) {
    return d.referenceMade() && !d.key.endsWith(VARIED);
  }

  private long lastTickNanos;
  /** Ticks closer than this are skipped: a volume check a second is plenty. */
  static final long TICK_NANOS = 1_000_000_000L;

  /** The pipeline's idle tick: volume checks (a subject whose calls stopped has no call to trigger them). */
  public void tick(long epochNanos, long nowNanos) {
    if (nowNanos - lastTickNanos < TICK_NANOS) {
      return;
    }
    lastTickNanos = nowNanos;
    for (ModelDrift d : subjects.values()) {
      d.tick(epochNanos, nowNanos);
    }
    if (budget != null) {
      budget.tick(epochNanos, nowNanos);
    }
  }

  /** The day's spend against a budget; null when none is set. Set before the pipeline starts. */
  private BudgetWatch budget;

  public void budget(BudgetWatch watch) {
    this.budget = watch;
  }

  /** Feedback on a call of {@code subject} (from {@link #observe}); the pipeline thread. */
  public void feedback(ModelDrift subject, boolean accepted, long epochNanos, long nowNanos) {
    subject.feedback(accepted, epochNanos, nowNanos);
  }

  private void announce(AlertSubject subject, String rule, String signal, long epochNanos, String message) {
    book.announce(new Alert(epochNanos, Alert.State.ANNOUNCED, Alert.Severity.INFO, rule, signal, null, Double.NaN,
        Double.NaN, Double.NaN, Double.NaN, Double.NaN, null, subject, 0, 0, AlertBook.newEpisodeId(),
        settings.runbook(rule), message));
  }

  /** The system-prompt key of the subject that gathers a model's prompts past {@link #MAX_PROMPTS_PER_MODEL}. */
  private static final String VARIED = "\u0000varied";

  private static String abbreviate(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) : hash;
  }

  private static String orUnknown(String value) {
    return value == null ? "unknown" : value;
  }

  /** Calls of subjects past {@code maxKeys}, not watched. */
  public long unwatched() {
    return unwatched;
  }

  /** Subjects watched. */
  public int subjects() {
    return size;
  }
}
