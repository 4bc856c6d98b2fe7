package io.tracelight.core.protocol;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.tracelight.core.InternalErrors;

/**
 * Counts tokens with the tokenizer of an OpenAI model family (JTokkit), for streams that carried
 * no usage. Only models whose tokenizer is known are counted; any other model gets no estimate
 * rather than a wrong one. The vocabularies (a few MB each) are loaded on first use, on the
 * pipeline thread. Thread-safe.
 */
public final class TokenEstimator {
  private static volatile EncodingRegistry registry;

  private TokenEstimator() {}

  /** The tokenizer of an OpenAI model, or null when the model's tokenizer is not known. */
  public static Encoding forModel(String model) {
    EncodingType type = typeOf(model);
    if (type == null) {
      return null;
    }
    try {
      EncodingRegistry r = registry;
      if (r == null) {
        r = Encodings.newLazyEncodingRegistry();
        registry = r;
      }
      return r.getEncoding(type);
    } catch (Throwable t) {
      InternalErrors.report("token estimate", t);
      return null;
    }
  }

  static EncodingType typeOf(String model) {
    if (model == null) {
      return null;
    }
    String m = model.toLowerCase(java.util.Locale.ROOT);
    if (m.startsWith("gpt-4o") || m.startsWith("chatgpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5")
        || m.startsWith("gpt-5") || m.startsWith("o1") || m.startsWith("o3") || m.startsWith("o4")
        || m.startsWith("gpt-oss")) {
      return EncodingType.O200K_BASE;
    }
    if (m.startsWith("gpt-4") || m.startsWith("gpt-3.5") || m.startsWith("gpt-35") || m.startsWith("text-embedding-3")
        || m.startsWith("text-embedding-ada-002")) {
      return EncodingType.CL100K_BASE;
    }
    return null;
  }

  /** Tokens of plain text (special-token markers counted as text, as a server would). */
  public static int count(Encoding encoding, String text) {
    return encoding.countTokensOrdinary(text);
  }

  /**
   * Tokens a chat prompt costs, the way OpenAI counts chat messages: each message adds 3 tokens
   * of framing (and 1 for a name), and the reply is primed with 3 more.
   */
  public static final class ChatPrompt {
    private final Encoding encoding;
    private long tokens = 3;

    public ChatPrompt(Encoding encoding) {
      this.encoding = encoding;
    }

    public void message(String role, String content, String name) {
      tokens += 3;
      if (role != null) {
        tokens += count(encoding, role);
      }
      if (content != null) {
        tokens += count(encoding, content);
      }
      if (name != null) {
        tokens += 1 + count(encoding, name);
      }
    }

    public long tokens() {
      return tokens;
    }
  }
}
