package io.tracelight.mock;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The deterministic parts every provider shares: the answer text, the token arithmetic, stream
 * pieces, embedding vectors, ids and timings. Everything is a pure function of its arguments so
 * two servers answer identical requests with identical bytes.
 */
final class Answers {
  /** The {@code created} time every answer claims (seconds), fixed for reproducible bytes. */
  static final long CREATED = 1732400000L;
  static final int BIG_CHARS = 50 * 1024 * 1024;
  /** Reasoning/thinking tokens reported by the providers that report them (Responses, Gemini). */
  static final long REASONING = 16;
  static final String REFUSAL = "I can't help with that request; the mock model refuses on purpose.";

  /** The answer of {@code mock-sorry}: a refusal in words only, the provider's fields say nothing. */
  static final String SORRY = "I\u2019m sorry, but I can\u2019t help with planning that; please ask something else.";
  /** The answer of {@code mock-bad-json}: JSON cut in the middle of a member, with an ordinary stop. */
  static final String BAD_JSON = "{\"city\": \"Lisbon\", \"population\": ";

  /** The answer of {@code mock-pii}: personal data a model should not have repeated. */
  static final String PII = "Your account manager is dana.reyes@bank.example, reachable on +1 415 555 0134.";

  private Answers() {}

  static String text(String model, int messages) {
    return "Hello from the mock server! You sent " + messages + " message(s) to " + model
        + ". Observability makes AI calls less mysterious.";
  }

  /** Prompt tokens: 8 plus one per 4 characters of the prompt. */
  static long promptTokens(long chars) {
    return 8 + chars / 4;
  }

  /** Completion tokens: one per word. */
  static long words(String text) {
    return text.split(" ").length;
  }

  /** Word-sized stream pieces, each but the first starting with its space; long answers get bigger pieces. */
  static List<String> pieces(String text) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 1; i <= text.length(); i++) {
      if (i == text.length() || (text.charAt(i) == ' ' && i - start >= 1)) {
        out.add(text.substring(start, i));
        start = i;
      }
      if (out.size() > 64 && i < text.length()) {
        out.add(text.substring(start));
        break;
      }
    }
    return out;
  }

  /** Pieces no longer than {@code max} characters: event-stream readers limit a frame's size. */
  static List<String> boundedPieces(String text, int max) {
    List<String> out = new ArrayList<>();
    for (String piece : pieces(text)) {
      out.addAll(piece.length() > max ? slices(piece, max) : List.of(piece));
    }
    return out;
  }

  /** Fixed-size slices, for streaming JSON arguments the way models emit them. */
  static List<String> slices(String s, int size) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < s.length(); i += size) {
      out.add(s.substring(i, Math.min(s.length(), i + size)));
    }
    return out;
  }

  /** A unit vector derived from the text alone (xorshift seeded by {@link String#hashCode}, which the JLS fixes). */
  static float[] vector(String text, int dims) {
    float[] v = new float[dims];
    int x = text.hashCode() ^ 0x5f3759df;
    double norm = 0;
    for (int i = 0; i < dims; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      v[i] = ((x >>> 8) / (float) (1 << 24)) * 2f - 1f;
      norm += v[i] * v[i];
    }
    float scale = norm == 0 ? 1f : (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < dims; i++) {
      v[i] *= scale;
    }
    return v;
  }

  /** OpenAI's base64 embedding form: little-endian float32s. */
  static String base64(float[] v) {
    ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return Base64.getEncoder().encodeToString(b.array());
  }

  /** The latency the server claims for an answer, in ms: fixed per output token, so it is reproducible. */
  static long latencyMillis(long outputTokens) {
    return 120 + 15 * Math.max(0, outputTokens);
  }

  /** A UUID-shaped id from a counter, for the providers whose ids are UUIDs (Bedrock, Cohere). */
  static String uuid(long n) {
    return String.format("6d6f636b-0000-4000-8000-%012x", n);
  }

  /** An RFC 3339 time with trailing zeros of the fraction dropped, as Go (Ollama) writes it. */
  static String goTime(long millisAfterCreated) {
    Instant t = Instant.ofEpochSecond(CREATED).plusMillis(millisAfterCreated);
    String s = t.toString(); // ISO_INSTANT: fractions in groups of 3 digits
    int dot = s.indexOf('.');
    if (dot < 0) {
      return s;
    }
    String frac = s.substring(dot + 1, s.length() - 1).replaceAll("0+$", "");
    return s.substring(0, dot) + (frac.isEmpty() ? "" : "." + frac) + "Z";
  }
}
