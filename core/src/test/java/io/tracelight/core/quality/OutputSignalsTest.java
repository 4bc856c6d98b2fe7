package io.tracelight.core.quality;

import static io.tracelight.core.pipeline.ExchangeDriver.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.ExchangeDriver;
import io.tracelight.core.protocol.RequestShape;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

/** Output flags and request hashes on recorded provider payloads. */
class OutputSignalsTest {
  private static final OutputSignals SIGNALS = new OutputSignals(RefusalPhrases.defaults());

  private static AiCall call(String host, String path, String request, String response, String type) {
    AiCall c = new ExchangeDriver().call(host, path, resource(request), 200, type, resource(response), 64);
    SIGNALS.apply(c);
    return c;
  }

  @Test
  void anAnswerCutByItsTokenLimitIsTruncatedOnEveryProvider() {
    AiCall anthropic = call("api.anthropic.com", "/v1/messages", "anthropic/request.json", "anthropic/response-max-tokens.json",
        "application/json");
    assertEquals(Boolean.TRUE, anthropic.get(Keys.OUTPUT_TRUNCATED), anthropic.get(Keys.FINISH_REASONS).toString());
    AiCall gemini = call("generativelanguage.googleapis.com", "/v1beta/models/gemini-2.5-flash:generateContent",
        "gemini/request.json", "gemini/response-max-tokens.json", "application/json");
    assertEquals(Boolean.TRUE, gemini.get(Keys.OUTPUT_TRUNCATED), gemini.get(Keys.FINISH_REASONS).toString());
    AiCall whole = call("api.openai.com", "/v1/chat/completions", "openai/chat-request.json", "openai/chat-response.json",
        "application/json");
    assertNull(whole.get(Keys.OUTPUT_TRUNCATED));
    assertEquals((long) "La capitale de la France est Paris.".length(), whole.get(Keys.OUTPUT_CHARS));
    assertNull(whole.get(Keys.OUTPUT_EMPTY));
  }

  @Test
  void aToolCallIsNotAnEmptyAnswerButNothingAtAllIs() {
    AiCall tools = call("api.openai.com", "/v1/chat/completions", "openai/chat-request.json",
        "openai/chat-response-tool-calls.json", "application/json");
    assertNull(tools.get(Keys.OUTPUT_EMPTY));
    AiCall empty = new ExchangeDriver().call("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"
        .getBytes(StandardCharsets.UTF_8), 200, "application/json",
        ("{\"id\":\"x\",\"model\":\"m\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
            + "\"finish_reason\":\"stop\"}]}").getBytes(StandardCharsets.UTF_8), 64);
    SIGNALS.apply(empty);
    assertEquals(Boolean.TRUE, empty.get(Keys.OUTPUT_EMPTY));
  }

  private static String sha256(byte[] bytes) throws Exception {
    StringBuilder b = new StringBuilder();
    for (byte x : MessageDigest.getInstance("SHA-256").digest(bytes)) {
      b.append(String.format("%02x", x));
    }
    return b.toString();
  }

  private static RequestShape shape(String json) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    return RequestShape.of(b, b.length);
  }

  @Test
  void theShapeIgnoresValuesAndCountsButNotMembers() {
    RequestShape a = shape("{\"model\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.2}");
    RequestShape b = shape("{\"temperature\":1,\"model\":\"b\",\"messages\":[{\"role\":\"system\",\"content\":\"x\"},"
        + "{\"content\":\"longer text\",\"role\":\"user\"}]}");
    assertEquals(a.shapeHash, b.shapeHash, "other values, more messages, other member order: the same contract");
    RequestShape c = shape("{\"model\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":0.2,"
        + "\"response_format\":{\"type\":\"json_object\"}}");
    assertNotEquals(a.shapeHash, c.shapeHash, "a new member is a new contract");
    RequestShape d = shape("{\"model\":\"a\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}]}],"
        + "\"temperature\":0.2}");
    assertNotEquals(a.shapeHash, d.shapeHash, "content as parts instead of a string");
    assertNull(a.toolsHash);
  }

  @Test
  void theToolsHashIsTheHashOfTheToolsAsSent() throws Exception {
    String tools = "[{\"type\":\"function\",\"function\":{\"name\":\"lookup\",\"parameters\":{\"type\":\"object\"}}}]";
    RequestShape top = shape("{\"model\":\"a\",\"tools\":" + tools + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\","
        + "\"tools\":[]}]}");
    assertEquals(sha256(tools.getBytes(StandardCharsets.UTF_8)), top.toolsHash);
    String bedrock = "[{\"toolSpec\":{\"name\":\"lookup\",\"inputSchema\":{\"json\":{}}}}]";
    RequestShape converse = shape("{\"messages\":[],\"toolConfig\":{\"tools\":" + bedrock + "}}");
    assertEquals(sha256(bedrock.getBytes(StandardCharsets.UTF_8)), converse.toolsHash);
    assertNull(shape("[1,2]"));
    assertNull(shape("{\"cut\":"));
  }
}
