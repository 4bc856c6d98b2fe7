package io.tracelight.core.protocol.gemini;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Sha256;
import java.io.IOException;

/** Gemini request bodies: {@code GenerateContentRequest} and the embedding requests. */
final class GeminiRequests {
  private GeminiRequests() {}

  /** {@code systemInstruction} (parts joined by newlines), {@code generationConfig}, tools. */
  static void generate(byte[] body, int length, AiCall call) throws IOException {
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "systemInstruction":
          case "system_instruction":
            call.set(Keys.SYSTEM_HASH, systemHash(p, call));
            break;
          case "contents":
            io.tracelight.core.protocol.TextParts.messages(p, "parts", call.content());
            break;
          case "generationConfig":
          case "generation_config":
            generationConfig(p, call);
            break;
          case "tools":
            long functions = functionDeclarations(p, call);
            if (functions > 0) {
              call.set(Keys.REQUEST_TOOLS, functions);
            }
            break;
          default:
            p.skipChildren();
        }
      }
    }
  }

  private static String systemHash(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    Sha256.Joined joined = new Sha256.Joined();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (!field.equals("parts") || p.currentToken() != JsonToken.START_ARRAY) {
        p.skipChildren();
        continue;
      }
      while (p.nextToken() == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String part = p.currentName();
          p.nextToken();
          if (part.equals("text")) {
            String text = Json.string(p);
            if (text != null) {
              joined.add(text);
              call.content().system(text);
            }
          } else {
            p.skipChildren();
          }
        }
      }
    }
    return joined.hexOrNull();
  }

  private static void generationConfig(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "temperature":
          call.set(Keys.TEMPERATURE, Json.number(p));
          break;
        case "topP":
          call.set(Keys.TOP_P, Json.number(p));
          break;
        case "topK":
          call.set(Keys.TOP_K, Json.number(p));
          break;
        case "maxOutputTokens":
          call.set(Keys.MAX_TOKENS, Json.integer(p));
          break;
        case "candidateCount":
          Long n = Json.integer(p);
          if (n != null && n != 1) {
            call.set(Keys.CHOICE_COUNT, n);
          }
          break;
        case "seed":
          call.set(Keys.SEED, Json.integer(p));
          break;
        case "presencePenalty":
          call.set(Keys.PRESENCE_PENALTY, Json.number(p));
          break;
        case "frequencyPenalty":
          call.set(Keys.FREQUENCY_PENALTY, Json.number(p));
          break;
        case "responseMimeType":
        case "response_mime_type":
          if ("application/json".equals(Json.string(p))) {
            call.facts().jsonRequested = true;
          }
          break;
        case "responseSchema":
        case "response_schema":
        case "responseJsonSchema":
        case "response_json_schema":
          call.facts().answerRequired = io.tracelight.core.protocol.ToolSchemas.required(p);
          break;
        default:
          p.skipChildren();
      }
    }
  }

  /** Function declarations across every tool entry (built-in tools like search are not functions). */
  private static long functionDeclarations(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return 0;
    }
    long n = 0;
    while (p.nextToken() == JsonToken.START_OBJECT) {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("functionDeclarations") || field.equals("function_declarations")) {
          n += io.tracelight.core.protocol.ToolSchemas.read(p, call.facts());
        } else {
          p.skipChildren();
        }
      }
    }
    return n;
  }

  /** {@code :embedContent} (one input), {@code :batchEmbedContents} ({@code requests}), Vertex {@code :predict} ({@code instances}). */
  static void embed(byte[] body, int length, AiCall call) throws IOException {
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "content":
            call.set(Keys.EMBEDDING_INPUTS, 1L);
            p.skipChildren();
            break;
          case "requests":
          case "instances":
            call.set(Keys.EMBEDDING_INPUTS, Json.countArray(p));
            break;
          case "outputDimensionality":
            call.set(Keys.EMBEDDING_DIMENSIONS, Json.integer(p));
            break;
          case "parameters":
          case "embedContentConfig":
            call.setIfAbsent(Keys.EMBEDDING_DIMENSIONS, Json.integerMember(p, "outputDimensionality"));
            break;
          default:
            p.skipChildren();
        }
      }
    }
  }

}
