package io.tracelight.core.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Sha256;
import io.tracelight.core.protocol.SseEventHandler;
import io.tracelight.core.protocol.SseParser;
import io.tracelight.core.protocol.StreamDecoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A streamed chat completion ({@code chat.completion.chunk} events, then {@code [DONE]}). Keeps
 * the id, model, finish reasons, usage (sent in a last chunk with empty choices when the request
 * asked for {@code stream_options.include_usage}) and a running hash of choice 0's deltas.
 */
final class OpenAiStreamDecoder implements StreamDecoder, SseEventHandler, OpenAiFields.ChoiceVisitor {
  private final SseParser sse;
  private final AiCall aggregate = new AiCall();
  private final Sha256 output = new Sha256();
  private final List<Long> finishedChoices = new ArrayList<>(1);
  private boolean done;
  private int malformedEvents;

  OpenAiStreamDecoder(int maxLine) {
    this.sse = new SseParser(this, maxLine);
  }

  @Override
  public void feed(byte[] bytes, int offset, int length) {
    sse.feed(bytes, offset, length);
  }

  @Override
  public void feed(ByteBuffer buffer) {
    sse.feed(buffer);
  }

  @Override
  public boolean sawEnd() {
    return done || !finishedChoices.isEmpty();
  }

  @Override
  public void onEvent(String event, byte[] data, int length) {
    if (length == 6 && data[0] == '[' && data[1] == 'D' && data[5] == ']') {
      done = true; // "[DONE]"
      return;
    }
    try (JsonParser p = Json.parser(data, 0, length)) {
      p.nextToken();
      OpenAiFields.completion(p, aggregate, "delta", this);
    } catch (IOException | RuntimeException e) {
      malformedEvents++;
    }
  }

  /** One choice of one chunk: its delta joins the running hash (choice 0), its finish is kept. */
  @Override
  public void choice(long index, String finishReason, String content) {
    if (content != null && index == 0) {
      output.update(content);
    }
    if (finishReason != null && !finishedChoices.contains(index)) {
      finishedChoices.add(index);
      aggregate.finishReasons.add(finishReason);
    }
  }

  @Override
  public void finish(AiCall call) {
    // An event cut off by the end of the body is a truncation, not malformed JSON: the caller
    // reports it from sawEnd(), so only complete events count as malformed.
    int malformedCompleteEvents = malformedEvents;
    sse.finish();
    call.responseId = aggregate.responseId;
    call.responseModel = aggregate.responseModel;
    call.finishReasons.addAll(aggregate.finishReasons);
    call.inputTokens = aggregate.inputTokens;
    call.outputTokens = aggregate.outputTokens;
    call.cacheReadInputTokens = aggregate.cacheReadInputTokens;
    call.reasoningOutputTokens = aggregate.reasoningOutputTokens;
    if (output.used()) {
      call.outputHash = output.hex();
    }
    if (aggregate.error) {
      call.fail(aggregate.errorType);
    }
    if (malformedCompleteEvents > 0) {
      call.fail("malformed_response");
    }
    if (sse.skippedLines() > 0) {
      call.captureTruncated = true;
    }
  }
}
