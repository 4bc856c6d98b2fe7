package io.tracelight.core.policy;

import com.fasterxml.jackson.core.JsonGenerator;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Content;
import io.tracelight.core.model.Keys;
import io.tracelight.core.privacy.Redactor;
import io.tracelight.core.protocol.Json;
import java.io.IOException;
import java.io.StringWriter;
import java.util.List;

/**
 * The redaction stage: scans a call's text for personal data and secrets (counts on every record,
 * whatever the level), and writes to the record what its capture level allows: nothing, the hashes,
 * or the text as the GenAI conventions' JSON messages, redacted or raw (secrets replaced either
 * way). The text itself is dropped from the call afterwards, so no exporter can see more. Runs on
 * the pipeline thread only.
 */
public final class ContentStage {
  private final Redactor redactor;
  /** Where kept text goes instead of the record ({@code capture.store=file}), or null. */
  private final ContentStore store;

  public ContentStage(Redactor redactor) {
    this(redactor, null);
  }

  public ContentStage(Redactor redactor, ContentStore store) {
    this.redactor = redactor;
    this.store = store;
  }

  /** A call that gets a record: its text to the restricted store, the record its reference. */
  public void commit(AiCall call) {
    String[] text = call.pendingText;
    call.pendingText = null;
    if (text != null && store != null) {
      call.set(Keys.CONTENT_REF, store.put(call, text[0], text[1], text[2]));
    }
  }

  public void flush() {
    if (store != null) {
      store.flush();
    }
  }

  public void close() {
    if (store != null) {
      store.close();
    }
  }

  public void apply(AiCall call, CaptureLevel level) {
    Content content = call.contentOrNull();
    call.dropContent();
    if (Keys.isPrediction(call)) {
      return;
    }
    call.set(Keys.CONTENT_CAPTURE, level.label);
    if (level == CaptureLevel.NONE) {
      call.set(Keys.SYSTEM_HASH, null);
      call.set(Keys.OUTPUT_HASH, null);
    }
    if (content == null) {
      return;
    }
    if (level != CaptureLevel.NONE) {
      call.set(Keys.INPUT_HASH, content.inputHash());
    }
    boolean removePii = level == CaptureLevel.REDACTED;
    Redactor.Counts in = new Redactor.Counts();
    Redactor.Counts out = new Redactor.Counts();
    try {
      if (!level.keepsText()) {
        for (String s : content.system()) {
          redactor.count(s, in);
        }
        for (Content.Message m : content.input()) {
          redactor.count(m.text.toString(), in);
        }
        for (Content.Message m : content.output()) {
          redactor.count(m.text.toString(), out);
        }
      } else {
        String system = content.system().isEmpty() ? null : systemJson(content.system(), removePii, in);
        String input = content.input().isEmpty() ? null : messagesJson(content.input(), null, removePii, in);
        String output = null;
        if (!content.output().isEmpty()) {
          List<String> reasons = call.get(Keys.FINISH_REASONS);
          String finish = reasons == null || reasons.isEmpty() ? null : reasons.get(0);
          output = messagesJson(content.output(), finish, removePii, out);
        }
        if (store != null) {
          if (system != null || input != null || output != null) {
            call.pendingText = new String[] {system, input, output}; // stored only if kept: see commit
          }
        } else {
          call.set(Keys.SYSTEM_INSTRUCTIONS, system);
          call.set(Keys.INPUT_MESSAGES, input);
          call.set(Keys.OUTPUT_MESSAGES, output);
        }
        if (content.truncated()) {
          call.set(Keys.CONTENT_TRUNCATED, Boolean.TRUE);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to a string cannot fail", e);
    }
    if (!in.isEmpty()) {
      call.set(Keys.PII_INPUT, in.asList());
    }
    if (!out.isEmpty()) {
      call.set(Keys.PII_OUTPUT, out.asList());
    }
  }

  private String systemJson(List<String> parts, boolean removePii, Redactor.Counts counts) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
      g.writeStartArray();
      for (String part : parts) {
        textPart(g, redactor.apply(part, removePii, counts));
      }
      g.writeEndArray();
    }
    return w.toString();
  }

  private String messagesJson(List<Content.Message> messages, String finishReason, boolean removePii,
      Redactor.Counts counts) throws IOException {
    StringWriter w = new StringWriter();
    try (JsonGenerator g = Json.FACTORY.createGenerator(w)) {
      g.writeStartArray();
      for (Content.Message m : messages) {
        g.writeStartObject();
        g.writeStringField("role", m.role);
        g.writeArrayFieldStart("parts");
        textPart(g, redactor.apply(m.text.toString(), removePii, counts));
        g.writeEndArray();
        if (finishReason != null) {
          g.writeStringField("finish_reason", finishReason);
        }
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    return w.toString();
  }

  private static void textPart(JsonGenerator g, String text) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "text");
    g.writeStringField("content", text);
    g.writeEndObject();
  }
}
