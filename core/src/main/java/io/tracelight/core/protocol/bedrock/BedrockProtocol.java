package io.tracelight.core.protocol.bedrock;

import com.fasterxml.jackson.core.JsonParser;
import com.google.auto.service.AutoService;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Protocol;
import io.tracelight.core.protocol.RequestView;
import io.tracelight.core.protocol.ResponseView;
import io.tracelight.core.protocol.StreamDecoder;
import io.tracelight.core.protocol.anthropic.AnthropicMessages;
import java.io.IOException;
import java.util.List;

/**
 * AWS Bedrock Runtime: {@code POST /model/{modelId}/converse}, {@code /converse-stream},
 * {@code /invoke} and {@code /invoke-with-response-stream}. The model id (an id, an
 * inference profile like {@code us.anthropic...}, or an ARN) comes from the path, percent-decoded;
 * its family picks how InvokeModel bodies read. Streams are AWS event-stream frames. The
 * response id is the {@code x-amzn-RequestId} header; errors name their type in
 * {@code x-amzn-ErrorType}. SigV4 headers and presigned {@code X-Amz-*} parameters are secrets.
 */
@AutoService(Protocol.class)
public final class BedrockProtocol implements Protocol {
  @Override
  public String name() {
    return "bedrock";
  }

  @Override
  public String defaultProvider() {
    return "aws.bedrock";
  }

  @Override
  public List<String> responseHeaders() {
    return BedrockHeaders.ALL;
  }

  @Override
  public boolean matches(RequestView request) {
    return "POST".equals(request.method()) && BedrockModel.operation(request.path()) != null;
  }

  @Override
  public void decodeRequest(RequestView request, byte[] body, int length, boolean complete, AiCall call)
      throws IOException {
    BedrockModel.Operation op = BedrockModel.operation(request.path());
    String model = BedrockModel.id(request.path());
    boolean converse = op == BedrockModel.Operation.CONVERSE || op == BedrockModel.Operation.CONVERSE_STREAM;
    call.set(Keys.OPERATION, converse ? "chat" : BedrockModel.defaultOperation(model));
    call.set(Keys.REQUEST_MODEL, model);
    call.set(Keys.STREAM, op.streams());
    if (body == null) {
      return;
    }
    if (!converse && BedrockModel.family(model).equals("anthropic")) {
      AnthropicMessages.decodeRequest(body, length, call);
      call.set(Keys.STREAM, op.streams());
    } else {
      NativeBodies.request(body, length, BedrockModel.embeds(model), call);
    }
  }

  @Override
  public StreamDecoder streamDecoder(RequestView request, ResponseView response, int maxEventBytes) {
    BedrockModel.Operation op = BedrockModel.operation(request.path());
    if (!op.streams()) {
      return null;
    }
    boolean anthropic = BedrockModel.family(BedrockModel.id(request.path())).equals("anthropic");
    return new BedrockStreams(op == BedrockModel.Operation.INVOKE_STREAM, anthropic,
        response.header(BedrockHeaders.REQUEST_ID), maxEventBytes);
  }

  @Override
  public void decodeResponse(RequestView request, ResponseView response, byte[] body, int length, AiCall call)
      throws IOException {
    BedrockModel.Operation op = BedrockModel.operation(request.path());
    String model = BedrockModel.id(request.path());
    if (op == BedrockModel.Operation.INVOKE && BedrockModel.family(model).equals("anthropic")) {
      AnthropicMessages.decodeResponse(body, length, call);
      if (!call.has(Keys.INPUT_TOKENS)) {
        Usage usage = new Usage();
        BedrockHeaders.usage(response, usage);
        usage.writeTo(call);
      }
    } else {
      NativeBodies.Reader reader = new NativeBodies.Reader();
      try (JsonParser p = Json.parser(body, 0, length)) {
        p.nextToken();
        reader.read(p);
        Json.expectEnd(p);
      }
      BedrockHeaders.usage(response, reader.usage); // Mistral and Cohere Embed count only in headers
      reader.finish(call);
    }
    BedrockHeaders.requestId(response, call);
  }

  @Override
  public void decodeError(RequestView request, ResponseView response, byte[] body, int length, AiCall call) {
    String type = BedrockHeaders.errorType(response);
    if (type != null) {
      call.fail(type);
    }
    BedrockHeaders.requestId(response, call);
  }
}
