package io.tracelight.core.protocol.anthropic;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.protocol.Json;
import io.tracelight.core.protocol.Sha256;
import java.io.IOException;

/**
 * The events of a streamed message, each one JSON object whatever carries it (SSE here, AWS
 * event-stream chunks on Bedrock): {@code message_start} (id, model, input usage),
 * {@code content_block_start} (tool use), {@code content_block_delta} (text, hashed as it comes),
 * {@code message_delta} (stop reason, cumulative usage), {@code message_stop}, {@code error}.
 * One thread at a time.
 */
public final class AnthropicStream {
  private final AiCall aggregate = new AiCall();
  private final AnthropicMessages.Usage usage = new AnthropicMessages.Usage();
  private final Sha256 output = new Sha256();
  private long toolCalls;
  private boolean ended;
  private int malformed;
  /** Tool calls by content block index: a tool use block starts one, its input deltas add to it. */
  private java.util.Map<Integer, io.tracelight.core.model.OutputFacts.ToolCall> tools;

  /** One event's JSON. */
  public void onEvent(byte[] data, int offset, int length) {
    try (JsonParser p = Json.parser(data, offset, length)) {
      p.nextToken();
      onEvent(p);
    } catch (IOException | RuntimeException e) {
      malformed++;
    }
  }

  /** One event, the parser at its start; unknown events are ignored. */
  public void onEvent(JsonParser p) throws IOException {
    Json.expectObject(p);
    String type = null;
    int index = -1;
    String toolName = null;
    String partialJson = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      switch (field) {
        case "index":
          Long i = Json.integer(p);
          index = i == null || i < 0 || i > 1024 ? -1 : i.intValue();
          break;
        case "type":
          type = Json.string(p);
          if ("message_stop".equals(type)) {
            ended = true;
          }
          break;
        case "message":
          AnthropicMessages.message(p, aggregate, usage);
          break;
        case "content_block":
          toolName = toolUseName(p);
          if (toolName != null) {
            toolCalls++;
          }
          break;
        case "delta":
          partialJson = delta(p);
          break;
        case "usage":
          usage.read(p);
          break;
        case "error":
          AnthropicMessages.error(p, aggregate);
          ended = true;
          break;
        default:
          p.skipChildren();
      }
    }
    if (index >= 0 && (toolName != null || partialJson != null)) {
      tool(index, toolName, partialJson);
    }
  }

  /** A tool use block's name (its input arrives as JSON text in the deltas that follow), else null. */
  private static String toolUseName(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    String type = null;
    String name = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("type")) {
        type = Json.string(p);
      } else if (field.equals("name")) {
        name = Json.string(p);
      } else {
        p.skipChildren();
      }
    }
    return "tool_use".equals(type) ? (name == null ? "" : name) : null;
  }

  private void tool(int blockIndex, String name, String partialJson) {
    if (tools == null) {
      tools = new java.util.HashMap<>(2);
    }
    io.tracelight.core.model.OutputFacts.ToolCall call = tools.get(blockIndex);
    if (call == null) {
      if (name == null) {
        return; // an input delta of a block that never started as a tool use
      }
      call = aggregate.facts().nextToolCall();
      call.name = name;
      call.appendText(""); // the input arrives as text, possibly empty for a tool without parameters
      tools.put(blockIndex, call);
    }
    call.appendText(partialJson);
  }

  /**
   * A content block's {@code text_delta}, or a message's {@code stop_reason}; returns an
   * {@code input_json_delta}'s piece of tool input, else null.
   */
  private String delta(JsonParser p) throws IOException {
    if (p.currentToken() != JsonToken.START_OBJECT) {
      p.skipChildren();
      return null;
    }
    String type = null;
    String text = null;
    String partialJson = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      p.nextToken();
      if (field.equals("type")) {
        type = Json.string(p);
      } else if (field.equals("text")) {
        text = Json.string(p);
      } else if (field.equals("partial_json")) {
        partialJson = Json.string(p);
      } else if (field.equals("stop_reason")) {
        AnthropicMessages.stopReason(Json.string(p), aggregate);
      } else {
        p.skipChildren();
      }
    }
    if (text != null && (type == null || type.equals("text_delta"))) {
      output.update(text);
      aggregate.content().output(text);
    }
    return "input_json_delta".equals(type) ? partialJson : null;
  }

  /** True once {@code message_stop} (or an {@code error} event) arrived. */
  public boolean sawEnd() {
    return ended;
  }

  /** Complete events that were not JSON. */
  public int malformedEvents() {
    return malformed;
  }

  public void finish(AiCall call) {
    usage.writeTo(aggregate);
    if (output.used()) {
      aggregate.set(Keys.OUTPUT_HASH, output.hex());
    }
    if (toolCalls > 0) {
      aggregate.set(Keys.RESPONSE_TOOL_CALLS, toolCalls);
    }
    call.mergeFrom(aggregate);
  }
}
