package io.tracelight.core.privacy;

/**
 * Finds personal data and secrets in text in one pass, without regular expressions: at each word
 * start the detectors that can begin with that character look a bounded distance ahead, so the
 * cost is linear in the text (a regex alternation of the same shapes ran ~100 times slower here,
 * and a backtracking one can be made to run for ever). Matches never overlap and come in order.
 *
 * <p>What counts as each type is a heuristic stated in docs/schema.md: payment cards pass Luhn,
 * IBANs pass ISO 7064 mod 97, US SSNs avoid the ranges never issued, phone numbers are
 * international ({@code +} and 8 to 15 digits) or North American with separators. Stateless; any
 * thread.
 */
public final class PiiScanner {
  private PiiScanner() {}

  /** Receives each match: its type and its span in the text. */
  public interface Sink {
    void found(PiiType type, int start, int end);
  }

  /**
   * One scan's state: the match a detector found, and, for the detectors that follow long runs
   * (keys, JWTs, tokens), where their last failed run ended: a start inside it would fail the same
   * way, so it is not tried again. That keeps every detector's work linear in the text.
   */
  private static final class Found {
    int start;
    PiiType type;
    int keyRunEnd;
    int jwtRunEnd;
    int tokenRunEnd;
  }

  public static void scan(CharSequence s, Sink sink) {
    int n = s.length();
    int lastEnd = 0;
    int i = 0;
    Found f = new Found();
    while (i < n) {
      char c = s.charAt(i);
      int end = -1;
      if (c == '@') {
        end = email(s, i, lastEnd, f);
      } else if (i == 0 || !wordChar(s.charAt(i - 1))) {
        if ((c >= '0' && c <= '9' || c == '+' || c == '(') && !continuesNumber(s, i)) {
          end = number(s, i, f);
        } else if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z') {
          end = word(s, i, f);
        }
      }
      if (end < 0) {
        i++;
        continue; // (mid-word characters cost one comparison and one boundary test)
      }
      sink.found(f.type, f.start, end);
      lastEnd = end;
      i = Math.max(end, i + 1);
    }
  }

  /** After {@code 1.}, {@code 7-}, {@code 10:} or {@code 11/} a digit goes on with a number that did not match. */
  private static boolean continuesNumber(CharSequence s, int i) {
    if (i < 2) {
      return false;
    }
    char sep = s.charAt(i - 1);
    return (sep == '.' || sep == '-' || sep == ':' || sep == '/') && digit(s.charAt(i - 2));
  }

  private static int found(Found f, PiiType type, int start, int end) {
    f.type = type;
    f.start = start;
    return end;
  }

  // ---- numbers: SSN, IPv4, payment card, phone ----

  private static int number(CharSequence s, int i, Found f) {
    char c = s.charAt(i);
    if (c >= '0' && c <= '9') {
      int end = ssn(s, i);
      if (end > 0) {
        return found(f, PiiType.SSN, i, end);
      }
      end = ipv4(s, i);
      if (end > 0) {
        return found(f, PiiType.IP_ADDRESS, i, end);
      }
      end = ipv6(s, i);
      if (end > 0) {
        return found(f, PiiType.IP_ADDRESS, i, end);
      }
      end = card(s, i);
      if (end > 0) {
        return found(f, PiiType.PAYMENT_CARD, i, end);
      }
    }
    int end = phone(s, i);
    return end > 0 ? found(f, PiiType.PHONE, i, end) : -1;
  }

  /** {@code ddd-dd-dddd}, not in the ranges the SSA never issues (000, 666, 9xx; group 00; serial 0000). */
  private static int ssn(CharSequence s, int i) {
    if (i + 11 > s.length() || s.charAt(i + 3) != '-' || s.charAt(i + 6) != '-') {
      return -1;
    }
    for (int k = 0; k < 11; k++) {
      if (k != 3 && k != 6 && !digit(s.charAt(i + k))) {
        return -1;
      }
    }
    if (i + 11 < s.length() && (wordChar(s.charAt(i + 11)) || s.charAt(i + 11) == '-')) {
      return -1;
    }
    int area = num(s, i, 3);
    int group = num(s, i + 4, 2);
    int serial = num(s, i + 7, 4);
    return area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 ? -1 : i + 11;
  }

  private static int ipv4(CharSequence s, int i) {
    int n = s.length();
    int p = i;
    for (int octet = 0; octet < 4; octet++) {
      if (octet > 0) {
        if (p >= n || s.charAt(p) != '.') {
          return -1;
        }
        p++;
      }
      int start = p;
      int value = 0;
      while (p < n && p - start < 4 && digit(s.charAt(p))) {
        value = value * 10 + s.charAt(p) - '0';
        p++;
      }
      if (p == start || p - start > 3 || value > 255) {
        return -1;
      }
    }
    if (p < n && (wordChar(s.charAt(p)) || s.charAt(p) == '.' && p + 1 < n && digit(s.charAt(p + 1)))) {
      return -1; // a longer dotted number (a version string), not an address
    }
    return p;
  }

  /**
   * Hex groups of 1 to 4 separated by colons: eight of them, or fewer around one {@code ::} with
   * at least four hex digits in all (so a time {@code 10:30} or {@code a::b} is not an address).
   */
  private static int ipv6(CharSequence s, int i) {
    int n = s.length();
    int p = i;
    int groups = 0;
    int hexDigits = 0;
    boolean compressed = false;
    int end = -1;
    while (p < n && groups < 8) {
      int start = p;
      while (p < n && p - start < 5 && hex(s.charAt(p))) {
        p++;
      }
      int len = p - start;
      if (len == 0 || len > 4) {
        return -1;
      }
      groups++;
      hexDigits += len;
      end = p;
      if (p + 1 < n && s.charAt(p) == ':' && s.charAt(p + 1) == ':' && !compressed) {
        compressed = true;
        p += 2;
        end = p;
        if (p >= n || !hex(s.charAt(p))) {
          break; // "fe80::"
        }
      } else if (p + 1 < n && s.charAt(p) == ':' && hex(s.charAt(p + 1))) {
        p++;
      } else {
        break;
      }
    }
    if (end < 0 || end < n && (wordChar(s.charAt(end)) || s.charAt(end) == ':')) {
      return -1;
    }
    boolean whole = groups == 8 && !compressed;
    return whole || compressed && groups < 8 && hexDigits >= 4 ? end : -1;
  }

  /**
   * 13 to 19 digits, whole groups separated by single spaces or hyphens, Luhn-valid, starting 2 to
   * 6. Groups are added while they fit, and the longest valid prefix of groups wins, so a card
   * followed by another number ("4111111111111111 192") is still found.
   */
  private static int card(CharSequence s, int i) {
    char first = s.charAt(i);
    if (first < '2' || first > '6') {
      return -1;
    }
    int n = s.length();
    int digits = 0;
    int p = i;
    int best = -1;
    while (p < n) {
      int groupStart = p;
      while (p < n && digit(s.charAt(p)) && digits < 20) {
        digits++;
        p++;
      }
      if (p == groupStart || digits > 19 || p < n && (wordChar(s.charAt(p)))) {
        break;
      }
      if (digits >= 13 && luhn(s, i, p)) {
        best = p;
      }
      if (p + 1 < n && (s.charAt(p) == ' ' || s.charAt(p) == '-') && digit(s.charAt(p + 1))) {
        p++;
      } else {
        break;
      }
    }
    return best;
  }

  private static boolean luhn(CharSequence s, int from, int to) {
    int sum = 0;
    int position = 0;
    for (int k = to - 1; k >= from; k--) {
      char c = s.charAt(k);
      if (!digit(c)) {
        continue;
      }
      int d = c - '0';
      if ((position++ & 1) == 1) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
    }
    return sum % 10 == 0;
  }

  /**
   * {@code +} and 8 to 15 digits (single spaces, dots, hyphens or one pair of parentheses between
   * them), or a North American number {@code (ddd) ddd-dddd}, {@code ddd-ddd-dddd},
   * {@code ddd.ddd.dddd}, {@code ddd ddd dddd}, optionally after {@code 1}. A bare run of digits is
   * not taken for a phone number (it is an order number as often).
   */
  private static int phone(CharSequence s, int i) {
    int n = s.length();
    boolean international = s.charAt(i) == '+';
    int p = international ? i + 1 : i;
    int digits = 0;
    int separators = 0;
    int groupDigits = 0;
    int[] groups = new int[8];
    int groupCount = 0;
    boolean parenOpen = false;
    boolean parens = false;
    int end = -1;
    while (p < n) {
      char c = s.charAt(p);
      if (digit(c)) {
        digits++;
        groupDigits++;
        p++;
        end = p;
        if (digits > 15) {
          return -1;
        }
      } else if (c == '(' && !parens && groupDigits == 0 && p + 1 < n && digit(s.charAt(p + 1))) {
        parens = true;
        parenOpen = true;
        p++;
      } else if (c == ')' && parenOpen && groupDigits > 0) {
        parenOpen = false;
        p++;
        if (p < n && s.charAt(p) == ' ') {
          p++;
        }
        groupCount = closeGroup(groups, groupCount, groupDigits);
        groupDigits = 0;
        separators++;
      } else if ((c == ' ' || c == '-' || c == '.') && groupDigits > 0 && p + 1 < n
          && (digit(s.charAt(p + 1)) || s.charAt(p + 1) == '(')) {
        groupCount = closeGroup(groups, groupCount, groupDigits);
        groupDigits = 0;
        separators++;
        p++;
      } else {
        break;
      }
    }
    if (end < 0 || parenOpen || end < n && (wordChar(s.charAt(end)) || s.charAt(end) == '.' && end + 1 < n
        && digit(s.charAt(end + 1)))) {
      return -1;
    }
    groupCount = closeGroup(groups, groupCount, groupDigits);
    if (international) {
      return digits >= 8 && digits <= 15 ? end : -1;
    }
    if (separators == 0) {
      return -1;
    }
    int g = 0;
    if (groupCount == 4 && groups[0] == 1) {
      g = 1; // a leading 1
    }
    return groupCount - g == 3 && groups[g] == 3 && groups[g + 1] == 3 && groups[g + 2] == 4 ? end : -1;
  }

  private static int closeGroup(int[] groups, int count, int digits) {
    if (digits > 0 && count < groups.length) {
      groups[count++] = digits;
    }
    return count;
  }

  // ---- words: secrets by their prefix, IBAN ----

  private static int word(CharSequence s, int i, Found f) {
    char c = s.charAt(i);
    int end;
    if (c == 's' && i >= f.keyRunEnd && startsWith(s, i, "sk-")) {
      boolean anthropic = startsWith(s, i, "sk-ant-");
      int from = i + (anthropic ? 7 : 3);
      end = runEnd(s, from, KEY_CHARS);
      if (end - from >= 20 && !wordCharAt(s, end) && digitAndLetter(s, from, end)) {
        return found(f, anthropic ? PiiType.ANTHROPIC_KEY : PiiType.OPENAI_KEY, i, end);
      }
      f.keyRunEnd = end;
    }
    if ((c == 'A' && (startsWith(s, i, "AKIA") || startsWith(s, i, "ASIA")))) {
      end = runEnd(s, i + 4, UPPER_DIGITS);
      if (end - (i + 4) == 16 && !wordCharAt(s, end)) {
        return found(f, PiiType.AWS_ACCESS_KEY, i, end);
      }
    }
    if (c == 'A' && startsWith(s, i, "AIza")) {
      end = runEnd(s, i + 4, KEY_CHARS);
      if (end - (i + 4) == 35 && !wordCharAt(s, end)) {
        return found(f, PiiType.GOOGLE_API_KEY, i, end);
      }
    }
    if (c == 'e' && i >= f.jwtRunEnd && startsWith(s, i, "eyJ")) {
      end = jwt(s, i, f);
      if (end > 0) {
        return found(f, PiiType.JWT, i, end);
      }
    }
    if ((c == 'B' || c == 'b') && (startsWithIgnoreCase(s, i, "bearer") || startsWithIgnoreCase(s, i, "basic"))) {
      boolean bearer = startsWithIgnoreCase(s, i, "bearer");
      int from = i + (bearer ? 6 : 5);
      int spaces = from;
      while (spaces < s.length() && (s.charAt(spaces) == ' ' || s.charAt(spaces) == '\t')) {
        spaces++;
      }
      if (spaces > from && spaces >= f.tokenRunEnd) {
        end = runEnd(s, spaces, TOKEN_CHARS);
        while (end < s.length() && s.charAt(end) == '=') {
          end++;
        }
        boolean token = bearer ? end - spaces >= 16 && digitAndLetter(s, spaces, end) : userColonPassword(s, spaces, end);
        if (token && !wordCharAt(s, end)) {
          return found(f, bearer ? PiiType.BEARER_TOKEN : PiiType.BASIC_CREDENTIALS, spaces, end);
        }
        f.tokenRunEnd = end;
      }
    }
    if (c >= 'A' && c <= 'Z') {
      end = iban(s, i);
      if (end > 0) {
        return found(f, PiiType.IBAN, i, end);
      }
    }
    if (hex(c)) {
      end = ipv6(s, i);
      if (end > 0) {
        return found(f, PiiType.IP_ADDRESS, i, end);
      }
    }
    return -1;
  }

  /** HTTP Basic credentials: base64 that decodes to printable {@code user:password} (so "Basic principles" is not). */
  private static boolean userColonPassword(CharSequence s, int from, int to) {
    int len = to - from;
    if (len < 8 || len % 4 != 0 || len > 1024) {
      return false;
    }
    try {
      byte[] decoded = java.util.Base64.getDecoder().decode(s.subSequence(from, to).toString());
      boolean colon = false;
      for (byte b : decoded) {
        if (b < 0x20 || b > 0x7e) {
          return false;
        }
        colon |= b == ':';
      }
      return colon;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Real keys mix digits and letters; a hyphenated word after {@code sk-} ("sk-learn-compatible") does not. */
  private static boolean digitAndLetter(CharSequence s, int from, int to) {
    boolean digit = false;
    boolean letter = false;
    for (int k = from; k < to && !(digit && letter); k++) {
      char c = s.charAt(k);
      digit |= digit(c);
      letter |= c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
    }
    return digit && letter;
  }

  private static boolean wordCharAt(CharSequence s, int p) {
    return p < s.length() && wordChar(s.charAt(p));
  }

  /** The end of the run of {@code kind} characters from {@code from}, however long. */
  private static int runEnd(CharSequence s, int from, int kind) {
    int p = from;
    while (p < s.length() && is(kind, s.charAt(p))) {
      p++;
    }
    return p;
  }

  private static final int KEY_CHARS = 1;
  private static final int UPPER_DIGITS = 2;
  private static final int TOKEN_CHARS = 3;
  private static final int BASE64URL = 4;

  private static boolean is(int kind, char c) {
    boolean alnum = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || digit(c);
    switch (kind) {
      case KEY_CHARS:
      case BASE64URL:
        return alnum || c == '_' || c == '-';
      case UPPER_DIGITS:
        return c >= 'A' && c <= 'Z' || digit(c);
      default: // TOKEN_CHARS, RFC 6750's b64token
        return alnum || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }
  }

  /**
   * Three base64url segments joined by dots, the header starting {@code eyJ} ("{\""); the
   * signature may be empty. On failure, where the run it read ended (see {@link Found}).
   */
  private static int jwt(CharSequence s, int i, Found f) {
    int n = s.length();
    int p = i;
    for (int segment = 0; segment < 3; segment++) {
      int start = p;
      p = runEnd(s, p, BASE64URL);
      if (segment < 2) {
        if (p - start < 10 || p >= n || s.charAt(p) != '.') {
          f.jwtRunEnd = p;
          return -1;
        }
        p++;
      }
    }
    if (p < n && wordChar(s.charAt(p))) {
      f.jwtRunEnd = p;
      return -1;
    }
    return p;
  }

  /**
   * Two capital letters, two check digits and 11 to 30 capitals or digits, compact or in groups of
   * four separated by single spaces; valid when mod 97 gives 1 (ISO 13616).
   */
  private static int iban(CharSequence s, int i) {
    int n = s.length();
    if (i + 4 > n || !upper(s.charAt(i + 1)) || !digit(s.charAt(i + 2)) || !digit(s.charAt(i + 3))) {
      return -1;
    }
    char[] compact = new char[34];
    int len = 0;
    int p = i;
    int lastGroupEnd = -1; // the end of the last complete group, when grouped
    int beforeLast = -1;
    int lenBeforeLast = 0;
    boolean grouped = false;
    while (p < n && len < 34) {
      int start = p;
      while (p < n && len < 34 && (upper(s.charAt(p)) || digit(s.charAt(p)))) {
        compact[len++] = s.charAt(p++);
      }
      int groupLen = p - start;
      if (p < n && wordChar(s.charAt(p))) {
        if (start == i) {
          return -1; // the first group runs into a word: no IBAN
        }
        // a later group runs into a word ("... 1332 Thanks"): the number ended before it
        len -= groupLen;
        break;
      }
      if (start == i && groupLen == 4 && p < n && s.charAt(p) == ' ') {
        grouped = true;
      }
      if (!grouped) {
        break;
      }
      beforeLast = lastGroupEnd;
      lenBeforeLast = len - groupLen;
      lastGroupEnd = p;
      if (groupLen != 4 || p + 1 >= n || s.charAt(p) != ' ' || !(upper(s.charAt(p + 1)) || digit(s.charAt(p + 1)))) {
        break;
      }
      p++;
    }
    if (!grouped) {
      return len >= 15 && mod97(compact, len) ? p : -1;
    }
    if (len >= 15 && mod97(compact, len)) {
      return lastGroupEnd;
    }
    // the last group may be a word that followed the number ("... 3000 FROM"): try without it
    return beforeLast > 0 && lenBeforeLast >= 15 && mod97(compact, lenBeforeLast) ? beforeLast : -1;
  }

  private static boolean mod97(char[] iban, int len) {
    int remainder = 0;
    for (int k = 0; k < len; k++) {
      char c = iban[(k + 4) % len];
      int v = digit(c) ? c - '0' : c - 'A' + 10;
      remainder = v >= 10 ? (remainder * 100 + v) % 97 : (remainder * 10 + v) % 97;
    }
    return remainder == 1;
  }

  // ---- e-mail ----

  /** The e-mail around the {@code @} at {@code at}: a local part back to {@code lastEnd} at most, and a dotted domain. */
  private static int email(CharSequence s, int at, int lastEnd, Found f) {
    int start = at;
    while (start > lastEnd && at - start < 64 && localChar(s.charAt(start - 1))) {
      start--;
    }
    while (start < at && s.charAt(start) == '.') {
      start++;
    }
    if (start == at || start > 0 && start > lastEnd && localChar(s.charAt(start - 1))) {
      return -1;
    }
    int n = s.length();
    int p = at + 1;
    int labels = 0;
    int lastLabelStart = -1;
    int end = -1;
    while (p < n) {
      int labelStart = p;
      while (p < n && p - labelStart < 64 && (alnum(s.charAt(p)) || s.charAt(p) == '-')) {
        p++;
      }
      if (p == labelStart) {
        break;
      }
      labels++;
      lastLabelStart = labelStart;
      end = p;
      if (p + 1 < n && s.charAt(p) == '.' && alnum(s.charAt(p + 1))) {
        p++;
      } else {
        break;
      }
    }
    if (labels < 2 || end - lastLabelStart < 2) {
      return -1;
    }
    for (int k = lastLabelStart; k < end; k++) {
      if (!(s.charAt(k) >= 'A' && s.charAt(k) <= 'Z' || s.charAt(k) >= 'a' && s.charAt(k) <= 'z')) {
        return -1; // a top-level domain is letters
      }
    }
    return found(f, PiiType.EMAIL, start, end);
  }

  private static boolean localChar(char c) {
    return alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-';
  }

  // ---- characters ----

  private static boolean startsWith(CharSequence s, int i, String prefix) {
    if (i + prefix.length() > s.length()) {
      return false;
    }
    for (int k = 0; k < prefix.length(); k++) {
      if (s.charAt(i + k) != prefix.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWithIgnoreCase(CharSequence s, int i, String lowerPrefix) {
    if (i + lowerPrefix.length() > s.length()) {
      return false;
    }
    for (int k = 0; k < lowerPrefix.length(); k++) {
      if (Character.toLowerCase(s.charAt(i + k)) != lowerPrefix.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  private static int num(CharSequence s, int from, int len) {
    int v = 0;
    for (int k = 0; k < len; k++) {
      v = v * 10 + s.charAt(from + k) - '0';
    }
    return v;
  }

  private static boolean digit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean upper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static boolean hex(char c) {
    return digit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  private static boolean alnum(char c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || digit(c);
  }

  /** Letters (any script), digits and underscore: what may not touch a match's edges. */
  private static boolean wordChar(char c) {
    if (c < 128) {
      return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
    }
    return Character.isLetterOrDigit(c);
  }
}
