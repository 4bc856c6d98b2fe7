package io.tracelight.core.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.protocol.Json;
import java.io.IOException;
import java.time.Instant;

/** What the report reads of one record of {@code calls.jsonl}. Mutable, reused line after line by one thread. */
final class CallLine {
  long epochNanos;
  double durationMs;
  boolean error;
  String provider;
  String model;
  String version;
  String deployment;
  String systemHash;
  double firstChunkSeconds;
  long inputTokens;
  long outputTokens;
  double cost;
  boolean refusal;
  String inputHash;
  String outputHash;
  String predictedClass;

  void clear() {
    epochNanos = 0;
    durationMs = Double.NaN;
    error = false;
    provider = null;
    model = null;
    version = null;
    deployment = null;
    systemHash = null;
    firstChunkSeconds = Double.NaN;
    inputTokens = -1;
    outputTokens = -1;
    cost = Double.NaN;
    refusal = false;
    inputHash = null;
    outputHash = null;
    predictedClass = null;
  }

  /** Reads one JSON object line; false when it is not one (a torn last line, say). */
  boolean read(byte[] line, int length) {
    clear();
    String requestModel = null;
    String responseModel = null;
    String genAiProvider = null;
    String runtime = null;
    String modelName = null;
    try (JsonParser p = Json.parser(line, 0, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.getCurrentName();
        JsonToken t = p.nextToken();
        switch (name) {
          case "timestamp":
            Instant at = Instant.parse(p.getText());
            epochNanos = at.getEpochSecond() * 1_000_000_000L + at.getNano();
            break;
          case "duration_ms":
            durationMs = p.getDoubleValue();
            break;
          case "status":
            error = "error".equals(p.getText());
            break;
          case "gen_ai.provider.name":
            genAiProvider = p.getText();
            break;
          case "gen_ai.request.model":
            requestModel = p.getText();
            break;
          case "gen_ai.response.model":
            responseModel = p.getText();
            break;
          case "ai.model.runtime":
            runtime = p.getText();
            break;
          case "ai.model.name":
            modelName = p.getText();
            break;
          case "ai.model.version":
            version = p.getText();
            break;
          case "ai.deployment":
            deployment = p.getText();
            break;
          case "ai.prompt.system_hash":
            systemHash = p.getText();
            break;
          case "gen_ai.response.time_to_first_chunk":
            firstChunkSeconds = p.getDoubleValue();
            break;
          case "gen_ai.usage.input_tokens":
            inputTokens = p.getLongValue();
            break;
          case "gen_ai.usage.output_tokens":
            outputTokens = p.getLongValue();
            break;
          case "ai.cost.usd":
            cost = p.getDoubleValue();
            break;
          case "ai.output.refusal":
            refusal = t == JsonToken.VALUE_TRUE;
            break;
          case "ai.input.hash":
            inputHash = p.getText();
            break;
          case "ai.output.hash":
            outputHash = p.getText();
            break;
          case "ai.prediction.class":
            predictedClass = p.getText();
            break;
          default:
            p.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      return false;
    }
    if (runtime != null) {
      provider = runtime;
      model = modelName == null ? "unknown" : modelName;
    } else {
      provider = genAiProvider == null ? "unknown" : genAiProvider;
      model = requestModel != null ? requestModel : responseModel == null ? "unknown" : responseModel;
    }
    return epochNanos != 0;
  }

  /** The subject this call belongs to, as the drift stage groups calls. */
  String subjectKey() {
    return provider + '\u0000' + model + '\u0000' + version + '\u0000' + deployment + '\u0000' + systemHash;
  }
}
