package io.tracelight.core.protocol.bedrock;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.ResponseView;
import java.util.Arrays;
import java.util.List;

/** The response headers Bedrock answers with: request id, error type, InvokeModel's token counts. */
final class BedrockHeaders {
  static final String REQUEST_ID = "x-amzn-requestid";
  static final String ERROR_TYPE = "x-amzn-errortype";
  static final String INPUT = "x-amzn-bedrock-input-token-count";
  static final String OUTPUT = "x-amzn-bedrock-output-token-count";
  static final String CACHE_READ = "x-amzn-bedrock-cache-read-input-token-count";
  static final String CACHE_WRITE = "x-amzn-bedrock-cache-write-input-token-count";
  static final List<String> ALL = Arrays.asList(REQUEST_ID, ERROR_TYPE, INPUT, OUTPUT, CACHE_READ, CACHE_WRITE);

  private BedrockHeaders() {}

  /** The request id is the response's id on Bedrock (Converse bodies carry none). */
  static void requestId(ResponseView response, AiCall call) {
    String id = response.header(REQUEST_ID);
    if (id != null) {
      call.set(Keys.RESPONSE_ID, id);
    }
  }

  /** {@code ThrottlingException:http://internal.amazon.com/...}: the part before the colon. */
  static String errorType(ResponseView response) {
    String type = response.header(ERROR_TYPE);
    if (type == null) {
      return null;
    }
    int colon = type.indexOf(':');
    return colon > 0 ? type.substring(0, colon) : type;
  }

  /** Token counts from the headers, for a body that carried none. */
  static void usage(ResponseView response, Usage usage) {
    usage.input = or(usage.input, number(response.header(INPUT)));
    usage.output = or(usage.output, number(response.header(OUTPUT)));
    usage.cacheRead = or(usage.cacheRead, number(response.header(CACHE_READ)));
    usage.cacheWrite = or(usage.cacheWrite, number(response.header(CACHE_WRITE)));
  }

  private static Long or(Long a, Long b) {
    return a != null ? a : b;
  }

  private static Long number(String value) {
    try {
      return value == null ? null : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
