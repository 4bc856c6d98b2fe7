package io.tracelight.core.protocol;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.AttributeKey;
import java.io.IOException;
import java.util.Collections;
import java.util.List;

/**
 * One AI wire protocol. Pure code: no agent state, no Byte Buddy, no network. Found through
 * {@link java.util.ServiceLoader} (a public no-argument constructor, listed in
 * {@code META-INF/services/io.tracelight.core.protocol.Protocol}), so a new provider is one
 * package and touches no other file.
 *
 * <p>Threads: {@link #matches} runs on the application's thread for every request and must be
 * cheap and allocation-free. {@link #streamDecoder} may run on the thread reading a long stream.
 * Everything else runs on the agent's pipeline thread. Implementations are stateless; per-call
 * state lives in the {@link AiCall} and in the {@link StreamDecoder}s they create.
 */
public interface Protocol {
  /** A short stable name for logs and tests, e.g. {@code openai.chat}. */
  String name();

  /**
   * {@code gen_ai.provider.name} when neither the URL nor a host table names one (see
   * {@link ProviderHosts}); a protocol sets {@code Keys.PROVIDER} itself only when the URL proves it.
   */
  String defaultProvider();

  /** HTTP methods of the requests it may match; a request with another method is passed by unread. */
  default List<String> methods() {
    return Collections.singletonList("POST");
  }

  /** True when this protocol decodes the request. */
  boolean matches(RequestView request);

  /** Query parameters the protocol reads through {@link RequestView#queryParameter}. */
  default List<String> queryParameters() {
    return Collections.emptyList();
  }

  /** Request headers the protocol reads through {@link RequestView#header}. */
  default List<String> requestHeaders() {
    return Collections.emptyList();
  }

  /** Response headers the protocol reads through {@link ResponseView#header}. */
  default List<String> responseHeaders() {
    return Collections.emptyList();
  }

  /** Attributes of its own (beyond {@link io.tracelight.core.model.Keys}), for docs/schema.md. */
  default List<AttributeKey<?>> attributes() {
    return Collections.emptyList();
  }

  /**
   * Sets the operation (and the provider, when the URL proves it) and whatever the path says (a
   * model, a deployment), then
   * reads the request body. {@code body} is null when it was not captured; {@code complete} is
   * false when it is only the body's first part: read what it holds, and set nothing (a hash)
   * that the missing part could change. May call {@link AiCall#notAiCall()}.
   */
  void decodeRequest(RequestView request, byte[] body, int length, boolean complete, AiCall call)
      throws IOException;

  /**
   * The incremental decoder for a successful response when it is streamed (the protocol's own
   * framing), or null when the response is one whole body. It must depend only on the two views,
   * never on the request body, because it may be made on the reading thread before the request is
   * decoded.
   */
  StreamDecoder streamDecoder(RequestView request, ResponseView response, int maxEventBytes);

  /** Reads a whole successful (2xx) response body. */
  void decodeResponse(RequestView request, ResponseView response, byte[] body, int length, AiCall call)
      throws IOException;

  /**
   * Reads an error (non-2xx) response: sets {@code error.type} from the provider's error type when
   * the body or a header gives one (the caller falls back to the status code). {@code body} may be
   * null or cut.
   */
  void decodeError(RequestView request, ResponseView response, byte[] body, int length, AiCall call)
      throws IOException;
}
