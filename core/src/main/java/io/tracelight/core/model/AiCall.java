package io.tracelight.core.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One AI call, decoded: the typed fields every exporter reads. Filled on an agent thread by the
 * protocol decoders and {@code CallProcessor}; never shared while being filled. Absent values are
 * null (or 0 / -1 where stated) and are left out of every record.
 */
public final class AiCall {
  // envelope
  public long startEpochNanos;
  public long durationNanos;
  public String traceId;
  public String spanId;
  public boolean error;

  // gen_ai.*
  public String operation;
  public String provider;
  public String requestModel;
  public String responseModel;
  public String responseId;
  public final List<String> finishReasons = new ArrayList<>(2);
  public Double temperature;
  public Double topP;
  public Long maxTokens;
  public Boolean stream;
  public Long inputTokens;
  public Long outputTokens;
  public Long cacheReadInputTokens;
  public Long reasoningOutputTokens;
  /** Time to first chunk of a streamed response, or -1. */
  public long timeToFirstChunkNanos = -1;
  public String serverAddress;
  public int serverPort = -1;
  /** HTTP status code, or 0 when no response arrived. */
  public int httpStatus;
  public String errorType;

  // ai.*
  public String systemHash;
  public String outputHash;
  public String instrumentation;
  public boolean captureTruncated;

  /** {@code "{operation} {model}"}, the span name the semantic conventions give. */
  public String name() {
    String model = requestModel != null ? requestModel : responseModel;
    return model == null ? operation : operation + " " + model;
  }

  /** Marks the call failed; the first reason given wins. */
  public void fail(String type) {
    error = true;
    if (errorType == null) {
      errorType = type;
    }
  }
}
