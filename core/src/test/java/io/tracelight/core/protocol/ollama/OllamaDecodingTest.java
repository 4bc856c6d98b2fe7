package io.tracelight.core.protocol.ollama;

import static io.tracelight.core.pipeline.ExchangeDriver.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.ExchangeDriver;
import io.tracelight.core.protocol.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Ollama's native API on recorded payloads. */
class OllamaDecodingTest {
  private static final String JSON = "application/json; charset=utf-8";
  private static final String NDJSON = "application/x-ndjson";
  private final ExchangeDriver driver = new ExchangeDriver();

  private AiCall call(String path, String request, int status, String type, String response, int chunk) {
    return driver.call("localhost", path, resource("ollama/" + request), status, type, resource("ollama/" + response),
        chunk);
  }

  @Test
  void chatRequestAndWholeResponse() {
    AiCall call = call("/api/chat", "chat-request.json", 200, JSON, "chat-response.json", 19);
    assertEquals("ollama", call.get(Keys.PROVIDER));
    assertEquals("chat", call.get(Keys.OPERATION));
    assertEquals("qwen3:8b", call.get(Keys.REQUEST_MODEL));
    assertEquals(Boolean.FALSE, call.get(Keys.STREAM));
    assertEquals(0.6, call.get(Keys.TEMPERATURE));
    assertEquals(256L, call.get(Keys.MAX_TOKENS), "num_predict");
    assertTrue(call.has(Keys.SYSTEM_HASH));
    assertEquals(48L, call.get(Keys.INPUT_TOKENS));
    assertEquals(37L, call.get(Keys.OUTPUT_TOKENS));
    assertEquals(List.of("stop"), call.get(Keys.FINISH_REASONS));
    assertEquals(Sha256.of("{\"city\": \"Lisbon\", \"country\": \"Portugal\"}"), call.get(Keys.OUTPUT_HASH),
        "the answer, not the thinking");
    assertEquals(2.184736125, call.get(OllamaKeys.TOTAL_DURATION), 1e-12);
    assertEquals(1.9872105, call.get(OllamaKeys.EVAL_DURATION), 1e-12);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 11, 1 << 20})
  void chatStreamInAnyChunking(int chunk) {
    AiCall call = call("/api/chat", "chat-request.json", 200, NDJSON, "chat-stream.ndjson", chunk);
    assertFalse(call.error, String.valueOf(call.get(Keys.ERROR_TYPE)));
    assertEquals(Boolean.TRUE, call.get(Keys.STREAM), "the response was streamed");
    assertEquals(Sha256.of("Lisbon is the capital of Portugal."), call.get(Keys.OUTPUT_HASH));
    assertEquals(31L, call.get(Keys.INPUT_TOKENS));
    assertEquals(8L, call.get(Keys.OUTPUT_TOKENS));
    assertEquals(List.of("stop"), call.get(Keys.FINISH_REASONS));
    assertEquals("llama3.2:3b", call.get(Keys.RESPONSE_MODEL));
    assertEquals(0.412873958, call.get(OllamaKeys.TOTAL_DURATION), 1e-12);
  }

  @Test
  void thinkingToolCallsAndGenerate() {
    AiCall thinking = call("/api/chat", "chat-request.json", 200, NDJSON, "chat-stream-thinking.ndjson", 40);
    assertEquals(Sha256.of("Lisbon."), thinking.get(Keys.OUTPUT_HASH), "thinking pieces are not the answer");
    AiCall tool = call("/api/chat", "chat-request.json", 200, JSON, "chat-response-tool-call.json", 40);
    assertEquals(1L, tool.get(Keys.RESPONSE_TOOL_CALLS));
    AiCall generate = call("/api/generate", "generate-request.json", 200, NDJSON, "generate-stream.ndjson", 40);
    assertEquals("text_completion", generate.get(Keys.OPERATION));
    assertEquals(Sha256.of("Porto's riverside wine cellars are unforgettable."), generate.get(Keys.OUTPUT_HASH));
    assertEquals(30L, generate.get(Keys.INPUT_TOKENS));
    assertEquals(9L, generate.get(Keys.OUTPUT_TOKENS));
    assertTrue(generate.has(Keys.SYSTEM_HASH), "generate's own system field");
    AiCall whole = call("/api/generate", "generate-request.json", 200, JSON, "generate-response.json", 40);
    assertEquals(generate.get(Keys.OUTPUT_HASH), whole.get(Keys.OUTPUT_HASH), "same text streamed or not");
  }

  @Test
  void embeddingsNewAndLegacy() {
    AiCall embed = call("/api/embed", "embed-request.json", 200, JSON, "embed-response.json", 40);
    assertEquals("embeddings", embed.get(Keys.OPERATION));
    assertEquals(2L, embed.get(Keys.EMBEDDING_INPUTS));
    assertEquals(6L, embed.get(Keys.EMBEDDING_DIMENSIONS));
    assertEquals(19L, embed.get(Keys.INPUT_TOKENS));
    assertEquals(1L, call("/api/embed", "embed-request-string.json", 200, JSON, "embed-response.json", 40)
        .get(Keys.EMBEDDING_INPUTS));
    AiCall legacy = call("/api/embeddings", "embeddings-legacy-request.json", 200, JSON,
        "embeddings-legacy-response.json", 40);
    assertEquals(6L, legacy.get(Keys.EMBEDDING_DIMENSIONS));
    assertNull(legacy.get(Keys.INPUT_TOKENS), "the legacy endpoint reports no counts");
  }

  @Test
  void errorsBeforeAndInsideTheStream() {
    AiCall missing = call("/api/chat", "chat-request.json", 404, JSON, "error-model-not-found.json", 40);
    assertEquals("404", missing.get(Keys.ERROR_TYPE), "Ollama's error is a sentence: the status is the type");
    AiCall midStream = call("/api/generate", "generate-request.json", 200, NDJSON, "stream-error.ndjson", 40);
    assertEquals("stream_error", midStream.get(Keys.ERROR_TYPE));
    assertEquals(Sha256.of("Porto is known"), midStream.get(Keys.OUTPUT_HASH));
  }

  @Test
  void anAppsOwnApiChatOrAModelLoadIsNotRecorded() {
    byte[] notOllama = "{\"message\":\"hi\",\"room\":7}".getBytes(StandardCharsets.UTF_8);
    AiCall own = driver.call("chat.example.com", "/api/chat", notOllama, 200, "application/json",
        "{}".getBytes(StandardCharsets.UTF_8), 8);
    assertTrue(own.isNotAiCall(), "no model named: the app's own chat endpoint");
    byte[] load = "{\"model\":\"llama3.2\",\"messages\":[]}".getBytes(StandardCharsets.UTF_8);
    AiCall loaded = driver.call("localhost", "/api/chat", load, 200, JSON,
        "{\"model\":\"llama3.2\",\"done\":true,\"done_reason\":\"load\"}".getBytes(StandardCharsets.UTF_8), 8);
    assertTrue(loaded.isNotAiCall(), "a model load is not a generation");
    assertNull(driver.start("localhost", "/api/tags"));
  }
}
