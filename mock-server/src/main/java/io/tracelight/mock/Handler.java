package io.tracelight.mock;

import java.io.IOException;

/** One provider's wire protocol: its paths, its answers and its error envelope. */
abstract class Handler {
  /** The errors every protocol can answer, each in its provider's envelope. */
  enum Failure { NO_ENDPOINT, BAD_REQUEST, NO_MODEL, RATE_LIMIT, SERVER, OVERLOADED }

  static final byte[] NON_UTF8 = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xff, (byte) 0xfe, (byte) 0xc3, '"', '}'};

  abstract void handle(Call c) throws IOException;

  /** Sends an error in this provider's envelope; a null message picks the usual one for the failure. */
  abstract void fail(Call c, Failure failure, String message) throws IOException;

  /**
   * Answers the misbehaving models that need no answer of their own (errors, an empty body,
   * bytes that are not UTF-8); true when the request is done.
   */
  final boolean misbehaved(Call c, String contentType) throws IOException {
    switch (c.special) {
      case NO_SUCH_MODEL:
        fail(c, Failure.NO_MODEL, null);
        return true;
      case ERROR_500:
        fail(c, Failure.SERVER, null);
        return true;
      case ERROR_429:
        fail(c, Failure.RATE_LIMIT, null);
        return true;
      case OVERLOADED:
        fail(c, Failure.OVERLOADED, null);
        return true;
      case EMPTY:
        c.send(200, contentType, new byte[0]);
        return true;
      case NON_UTF8:
        c.send(200, contentType, NON_UTF8);
        return true;
      default:
        return false;
    }
  }
}
