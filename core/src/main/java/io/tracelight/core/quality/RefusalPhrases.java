package io.tracelight.core.quality;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Phrases that open a refusal, matched over the first characters of an answer (where a model
 * says it will not help), case-insensitively, with typographic apostrophes and runs of whitespace
 * made plain. The defaults cover English, Spanish, French, German, Portuguese, Italian, Dutch,
 * Japanese and Chinese, each a whole opening ("I can't help with", not "sorry") so a story that
 * mentions an apology is not a refusal; users add their own. Immutable; any thread.
 */
public final class RefusalPhrases {
  /** The answer's opening this many characters long is what is matched. */
  public static final int DEFAULT_WINDOW = 300;

  private static final String[] DEFAULTS = {
    // English
    "i'm sorry, but i can't", "i'm sorry, but i cannot", "i am sorry, but i cannot", "i'm sorry, i can't",
    "sorry, but i can't", "sorry, i can't help", "i can't help with", "i cannot help with", "i can't assist with",
    "i cannot assist with", "i'm unable to help", "i am unable to help", "i'm unable to assist",
    "i am unable to assist", "i'm not able to help", "i am not able to help", "i won't be able to help",
    "i can't provide", "i cannot provide", "i can't comply", "i cannot comply", "i must decline",
    "i'm not able to provide", "i can't fulfill", "i cannot fulfill", "i can't do that", "i won't help with",
    "as an ai language model, i cannot", "as an ai language model, i can't",
    // Spanish
    "lo siento, pero no puedo", "no puedo ayudar con", "no puedo ayudarte con", "no puedo proporcionar",
    "no puedo cumplir",
    // French
    "je suis désolé, mais je ne peux pas", "désolé, mais je ne peux pas", "je ne peux pas vous aider",
    "je ne peux pas t'aider", "je ne peux pas fournir", "je ne peux pas répondre à cette demande",
    // German
    "es tut mir leid, aber ich kann", "ich kann dir dabei nicht helfen", "ich kann ihnen dabei nicht helfen",
    "ich kann dabei nicht helfen", "ich kann keine hilfe",
    // Portuguese
    "desculpe, mas não posso", "não posso ajudar com", "não posso fornecer", "lamento, mas não posso",
    // Italian
    "mi dispiace, ma non posso", "non posso aiutarti", "non posso aiutarla", "non posso fornire",
    // Dutch
    "het spijt me, maar ik kan", "ik kan je daar niet mee helpen", "ik kan u daar niet mee helpen",
    // Japanese
    "お手伝いできません", "お応えできません", "お答えできません", "提供できません",
    // Chinese
    "抱歉，我无法", "抱歉，我不能", "我无法提供", "我不能帮助", "我无法帮助",
  };

  private final String[] phrases;
  private final int window;

  private RefusalPhrases(List<String> phrases, int window) {
    this.phrases = phrases.toArray(new String[0]);
    this.window = window;
  }

  /** The default phrases. */
  public static RefusalPhrases defaults() {
    return of(true, Collections.emptyList(), DEFAULT_WINDOW);
  }

  /** The defaults (unless {@code withDefaults} is false) and {@code extra} phrases, over {@code window} characters. */
  public static RefusalPhrases of(boolean withDefaults, List<String> extra, int window) {
    List<String> all = new ArrayList<>();
    if (withDefaults) {
      Collections.addAll(all, DEFAULTS);
    }
    for (String phrase : extra) {
      String p = normal(phrase, Integer.MAX_VALUE);
      if (!p.isEmpty() && !all.contains(p)) {
        all.add(p);
      }
    }
    return new RefusalPhrases(all, Math.max(1, window));
  }

  /** Phrases separated by {@code |} in a setting; blanks dropped. */
  public static List<String> split(String setting) {
    List<String> out = new ArrayList<>();
    if (setting == null) {
      return out;
    }
    for (String s : setting.split("\\|")) {
      if (!s.trim().isEmpty()) {
        out.add(s.trim());
      }
    }
    return out;
  }

  public int size() {
    return phrases.length;
  }

  /** The first phrase the answer's opening contains, or null. */
  public String match(CharSequence answer) {
    if (answer == null || answer.length() == 0 || phrases.length == 0) {
      return null;
    }
    String opening = normal(answer, window);
    for (String phrase : phrases) {
      if (opening.contains(phrase)) {
        return phrase;
      }
    }
    return null;
  }

  /**
   * Lower case (root locale), typographic apostrophes as {@code '}, fullwidth comma kept (Chinese
   * phrases use it), every run of whitespace one space, leading whitespace and markdown emphasis
   * marks dropped; at most {@code max} characters of the input read.
   */
  static String normal(CharSequence text, int max) {
    int n = Math.min(text.length(), max);
    StringBuilder out = new StringBuilder(n);
    boolean space = true; // drops leading whitespace
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        if (!space) {
          out.append(' ');
          space = true;
        }
        continue;
      }
      space = false;
      if (c == '\u2019' || c == '\u2018' || c == '\u02BC') {
        c = '\'';
      } else if (c == '*' || c == '_') {
        continue;
      }
      out.append(c);
    }
    return out.toString().toLowerCase(Locale.ROOT);
  }
}
