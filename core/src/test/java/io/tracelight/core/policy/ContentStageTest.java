package io.tracelight.core.policy;

import static io.tracelight.core.pipeline.ExchangeDriver.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Content;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.ExchangeDriver;
import io.tracelight.core.privacy.Redactor;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What each capture level leaves in a record decoded from recorded provider payloads. */
class ContentStageTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final ContentStage stage = new ContentStage(Redactor.builtIn());

  @AfterEach
  void reset() {
    Content.maxChars(32 * 1024);
  }

  private static AiCall openAiChat() {
    return new ExchangeDriver().call(resource("chat-request.json"), 200, "application/json",
        resource("chat-response.json"), 64);
  }

  private static AiCall anthropicStream(String request) {
    return new ExchangeDriver().call("api.anthropic.com", "/v1/messages", request.getBytes(StandardCharsets.UTF_8),
        200, "text/event-stream", resource("anthropic/stream.sse"), 17);
  }

  static String sha256(String text) throws Exception {
    StringBuilder b = new StringBuilder();
    for (byte x : MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8))) {
      b.append(String.format("%02x", x));
    }
    return b.toString();
  }

  @Test
  void hashKeepsHashesOfSystemInputAndOutputAndNoText() throws Exception {
    AiCall call = openAiChat();
    stage.apply(call, CaptureLevel.HASH);
    assertEquals("hash", call.get(Keys.CONTENT_CAPTURE));
    assertEquals(sha256("What is the capital of France?\nParis"), call.get(Keys.INPUT_HASH),
        "the user's and the tool's messages, joined");
    assertTrue(call.has(Keys.SYSTEM_HASH));
    assertTrue(call.has(Keys.OUTPUT_HASH));
    assertNull(call.get(Keys.INPUT_MESSAGES));
    assertNull(call.get(Keys.OUTPUT_MESSAGES));
    assertNull(call.contentOrNull(), "the text is dropped once the stage ran");
  }

  @Test
  void noneKeepsNoHashes() {
    AiCall call = openAiChat();
    stage.apply(call, CaptureLevel.NONE);
    assertNull(call.get(Keys.SYSTEM_HASH));
    assertNull(call.get(Keys.OUTPUT_HASH));
    assertNull(call.get(Keys.INPUT_HASH));
    assertEquals("none", call.get(Keys.CONTENT_CAPTURE));
  }

  @Test
  void fullWritesTheConventionsMessages() throws Exception {
    AiCall call = openAiChat();
    stage.apply(call, CaptureLevel.FULL);
    JsonNode system = JSON.readTree(call.get(Keys.SYSTEM_INSTRUCTIONS));
    assertEquals("You are a helpful assistant.", system.get(0).get("content").asText());
    assertEquals("Answer in French. Be brief.", system.get(1).get("content").asText());
    assertEquals("text", system.get(1).get("type").asText());
    JsonNode input = JSON.readTree(call.get(Keys.INPUT_MESSAGES));
    assertEquals(2, input.size(), "user and tool; the assistant's tool call has no text");
    assertEquals("user", input.get(0).get("role").asText());
    assertEquals("What is the capital of France?", input.get(0).get("parts").get(0).get("content").asText());
    assertEquals("tool", input.get(1).get("role").asText());
    JsonNode output = JSON.readTree(call.get(Keys.OUTPUT_MESSAGES));
    assertEquals("assistant", output.get(0).get("role").asText());
    assertEquals("La capitale de la France est Paris.", output.get(0).get("parts").get(0).get("content").asText());
    assertEquals("stop", output.get(0).get("finish_reason").asText());
  }

  @Test
  void redactedReplacesPersonalDataAndCountsItStreamedToo() throws Exception {
    String request = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":64,\"stream\":true,"
        + "\"system\":\"Support bot. Escalate to ops@example.com.\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"My card 4111 1111 1111 1111 was charged twice, "
        + "call me on +44 20 7946 0958. My key is sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123\"}]}";
    AiCall call = anthropicStream(request);
    stage.apply(call, CaptureLevel.REDACTED);
    assertEquals("[{\"type\":\"text\",\"content\":\"Support bot. Escalate to [EMAIL].\"}]",
        call.get(Keys.SYSTEM_INSTRUCTIONS));
    String input = JSON.readTree(call.get(Keys.INPUT_MESSAGES)).get(0).get("parts").get(0).get("content").asText();
    assertEquals("My card [PAYMENT_CARD] was charged twice, call me on [PHONE]. My key is [ANTHROPIC_KEY]", input);
    assertEquals(List.of("anthropic_key:1", "email:1", "payment_card:1", "phone:1"), call.get(Keys.PII_INPUT));
    JsonNode output = JSON.readTree(call.get(Keys.OUTPUT_MESSAGES)).get(0);
    assertEquals("The keeper logs each call \u2014 and the harbour lights stay on all night.",
        output.get("parts").get(0).get("content").asText(), "the stream's pieces, in order");
    assertEquals("end_turn", output.get("finish_reason").asText());
    assertNull(call.get(Keys.PII_OUTPUT));
  }

  @Test
  void countsAreThereAtEveryLevelAndSecretsNeverPass() {
    String request = "{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":64,\"stream\":true,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"mail jane@example.com key sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123\"}]}";
    for (CaptureLevel level : CaptureLevel.values()) {
      AiCall call = anthropicStream(request);
      stage.apply(call, level);
      assertEquals(List.of("anthropic_key:1", "email:1"), call.get(Keys.PII_INPUT), level.label);
      String messages = call.get(Keys.INPUT_MESSAGES);
      assertEquals(level.keepsText(), messages != null, level.label);
      if (messages != null) {
        assertFalse(messages.contains("sk-ant-api03"), level.label);
        assertEquals(level == CaptureLevel.FULL, messages.contains("jane@example.com"), level.label);
      }
    }
  }

  @Test
  void aCredentialCutByTheCapIsNotKeptInPart() {
    Content.maxChars(30);
    Content c = new Content();
    c.output("Here is the key: sk-proj-Ab");
    c.output("Cd0123456789abcdefghij and more");
    assertEquals("Here is the key:", c.output().get(0).text.toString());
    assertTrue(c.truncated());
  }

  @Test
  void textLongerThanTheCapIsCutAndSaysSoButTheHashCoversAll() throws Exception {
    Content.maxChars(10);
    AiCall call = openAiChat();
    stage.apply(call, CaptureLevel.FULL);
    assertEquals(Boolean.TRUE, call.get(Keys.CONTENT_TRUNCATED));
    assertEquals("What is",
        JSON.readTree(call.get(Keys.INPUT_MESSAGES)).get(0).get("parts").get(0).get("content").asText());
    assertEquals(sha256("What is the capital of France?\nParis"), call.get(Keys.INPUT_HASH));
  }
}
