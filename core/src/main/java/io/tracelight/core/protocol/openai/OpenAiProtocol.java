package io.tracelight.core.protocol.openai;

import com.google.auto.service.AutoService;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Paths;
import io.tracelight.core.protocol.Protocol;
import io.tracelight.core.protocol.RequestView;
import io.tracelight.core.protocol.ResponseView;
import io.tracelight.core.protocol.StreamDecoder;
import java.io.IOException;
import java.util.Collections;
import java.util.List;

/**
 * The OpenAI REST API and every server that speaks it (vLLM, Ollama's /v1, LM Studio, llama.cpp,
 * Groq, DeepSeek, ...): Chat Completions, Responses, Embeddings and legacy Completions, recognised
 * by the end of the path, so any base URL works. Azure OpenAI's deployment paths
 * ({@code /openai/deployments/{d}/...}, with {@code api-version}) and v1 paths are the same bodies.
 */
@AutoService(Protocol.class)
public final class OpenAiProtocol implements Protocol {
  private static final String DEPLOYMENTS = "/openai/deployments/";

  @Override
  public String name() {
    return "openai";
  }

  @Override
  public String defaultProvider() {
    return "openai_compatible";
  }

  @Override
  public List<String> queryParameters() {
    return Collections.singletonList("api-version");
  }

  @Override
  public boolean matches(RequestView request) {
    return Operation.of(request.path()) != null && "POST".equals(request.method());
  }

  @Override
  public void decodeRequest(RequestView request, byte[] body, int length, boolean complete, AiCall call)
      throws IOException {
    Operation op = Operation.of(request.path());
    call.set(Keys.OPERATION, op.semconvName);
    String deployment = deployment(request.path());
    if (deployment != null || request.queryParameter("api-version") != null) {
      call.set(Keys.PROVIDER, "azure.ai.openai");
    }
    if (op == Operation.EMBEDDINGS) {
      call.set(Keys.STREAM, Boolean.FALSE);
    }
    if (body != null) {
      try {
        op.decodeRequest(body, length, complete, call);
      } catch (IOException e) {
        if (complete && deployment == null && !Json.startsAsObject(body, length)) {
          call.notAiCall(); // not even JSON: an app's own endpoint that happens to end the same way
          return;
        }
        throw e;
      }
      // some servers take requests without a model; none without the operation's input
      if (complete && deployment == null && !call.has(Keys.REQUEST_MODEL)
          && !Json.hasTopLevelMember(body, length, op.inputField)) {
        call.notAiCall();
        return;
      }
    }
    if (deployment != null) {
      call.setIfAbsent(Keys.REQUEST_MODEL, deployment); // Azure names the deployment, not the model
    }
  }

  /** The deployment of an Azure path {@code /openai/deployments/{d}/...}, or null. */
  static String deployment(String path) {
    return Paths.segmentAfter(path, DEPLOYMENTS, false);
  }

  @Override
  public StreamDecoder streamDecoder(RequestView request, ResponseView response, int maxEventBytes) {
    if (!isEventStream(response.contentType())) {
      return null;
    }
    return Operation.of(request.path()).newStreamDecoder(maxEventBytes);
  }

  static boolean isEventStream(String contentType) {
    return contentType != null && contentType.regionMatches(true, 0, "text/event-stream", 0, 17);
  }

  @Override
  public void decodeResponse(RequestView request, ResponseView response, byte[] body, int length, AiCall call)
      throws IOException {
    Operation.of(request.path()).decodeResponse(body, length, call);
  }

  @Override
  public void decodeError(RequestView request, ResponseView response, byte[] body, int length, AiCall call)
      throws IOException {
    if (body != null && length > 0) {
      OpenAiFields.errorBody(body, length, call);
    }
  }

  /** The operations, by the end of their path, each with its decoders (switches, not lambdas: each lambda costs start-up time). */
  enum Operation {
    CHAT("/chat/completions", "chat", "messages"),
    RESPONSES("/responses", "chat", "input"),
    EMBEDDINGS("/embeddings", "embeddings", "input"),
    COMPLETIONS("/completions", "text_completion", "prompt");

    final String suffix;
    final String semconvName;
    /** The member every request of the operation has (besides a model, which some servers do without). */
    final String inputField;

    Operation(String suffix, String semconvName, String inputField) {
      this.suffix = suffix;
      this.semconvName = semconvName;
      this.inputField = inputField;
    }

    void decodeRequest(byte[] body, int length, boolean complete, AiCall call) throws IOException {
      switch (this) {
        case CHAT:
          ChatCompletions.decodeRequest(body, length, complete, call);
          break;
        case RESPONSES:
          Responses.decodeRequest(body, length, complete, call);
          break;
        case EMBEDDINGS:
          Embeddings.decodeRequest(body, length, complete, call);
          break;
        default:
          Completions.decodeRequest(body, length, complete, call);
      }
    }

    void decodeResponse(byte[] body, int length, AiCall call) throws IOException {
      switch (this) {
        case CHAT:
          ChatCompletions.decodeResponse(body, length, call);
          break;
        case RESPONSES:
          Responses.decodeResponse(body, length, call);
          break;
        case EMBEDDINGS:
          Embeddings.decodeResponse(body, length, call);
          break;
        default:
          Completions.decodeResponse(body, length, call);
      }
    }

    /** Null for embeddings, which never stream. */
    StreamDecoder newStreamDecoder(int maxEventBytes) {
      switch (this) {
        case CHAT:
          return new ChatCompletions.Stream(maxEventBytes);
        case RESPONSES:
          return new Responses.Stream(maxEventBytes);
        case EMBEDDINGS:
          return null;
        default:
          return new Completions.Stream(maxEventBytes);
      }
    }

    /** The operation a path ends with, or null. Allocation-free: runs for every request. */
    static Operation of(String path) {
      if (path == null) {
        return null;
      }
      String p = path;
      int end = p.length();
      if (end > 0 && p.charAt(end - 1) == '/') {
        end--; // a trailing slash some clients add
      }
      if (endsWith(p, end, "/chat/completions")) {
        return CHAT;
      }
      if (endsWith(p, end, "/completions")) {
        return COMPLETIONS;
      }
      if (endsWith(p, end, "/responses")) {
        return RESPONSES;
      }
      if (endsWith(p, end, "/embeddings") && !p.startsWith("/api/embeddings")) { // that one is Ollama's
        return EMBEDDINGS;
      }
      return null;
    }

    private static boolean endsWith(String s, int end, String suffix) {
      return end >= suffix.length() && s.regionMatches(end - suffix.length(), suffix, 0, suffix.length());
    }
  }
}
