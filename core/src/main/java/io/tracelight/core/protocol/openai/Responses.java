package io.tracelight.core.protocol.openai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Sha256;
import io.tracelight.core.protocol.StreamDecoder;
import io.tracelight.core.protocol.framing.SseEventHandler;
import io.tracelight.core.protocol.framing.SseParser;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The Responses API ({@code POST .../responses}): request, whole {@code response} object, and the
 * SSE stream of {@code response.*} events. The system prompt is {@code instructions} followed by
 * any system or developer messages of {@code input}. There are no finish reasons: the record
 * gets the response's {@code status}, or {@code incomplete_details.reason} when incomplete.
 */
final class Responses {
  private Responses() {}

  static void decodeRequest(byte[] body, int length, boolean complete, AiCall call) throws IOException {
    Sha256.Joined system = new Sha256.Joined();
    String instructions = null;
    String inputSystem = null;
    boolean inputRead = false;
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
          case "max_output_tokens":
            call.set(Keys.MAX_TOKENS, Json.integer(p));
            break;
          case "instructions":
            instructions = Json.string(p);
            break;
          case "input":
            inputSystem = inputSystemText(p, call);
            inputRead = true;
            break;
          case "text": // {"format": {...}}: a JSON answer asked for
            textOptions(p, call);
            break;
          default:
            p.skipChildren();
        }
      }
    } finally {
      call.setIfAbsent(Keys.STREAM, Boolean.FALSE);
    }
    if (instructions != null) {
      system.add(instructions);
      call.content().system(instructions);
    }
    if (inputSystem != null) {
      system.add(inputSystem);
      call.content().system(inputSystem);
    }
    if (inputRead || complete) {
      call.set(Keys.SYSTEM_HASH, system.hexOrNull());
    }
  }

  private static void textOptions(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return;
    }
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("format")) {
        OpenAiFields.responseFormat(p, call);
      } else {
        p.skipChildren();
      }
    }
  }

  /**
   * The system and developer messages of an {@code input} array, joined by newlines, or null; the
   * other messages (or a plain string, the user's input) go to the call's content.
   */
  private static String inputSystemText(JsonParser p, AiCall call) throws IOException {
    if (p.currentToken() == JsonToken.VALUE_STRING) {
      call.content().input("user", p.getText());
      return null;
    }
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return null;
    }
    StringBuilder joined = null;
    StringBuilder content = new StringBuilder();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      if (p.currentToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      String role = null;
      content.setLength(0);
      boolean hasContent = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("role")) {
          role = Json.string(p);
        } else if (field.equals("content")) {
          hasContent = ChatCompletions.readContent(p, content);
        } else {
          p.skipChildren();
        }
      }
      if (hasContent && !"system".equals(role) && !"developer".equals(role)) {
        call.content().input(role, content.toString());
      } else if (hasContent) {
        if (joined == null) {
          joined = new StringBuilder();
        } else {
          joined.append('\n');
        }
        joined.append(content);
      }
    }
    return joined == null ? null : joined.toString();
  }

  static void decodeResponse(byte[] body, int length, AiCall call) throws IOException {
    try (JsonParser p = Json.parser(body, 0, length)) {
      p.nextToken();
      responseObject(p, call, true);
      Json.expectEnd(p);
    }
  }

  /**
   * A {@code response} object, the parser at its start. With {@code hashText}, the text of its
   * first message is hashed (a stream hashes its deltas instead).
   */
  static void responseObject(JsonParser p, AiCall call, boolean hashText) throws IOException {
    Json.expectObject(p);
    String status = null;
    String incompleteReason = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "id":
          call.setIfAbsent(Keys.RESPONSE_ID, Json.string(p));
          break;
        case "model":
          String model = Json.string(p);
          if (model != null) {
            call.set(Keys.RESPONSE_MODEL, model);
          }
          break;
        case "status":
          status = Json.string(p);
          break;
        case "service_tier":
          call.set(Keys.OPENAI_RESPONSE_SERVICE_TIER, Json.string(p));
          break;
        case "incomplete_details":
          incompleteReason = Json.stringMember(p, "reason");
          break;
        case "output":
          output(p, call, hashText);
          break;
        case "usage":
          OpenAiFields.usage(p, call);
          break;
        case "error":
          if (p.currentToken() == JsonToken.START_OBJECT) {
            OpenAiFields.error(p, call);
          } else {
            p.skipChildren();
          }
          break;
        default:
          p.skipChildren();
      }
    }
    String finish = incompleteReason != null ? incompleteReason : status;
    if (finish != null && !"in_progress".equals(finish) && !"queued".equals(finish)) {
      call.set(Keys.FINISH_REASONS, new java.util.ArrayList<>(java.util.Collections.singletonList(finish)));
      OpenAiFields.noteFilter(finish, call);
    }
    if ("failed".equals(status)) {
      call.fail("failed");
    }
  }

  /** The output items: tool calls counted, refusals noted, the first message's text hashed. */
  private static void output(JsonParser p, AiCall call, boolean hashText) throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return;
    }
    long toolCalls = 0;
    StringBuilder firstMessage = null;
    boolean refusal = false;
    while (p.nextToken() == JsonToken.START_OBJECT) {
      String type = null;
      StringBuilder text = new StringBuilder();
      boolean hasText = false;
      String name = null;
      String arguments = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("type")) {
          type = Json.string(p);
        } else if (field.equals("name")) {
          name = Json.string(p);
        } else if (field.equals("arguments")) {
          arguments = Json.string(p);
        } else if (field.equals("content")) {
          int parts = messageContent(p, text, firstMessage == null ? call.facts() : null);
          hasText |= (parts & 1) != 0;
          refusal |= (parts & 2) != 0;
        } else {
          p.skipChildren();
        }
      }
      if ("function_call".equals(type) || "custom_tool_call".equals(type)) {
        toolCalls++;
        if ("function_call".equals(type)) {
          io.tracelight.core.model.OutputFacts.ToolCall tool = call.facts().nextToolCall();
          tool.name = name;
          tool.appendText(arguments == null ? "" : arguments);
        }
      } else if ("message".equals(type) && firstMessage == null && hasText) {
        firstMessage = text;
      }
    }
    if (toolCalls > 0) {
      call.set(Keys.RESPONSE_TOOL_CALLS, toolCalls);
    }
    if (refusal) {
      call.set(Keys.REFUSAL, Boolean.TRUE);
      call.set(Keys.REFUSAL_RULE, "refusal_field");
    }
    if (hashText && firstMessage != null) {
      call.set(Keys.OUTPUT_HASH, Sha256.of(firstMessage.toString()));
      call.content().output(firstMessage.toString());
    }
  }

  /** A message's content parts: output_text appended; returns 1 when text was found, | 2 for a refusal. */
  private static int messageContent(JsonParser p, StringBuilder text, io.tracelight.core.model.OutputFacts facts)
      throws IOException {
    if (p.currentToken() != JsonToken.START_ARRAY) {
      p.skipChildren();
      return 0;
    }
    int found = 0;
    while (p.nextToken() == JsonToken.START_OBJECT) {
      String type = null;
      String value = null;
      boolean refusal = false;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        if (field.equals("type")) {
          type = Json.string(p);
        } else if (field.equals("text")) {
          value = Json.string(p);
        } else if (field.equals("refusal")) {
          refusal = Json.string(p) != null;
        } else if (field.equals("logprobs") && facts != null) {
          // output_text with include ["message.output_text.logprobs"]
          io.tracelight.core.protocol.Logprobs.each(p, "logprob", facts);
        } else {
          p.skipChildren();
        }
      }
      if ("output_text".equals(type) && value != null) {
        text.append(value);
        found |= 1;
      }
      if (refusal || "refusal".equals(type)) {
        found |= 2;
      }
    }
    return found;
  }

  /**
   * The SSE stream: {@code response.output_text.delta} pieces of the first message are hashed as
   * they come; id, model, usage, status and tool calls come from the terminal event's
   * {@code response} ({@code response.completed}, {@code .incomplete} or {@code .failed}), or from
   * {@code response.created} when the stream ends early. An {@code error} event fails the call.
   */
  static final class Stream implements StreamDecoder, SseEventHandler {
    private final SseParser sse;
    private final AiCall aggregate = new AiCall();
    private final Sha256 output = new Sha256();
    private long textItem = -1;
    private boolean ended;
    private boolean refusal;
    private int malformedEvents;

    Stream(int maxEvent) {
      this.sse = new SseParser(this, maxEvent);
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
      return ended;
    }

    @Override
    public void onEvent(String event, byte[] data, int length) {
      try (JsonParser p = Json.parser(data, 0, length)) {
        p.nextToken();
        Json.expectObject(p);
        String type = event;
        long outputIndex = -1;
        String delta = null;
        String code = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          p.nextToken();
          switch (field) {
            case "type":
              type = Json.string(p);
              break;
            case "output_index":
              Long i = Json.integer(p);
              outputIndex = i == null ? -1 : i;
              break;
            case "delta":
              delta = Json.string(p);
              break;
            case "code":
              code = Json.scalarText(p);
              break;
            case "error":
              if (p.currentToken() == JsonToken.START_OBJECT) {
                OpenAiFields.error(p, aggregate); // the nested shape the live API sends
              } else {
                p.skipChildren();
              }
              break;
            case "response":
              AiCall snapshot = new AiCall();
              responseObject(p, snapshot, false);
              aggregate.mergeFrom(snapshot);
              break;
            default:
              p.skipChildren();
          }
        }
        onTyped(type, outputIndex, delta, code);
      } catch (IOException | RuntimeException e) {
        malformedEvents++;
      }
    }

    private void onTyped(String type, long outputIndex, String delta, String code) {
      if (type == null) {
        return;
      }
      switch (type) {
        case "response.output_text.delta":
          if (textItem < 0) {
            textItem = outputIndex;
          }
          if (delta != null && outputIndex == textItem) {
            output.update(delta);
            aggregate.content().output(delta);
          }
          break;
        case "response.refusal.delta":
          refusal = true;
          break;
        case "response.completed":
        case "response.incomplete":
        case "response.failed":
          ended = true;
          break;
        case "error":
          ended = true;
          aggregate.fail(code != null ? code : "error");
          break;
        default:
      }
    }

    @Override
    public void finish(AiCall call) {
      int malformedCompleteEvents = malformedEvents;
      sse.finish();
      if (output.used()) {
        aggregate.set(Keys.OUTPUT_HASH, output.hex());
      }
      if (refusal) {
        aggregate.set(Keys.REFUSAL, Boolean.TRUE);
        aggregate.set(Keys.REFUSAL_RULE, "refusal_field");
      }
      call.mergeFrom(aggregate);
      if (malformedCompleteEvents > 0) {
        call.fail("malformed_response");
      }
      if (sse.skipped() > 0) {
        call.truncated();
      }
    }
  }
}
