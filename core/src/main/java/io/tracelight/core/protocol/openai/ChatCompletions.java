package io.tracelight.core.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Sha256;
import io.tracelight.core.protocol.StreamDecoder;
import io.tracelight.core.protocol.TextParts;
import io.tracelight.core.protocol.framing.SseEventHandler;
import io.tracelight.core.protocol.framing.SseParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Chat Completions ({@code POST .../chat/completions}): request, whole response, SSE stream. */
final class ChatCompletions {
  private ChatCompletions() {}

  static void decodeRequest(byte[] body, int length, boolean complete, AiCall call) throws IOException {
    Long maxCompletionTokens = null;
    Long maxTokens = null;
    boolean includeUsage = false;
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      Json.expectObject(p);
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (OpenAiFields.samplingParameter(field, p, call)) {
          continue;
        }
        switch (field) {
          case "max_completion_tokens":
            maxCompletionTokens = Json.integer(p);
            break;
          case "max_tokens":
            maxTokens = Json.integer(p);
            break;
          case "messages":
            String hash = messages(p, call);
            if (hash != null) {
              call.set(Keys.SYSTEM_HASH, hash);
            }
            break;
          case "stream_options":
            includeUsage = OpenAiFields.includesUsage(p);
            break;
          default:
            p.skipChildren();
        }
      }
    } finally {
      call.set(Keys.MAX_TOKENS, maxCompletionTokens != null ? maxCompletionTokens : maxTokens);
      call.setIfAbsent(Keys.STREAM, Boolean.FALSE);
    }
    if (complete && Boolean.TRUE.equals(call.get(Keys.STREAM)) && !includeUsage) {
      call.estimatedInputTokens = promptTokens(body, length, call.get(Keys.REQUEST_MODEL));
    }
  }

  /**
   * The prompt's tokens as OpenAI counts chat messages, for a stream that will carry no usage
   * (read again only then); -1 when the model's tokenizer is not known.
   */
  private static long promptTokens(byte[] body, int length, String model) throws IOException {
    com.knuddels.jtokkit.api.Encoding encoding = io.tracelight.core.protocol.TokenEstimator.forModel(model);
    if (encoding == null) {
      return -1;
    }
    io.tracelight.core.protocol.TokenEstimator.ChatPrompt prompt =
        new io.tracelight.core.protocol.TokenEstimator.ChatPrompt(encoding);
    StringBuilder content = new StringBuilder();
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (!field.equals("messages") || p.currentToken() != JsonToken.START_ARRAY) {
          p.skipChildren();
          continue;
        }
        while (p.nextToken() == JsonToken.START_OBJECT) {
          String role = null;
          String name = null;
          content.setLength(0);
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            if (f.equals("role")) {
              role = Json.string(p);
            } else if (f.equals("name")) {
              name = Json.string(p);
            } else if (f.equals("content")) {
              readContent(p, content);
            } else {
              p.skipChildren();
            }
          }
          prompt.message(role, content.toString(), name);
        }
      }
    }
    return prompt.tokens();
  }

  /**
   * Each message's text to the call's content, and the hash of the system and developer messages'
   * text, joined by newlines in order, or null when there are none. Returns only once the whole
   * array was read, so a cut body gives no hash.
   */
  private static String messages(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    Sha256.Joined system = new Sha256.Joined();
    StringBuilder content = new StringBuilder();
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
      if (!hasContent) {
        continue;
      }
      String text = content.toString();
      if ("system".equals(role) || "developer".equals(role)) {
        system.add(text);
        call.content().system(text);
      } else {
        call.content().input(role, text);
      }
    }
    return system.hexOrNull();
  }

  /** Content is a string or an array of parts; text parts are concatenated. */
  static boolean readContent(JsonParser p, StringBuilder out) throws IOException {
    return TextParts.read(p, out);
  }

  static void decodeResponse(byte[] body, int length, AiCall call) throws IOException {
    Choices first = new Choices(call);
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      completionObject(p, call, "message", first);
      Json.expectEnd(p);
    }
    first.finish();
  }

  /**
   * The fields of a {@code chat.completion} (or legacy {@code text_completion}) object or of one
   * chunk, the parser at its start: the first id, the last model named, usage, an {@code error}
   * object, and each choice to {@code choices}.
   */
  static void completionObject(JsonParser p, AiCall into, String contentObject, OpenAiFields.ChoiceVisitor choices)
      throws IOException {
    Json.expectObject(p);
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "id":
          String id = Json.string(p);
          if (id != null && !id.isEmpty()) { // Azure's first chunk carries only filter results, id ""
            into.setIfAbsent(Keys.RESPONSE_ID, id);
          }
          break;
        case "model":
          String model = Json.string(p);
          if (model != null && !model.isEmpty()) {
            into.set(Keys.RESPONSE_MODEL, model);
          }
          break;
        case "choices":
          OpenAiFields.choices(p, contentObject, choices, into);
          break;
        case "prompt_filter_results":
        case "prompt_annotations":
          OpenAiFields.promptFilterResults(p, into);
          break;
        case "usage":
          OpenAiFields.usage(p, into);
          break;
        case "service_tier":
          into.set(Keys.OPENAI_RESPONSE_SERVICE_TIER, Json.string(p));
          break;
        case "error":
          OpenAiFields.error(p, into);
          break;
        default:
          p.skipChildren();
      }
    }
  }

  /**
   * Collects the choices of a whole response or of every chunk: finish reasons in order of
   * arrival (one per choice), tool calls, refusals, and the text of the lowest-index choice, hashed.
   */
  static final class Choices implements OpenAiFields.ChoiceVisitor {
    private static final int MAX_ESTIMATED_CHARS = 1 << 20;
    private boolean tooLongToEstimate;
    private final AiCall call;
    private final List<Long> finished = new ArrayList<>(1);
    private final Sha256 output = new Sha256();
    private long lowestIndex = Long.MAX_VALUE;
    private String wholeText;
    private long toolCalls;
    private boolean refusal;
    private final boolean streamed;
    /** A stream's text, kept (up to a bound) for a token estimate when the server sends no usage. */
    private final StringBuilder streamedText;

    Choices(AiCall call) {
      this(call, false);
    }

    Choices(AiCall call, boolean streamed) {
      this.call = call;
      this.streamed = streamed;
      this.streamedText = streamed ? new StringBuilder() : null;
    }

    @Override
    public void choice(long index, String finishReason, String text, int toolCallsStarted, boolean refused) {
      if (streamed) {
        if (text != null && index == 0) {
          output.update(text);
          call.content().output(text);
          if (streamedText.length() + text.length() <= MAX_ESTIMATED_CHARS) {
            streamedText.append(text);
          } else {
            streamedText.setLength(0);
            tooLongToEstimate = true;
          }
        }
      } else if (index < lowestIndex) {
        lowestIndex = index;
        wholeText = text;
      }
      if (finishReason != null && !finished.contains(index)) {
        finished.add(index);
        call.append(Keys.FINISH_REASONS, finishReason);
        OpenAiFields.noteFilter(finishReason, call);
      }
      toolCalls += toolCallsStarted;
      refusal |= refused;
    }

    boolean anyFinished() {
      return !finished.isEmpty();
    }

    /** The streamed text when it was all kept, else null. */
    String streamedText() {
      return tooLongToEstimate ? null : streamedText.toString();
    }

    void finish() {
      if (streamed ? output.used() : wholeText != null) {
        call.set(Keys.OUTPUT_HASH, streamed ? output.hex() : Sha256.of(wholeText));
      }
      if (!streamed && wholeText != null) {
        call.content().output(wholeText);
      }
      if (toolCalls > 0) {
        call.set(Keys.RESPONSE_TOOL_CALLS, toolCalls);
      }
      if (refusal) {
        call.set(Keys.REFUSAL, Boolean.TRUE);
        call.set(Keys.REFUSAL_RULE, "refusal_field");
      }
    }
  }

  /**
   * A streamed chat completion ({@code chat.completion.chunk} events, then {@code [DONE]}). Usage
   * comes in a last chunk with empty choices when the request asked for
   * {@code stream_options.include_usage}.
   */
  static class Stream implements StreamDecoder, SseEventHandler {
    private final SseParser sse;
    private final String contentObject;
    private final AiCall aggregate = new AiCall();
    private final Choices choices = new Choices(aggregate, true);
    private boolean done;
    private int malformedEvents;

    Stream(int maxEvent) {
      this(maxEvent, "delta");
    }

    Stream(int maxEvent, String contentObject) {
      this.sse = new SseParser(this, maxEvent);
      this.contentObject = contentObject;
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
      return done || choices.anyFinished();
    }

    @Override
    public void onEvent(String event, byte[] data, int length) {
      if (length == 6 && data[0] == '[' && data[1] == 'D' && data[5] == ']') {
        done = true; // "[DONE]"
        return;
      }
      try (JsonParser p = Json.parser(data, 0, length)) {
        p.nextToken();
        completionObject(p, aggregate, contentObject, choices);
      } catch (IOException | RuntimeException e) {
        malformedEvents++;
      }
    }

    /**
     * No usage came (the request did not ask for it): counted with the model's tokenizer, and
     * marked estimated. Never for a model whose tokenizer is not known.
     */
    private void estimateUsage(AiCall call) {
      if (call.estimatedInputTokens < 0 || call.has(Keys.INPUT_TOKENS) || call.has(Keys.OUTPUT_TOKENS)
          || call.has(Keys.CHOICE_COUNT)) {
        return;
      }
      String text = choices.streamedText();
      com.knuddels.jtokkit.api.Encoding encoding =
          io.tracelight.core.protocol.TokenEstimator.forModel(call.get(Keys.REQUEST_MODEL));
      if (text == null || encoding == null) {
        return;
      }
      call.set(Keys.INPUT_TOKENS, call.estimatedInputTokens);
      call.set(Keys.OUTPUT_TOKENS, (long) io.tracelight.core.protocol.TokenEstimator.count(encoding, text));
      call.set(Keys.USAGE_ESTIMATED, Boolean.TRUE);
    }

    @Override
    public void finish(AiCall call) {
      // An event cut off by the end of the body is a truncation, not malformed JSON: the caller
      // reports it from sawEnd(), so only complete events count as malformed.
      int malformedCompleteEvents = malformedEvents;
      sse.finish();
      choices.finish();
      call.mergeFrom(aggregate);
      estimateUsage(call);
      if (malformedCompleteEvents > 0) {
        call.fail("malformed_response");
      }
      if (sse.skipped() > 0) {
        call.truncated();
      }
    }
  }
}
