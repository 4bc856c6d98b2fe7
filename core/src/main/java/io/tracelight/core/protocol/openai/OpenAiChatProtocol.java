package io.tracelight.core.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Protocol;
import io.tracelight.core.protocol.ProviderHosts;
import io.tracelight.core.protocol.Sha256;
import io.tracelight.core.protocol.StreamDecoder;
import java.io.IOException;

/**
 * OpenAI Chat Completions ({@code POST .../chat/completions}), recognised by path so that the same
 * decoder serves api.openai.com and every OpenAI-compatible server (vLLM, Ollama's /v1, LM Studio,
 * llama.cpp, Azure OpenAI deployments).
 */
public final class OpenAiChatProtocol implements Protocol {
  private static final String PATH_SUFFIX = "/chat/completions";
  private final ProviderHosts hosts;
  private final int maxLine;

  public OpenAiChatProtocol(ProviderHosts hosts, int maxLine) {
    this.hosts = hosts;
    this.maxLine = maxLine;
  }

  @Override
  public String operation() {
    return "chat";
  }

  @Override
  public boolean matches(String method, String path) {
    return path.endsWith(PATH_SUFFIX) && "POST".equals(method);
  }

  @Override
  public String provider(String host) {
    return hosts.providerFor(host, "openai_compatible");
  }

  @Override
  public void decodeRequest(byte[] body, int length, AiCall call) throws IOException {
    Sha256 system = new Sha256();
    StringBuilder scratch = new StringBuilder();
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "model":
            call.requestModel = Json.string(p);
            break;
          case "temperature":
            call.temperature = Json.number(p);
            break;
          case "top_p":
            call.topP = Json.number(p);
            break;
          case "max_completion_tokens":
            call.maxTokens = Json.integer(p);
            break;
          case "max_tokens":
            if (call.maxTokens == null) {
              call.maxTokens = Json.integer(p);
            } else {
              p.skipChildren();
            }
            break;
          case "stream":
            call.stream = Json.bool(p);
            break;
          case "messages":
            readMessages(p, system, scratch);
            break;
          default:
            p.skipChildren();
        }
      }
    }
    if (call.stream == null) {
      call.stream = Boolean.FALSE;
    }
    if (system.used()) {
      call.systemHash = system.hex();
    }
  }

  /** Hashes the text of the system and developer messages, joined by newlines, in order. */
  private static void readMessages(JsonParser p, Sha256 system, StringBuilder content)
      throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    boolean first = !system.used();
    while (p.nextToken() == JsonToken.START_OBJECT) {
      String role = null;
      content.setLength(0);
      boolean hasContent = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("role")) {
          role = Json.string(p);
        } else if (field.equals("content")) {
          hasContent = readContent(p, content);
        } else {
          p.skipChildren();
        }
      }
      if (hasContent && ("system".equals(role) || "developer".equals(role))) {
        if (!first) {
          system.update("\n");
        }
        system.update(content.toString());
        first = false;
      }
    }
  }

  /** Content is a string or an array of parts; text parts are concatenated. */
  private static boolean readContent(JsonParser p, StringBuilder out) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      out.append(p.getText());
      return true;
    }
    if (t != JsonToken.START_ARRAY) {
      p.skipChildren();
      return false;
    }
    boolean any = false;
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() == JsonToken.VALUE_STRING) {
        out.append(p.getText());
        any = true;
        continue;
      }
      if (p.currentToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      String type = null;
      String text = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("type")) {
          type = Json.string(p);
        } else if (field.equals("text")) {
          text = Json.string(p);
        } else {
          p.skipChildren();
        }
      }
      if (text != null && (type == null || "text".equals(type))) {
        out.append(text);
        any = true;
      }
    }
    return any;
  }

  @Override
  public void decodeResponse(byte[] body, int length, AiCall call) throws IOException {
    FirstChoice first = new FirstChoice(call);
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      OpenAiFields.completion(p, call, "message", first);
      Json.expectEnd(p);
    }
    if (first.text != null) {
      call.outputHash = Sha256.of(first.text);
    }
  }

  /** Collects finish reasons in order and keeps the text of the lowest-index choice. */
  private static final class FirstChoice implements OpenAiFields.ChoiceVisitor {
    private final AiCall call;
    private long lowestIndex = Long.MAX_VALUE;
    String text;

    FirstChoice(AiCall call) {
      this.call = call;
    }

    @Override
    public void choice(long index, String finishReason, String content) {
      if (finishReason != null) {
        call.finishReasons.add(finishReason);
      }
      if (index < lowestIndex) {
        lowestIndex = index;
        text = content;
      }
    }
  }

  @Override
  public StreamDecoder newStreamDecoder() {
    return new OpenAiStreamDecoder(maxLine);
  }
}
