package io.tracelight.core.model;

import io.tracelight.core.protocol.Sha256;
import java.util.ArrayList;
import java.util.List;

/**
 * The text of one call, as a protocol read it: system instructions, input messages and the answer
 * (the first choice or candidate), each section kept up to {@link #maxChars()} characters. Rides on
 * the {@link AiCall} (never exported as is): the content stage scans it for personal data and
 * secrets and writes what the capture level allows. The input's hash covers the whole text, not
 * only what is kept. One thread at a time, like its call.
 */
public final class Content {
  private static volatile int maxChars = 32 * 1024;

  /** One message: its role as the conventions name it ({@code user}, {@code assistant}, {@code tool}, ...) and its text. */
  public static final class Message {
    public final String role;
    public final StringBuilder text = new StringBuilder();

    Message(String role) {
      this.role = role;
    }
  }

  private final List<String> system = new ArrayList<>(1);
  private final List<Message> input = new ArrayList<>(2);
  private final List<Message> output = new ArrayList<>(1);
  private int systemChars;
  private int inputChars;
  private int outputChars;
  private boolean truncated;
  private boolean outputCut;
  /** Characters of the whole answer, kept or not. */
  private long outputLength;
  private Sha256.Joined inputHash;
  /** The input hash once computed (a digest can be finished once). */
  private String inputHex;

  /** Characters kept per section ({@code tracelight.capture.max-content-chars}); set once at start. */
  public static void maxChars(int chars) {
    maxChars = chars;
  }

  public static int maxChars() {
    return maxChars;
  }

  public void system(String text) {
    if (text == null) {
      return;
    }
    String kept = keep(text, systemChars);
    systemChars += kept.length();
    system.add(kept);
  }

  /** An input message; its whole text goes into the input hash. */
  public void input(String role, String text) {
    if (text == null) {
      return;
    }
    if (inputHash == null && inputHex == null) {
      inputHash = new Sha256.Joined();
    }
    if (inputHash == null) {
      return; // the hash was taken already: the call's input is complete
    }
    inputHash.add(text);
    Message m = new Message(normalRole(role));
    String kept = keep(text, inputChars);
    inputChars += kept.length();
    m.text.append(kept);
    input.add(m);
  }

  /** Appends to the answer (a whole text, or a stream's next piece). */
  public void output(String text) {
    if (text == null) {
      return;
    }
    outputLength += text.length();
    if (output.isEmpty()) {
      output.add(new Message("assistant"));
    }
    if (outputCut) {
      return; // the answer was cut already: the rest is not kept
    }
    StringBuilder answer = output.get(0).text;
    String kept = keep(text, outputChars);
    answer.append(kept);
    if (kept.length() < text.length()) {
      outputCut = true;
      answer.setLength(wholeWords(answer)); // a piece may have ended inside a word begun pieces before
    }
    outputChars = answer.length();
  }

  /**
   * The part of {@code text} that fits beside {@code used} characters. A cut text ends before its
   * last, cut word: a credential cut short would be too short for the scanner to know, and leak.
   */
  private String keep(String text, int used) {
    int room = maxChars - used;
    if (text.length() <= room) {
      return text;
    }
    truncated = true;
    if (room <= 0) {
      return "";
    }
    String part = text.substring(0, room);
    return part.substring(0, wholeWords(part));
  }

  /** The length of {@code text} up to (not including) its last whitespace; 0 when it has none. */
  private static int wholeWords(CharSequence text) {
    for (int i = text.length() - 1; i >= 0; i--) {
      if (Character.isWhitespace(text.charAt(i))) {
        return i;
      }
    }
    return 0;
  }

  /** Gemini's {@code model} and Cohere's {@code chatbot} are the conventions' {@code assistant}. */
  private static String normalRole(String role) {
    if (role == null) {
      return "user";
    }
    return role.equals("model") || role.equals("chatbot") ? "assistant" : role;
  }

  /** Takes another's answer (a stream decoder's, filled before the call existed). */
  public void mergeOutput(Content other) {
    long whole = outputLength + other.outputLength;
    for (Message m : other.output) {
      output(m.text.toString());
    }
    outputLength = whole; // the other's whole length, not only what it kept
    truncated |= other.truncated;
    outputCut |= other.outputCut; // what the other cut is cut here too, even if the rest fits
  }

  public List<String> system() {
    return system;
  }

  public List<Message> input() {
    return input;
  }

  public List<Message> output() {
    return output;
  }

  /** Characters of the answer, all of it, including what the cap cut. */
  public long outputLength() {
    return outputLength;
  }

  /** True when the answer was longer than the cap and was cut. */
  public boolean outputCut() {
    return outputCut;
  }

  /** True when some text was longer than the cap and was cut. */
  public boolean truncated() {
    return truncated;
  }

  /** The hash of every input message's whole text, joined by {@code \n}, or null when there was none. */
  public String inputHash() {
    if (inputHex == null && inputHash != null) {
      inputHex = inputHash.hexOrNull();
      inputHash = null;
    }
    return inputHex;
  }

  public boolean isEmpty() {
    return system.isEmpty() && input.isEmpty() && output.isEmpty();
  }
}
