package io.tracelight.api;

/**
 * What an application can tell Tracelight, and ask it, beyond what the agent sees by itself. Every
 * method is safe to call without the agent: it then does nothing ({@link #lastCall()} returns null,
 * {@link #session} a scope that does nothing). With the agent attached, the agent supplies these
 * methods' behaviour; nothing here ever throws into the application.
 *
 * <pre>{@code
 * String answer = client.chat(...);              // an AI call the agent records
 * String callId = Tracelight.lastCall();         // its ai.call.id
 * ...                                            // later, maybe days later, maybe elsewhere
 * Tracelight.feedback(callId, 1.0, "thumbs_up"); // lands in feedback.jsonl, joined by the id
 * }</pre>
 *
 * <p>Threads: every method may be called from any thread.
 */
public final class Tracelight {
  private Tracelight() {}

  /** Ends what {@link #session} started; closing twice does nothing. */
  public interface Scope extends AutoCloseable {
    @Override
    void close();
  }

  private static final Scope NOTHING = new Scope() {
    @Override
    public void close() {}
  };

  /**
   * The {@code ai.call.id} of the last AI call this thread started or received the answer of, or null
   * when there is none or no agent. An asynchronous client's call counts on the thread that sent it
   * (ask right after sending) and on the thread its answer arrived on, where the client's callbacks
   * and a {@code CompletableFuture}'s dependent stages usually run: ask there, before that thread's next call.
   */
  public static String lastCall() {
    return null;
  }

  /**
   * A person's or a system's judgement of a call's answer: {@code score} from 0 (rejected) to 1
   * (accepted; at least 0.5 counts as accepted in the acceptance rate), {@code label} a short word of
   * the application's ({@code thumbs_up}, {@code edited}, {@code wrong_tool}), or null.
   */
  public static void feedback(String callId, double score, String label) {}

  /** The real-world result of a prediction or answer, known later (a label, a chargeback, a sale). */
  public static void outcome(String callId, String value) {}

  /** As {@link #outcome(String, String)}, for a number. */
  public static void outcome(String callId, double value) {}

  /**
   * Makes the AI calls this thread starts until the scope is closed carry {@code session.id} (and
   * {@code gen_ai.conversation.id}) and the salted hash of {@code userId} as {@code user.id}; either
   * may be null. Scopes nest: closing one restores the one before.
   */
  public static Scope session(String sessionId, String userId) {
    return NOTHING;
  }
}
