package io.tracelight.core.protocol.gemini;

import static io.tracelight.core.pipeline.ExchangeDriver.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.ExchangeDriver;
import io.tracelight.core.protocol.Sha256;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Gemini on AI Studio and Vertex AI, on recorded payloads. */
class GeminiDecodingTest {
  private static final String JSON = "application/json; charset=UTF-8";
  private static final String SSE = "text/event-stream";
  private static final String STUDIO = "generativelanguage.googleapis.com";
  private static final String STREAM_TEXT = "Tide pools form where rocky shores hold seawater after the tide goes out. "
      + "Anemones, hermit crabs and sea stars share these small basins, and the water can warm by 10 \u00b0C on a sunny"
      + " afternoon before the sea returns.\nThat daily swing is why pool life is so hardy.";
  private final ExchangeDriver driver = new ExchangeDriver();

  private AiCall call(String host, String path, String request, int status, String type, String response, int chunk) {
    return driver.call(host, path, resource("gemini/" + request), status, type, resource("gemini/" + response), chunk);
  }

  @Test
  void generateContentRequestAndResponse() {
    AiCall call = call(STUDIO, "/v1beta/models/gemini-2.5-flash:generateContent", "request.json", 200, JSON,
        "response.json", 41);
    assertEquals("gcp.gemini", call.get(Keys.PROVIDER));
    assertEquals("generate_content", call.get(Keys.OPERATION));
    assertEquals("gemini-2.5-flash", call.get(Keys.REQUEST_MODEL));
    assertEquals(Boolean.FALSE, call.get(Keys.STREAM));
    assertEquals(Sha256.of("You are a marine biology tutor for middle school students.\n"
        + "Answer in at most three sentences and avoid jargon unless you explain it."), call.get(Keys.SYSTEM_HASH));
    assertEquals(0.4, call.get(Keys.TEMPERATURE));
    assertEquals(0.9, call.get(Keys.TOP_P));
    assertEquals(32.0, call.get(Keys.TOP_K));
    assertEquals(512L, call.get(Keys.MAX_TOKENS));
    assertEquals(1L, call.get(Keys.REQUEST_TOOLS));
    assertFalse(call.error);
    assertEquals(1187L, call.get(Keys.INPUT_TOKENS), "the prompt count already includes the cached part");
    assertEquals(1024L, call.get(Keys.CACHE_READ_TOKENS));
    assertEquals(52L + 194L, call.get(Keys.OUTPUT_TOKENS), "thoughts are counted apart from candidates");
    assertEquals(194L, call.get(Keys.REASONING_TOKENS));
    assertEquals(List.of("STOP"), call.get(Keys.FINISH_REASONS));
    assertEquals(Sha256.of("Periwinkle snails seal their shell opening with a hard little lid called an operculum, which "
        + "traps a bit of seawater inside. They also crowd into shady cracks and under seaweed, where the air stays cool"
        + " and damp until the tide returns."), call.get(Keys.OUTPUT_HASH));
    assertTrue(call.has(Keys.RESPONSE_ID));
  }

  @Test
  void functionCallsSafetyBlocksAndMaxTokens() {
    String path = "/v1beta/models/gemini-2.5-flash:generateContent";
    AiCall function = call(STUDIO, path, "request.json", 200, JSON, "response-function-call.json", 64);
    assertEquals(1L, function.get(Keys.RESPONSE_TOOL_CALLS));
    assertNull(function.get(Keys.OUTPUT_HASH));
    AiCall blocked = call(STUDIO, path, "request.json", 200, JSON, "response-safety-blocked.json", 64);
    assertEquals(List.of("SAFETY"), blocked.get(Keys.FINISH_REASONS));
    assertEquals("SAFETY", blocked.get(Keys.BLOCK_REASON));
    AiCall prompt = call(STUDIO, path, "request.json", 200, JSON, "response-prompt-blocked.json", 64);
    assertEquals("SAFETY", prompt.get(Keys.BLOCK_REASON), "the prompt was blocked: no candidate at all");
    assertEquals(21L, prompt.get(Keys.INPUT_TOKENS));
    assertFalse(prompt.error, "a 200 with a block is an answer; the block reason says what happened");
    AiCall max = call(STUDIO, path, "request.json", 200, JSON, "response-max-tokens.json", 64);
    assertEquals(List.of("MAX_TOKENS"), max.get(Keys.FINISH_REASONS));
    assertEquals(96L, max.get(Keys.OUTPUT_TOKENS));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 300, 1 << 20})
  void streamAsSseAndAsJsonArrayGiveTheSameRecord(int chunk) {
    AiCall sse = call(STUDIO, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", "request.json", 200, SSE,
        "stream.sse", chunk);
    AiCall array = call(STUDIO, "/v1beta/models/gemini-2.5-flash:streamGenerateContent", "request.json", 200, JSON,
        "stream-array.json", chunk);
    for (AiCall call : new AiCall[] {sse, array}) {
      assertFalse(call.error, String.valueOf(call.get(Keys.ERROR_TYPE)));
      assertEquals(Boolean.TRUE, call.get(Keys.STREAM));
      assertEquals(Sha256.of(STREAM_TEXT), call.get(Keys.OUTPUT_HASH));
      assertEquals(14L, call.get(Keys.INPUT_TOKENS));
      assertEquals(55L + 88L, call.get(Keys.OUTPUT_TOKENS), "the last chunk's running totals, never a sum");
      assertEquals(List.of("STOP"), call.get(Keys.FINISH_REASONS));
      assertTrue(call.has(Keys.TIME_TO_FIRST_CHUNK));
    }
  }

  @Test
  void vertexPathsStreamsAndTruncation() {
    String base = "/v1/projects/acme/locations/us-central1/publishers/google/models/gemini-2.5-pro";
    AiCall whole = call("us-central1-aiplatform.googleapis.com", base + ":generateContent", "request.json", 200, JSON,
        "vertex-response.json", 64);
    assertEquals("gcp.vertex_ai", whole.get(Keys.PROVIDER));
    assertEquals("gemini-2.5-pro", whole.get(Keys.REQUEST_MODEL));
    assertFalse(whole.error);
    AiCall stream = call("proxy.internal", base + ":streamGenerateContent?alt=sse", "request.json", 200, SSE,
        "vertex-stream.sse", 23);
    assertEquals("gcp.vertex_ai", stream.get(Keys.PROVIDER), "the path proves Vertex on any host");
    assertEquals(Sha256.of("Sea stars move on hundreds of tiny tube feet that work like suction cups."),
        stream.get(Keys.OUTPUT_HASH));
    assertEquals(9L, stream.get(Keys.INPUT_TOKENS), "counts only in the final chunk on Vertex");
    assertEquals(15L, stream.get(Keys.OUTPUT_TOKENS));
    AiCall cut = call(STUDIO, "/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", "request.json", 200, SSE,
        "stream-truncated.sse", 50);
    assertEquals("truncated_stream", cut.get(Keys.ERROR_TYPE));
    assertEquals(Sha256.of("Tide pools form where rocky shores hold seawater after the tide goes out. Anemones, hermit"
        + " crabs and"), cut.get(Keys.OUTPUT_HASH));
    assertEquals(21L + 88L, cut.get(Keys.OUTPUT_TOKENS), "the usage of the last complete chunk");
  }

  @Test
  void embeddingsOnEveryShape() {
    AiCall one = call(STUDIO, "/v1beta/models/gemini-embedding-001:embedContent", "embed-request.json", 200, JSON,
        "embed-response.json", 64);
    assertEquals("embeddings", one.get(Keys.OPERATION));
    assertEquals(1L, one.get(Keys.EMBEDDING_INPUTS));
    assertEquals(8L, one.get(Keys.EMBEDDING_DIMENSIONS));
    assertNull(one.get(Keys.INPUT_TOKENS), "AI Studio sends no usage for embeddings");
    AiCall batch = call(STUDIO, "/v1beta/models/gemini-embedding-001:batchEmbedContents", "batch-embed-request.json", 200,
        JSON, "batch-embed-response.json", 64);
    assertEquals(2L, batch.get(Keys.EMBEDDING_INPUTS));
    assertEquals(8L, batch.get(Keys.EMBEDDING_DIMENSIONS));
    AiCall vertex = call("us-central1-aiplatform.googleapis.com",
        "/v1/projects/acme/locations/us-central1/publishers/google/models/text-embedding-005:predict",
        "vertex-predict-embed-request.json", 200, JSON, "vertex-predict-embed-response.json", 64);
    assertEquals("gcp.vertex_ai", vertex.get(Keys.PROVIDER));
    assertEquals(2L, vertex.get(Keys.EMBEDDING_INPUTS));
    assertEquals(8L, vertex.get(Keys.EMBEDDING_DIMENSIONS));
    assertEquals(12L + 9L, vertex.get(Keys.INPUT_TOKENS), "Vertex counts tokens per input");
  }

  @Test
  void errorsAndPathsThatAreNotGenerations() {
    String path = "/v1beta/models/gemini-2.5-flash:generateContent";
    AiCall limited = call(STUDIO, path, "request.json", 429, JSON, "error-resource-exhausted.json", 64);
    assertEquals("RESOURCE_EXHAUSTED", limited.get(Keys.ERROR_TYPE));
    assertEquals("INVALID_ARGUMENT", call(STUDIO, path, "request.json", 400, JSON, "error-invalid-argument.json", 64)
        .get(Keys.ERROR_TYPE));
    assertEquals("NOT_FOUND", call(STUDIO, path, "request.json", 404, JSON, "error-not-found.json", 64).get(Keys.ERROR_TYPE));
    assertNull(driver.start(STUDIO, "/v1beta/models/gemini-2.5-flash:countTokens"));
    assertEquals("tf_serving", driver.start("tf-serving.internal", "/v1/models/fraud:predict").protocol.name(),
        "a model server's :predict is not Gemini");
    assertNull(driver.startMethod("GET", STUDIO, "/v1beta/models/gemini-2.5-flash"));
  }

  @Test
  void onlyCandidateZerosTextIsHashedWhateverTheOrderOfItsMembers() {
    String body = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"second\"}]},\"index\":1,\"finishReason\":\"STOP\"},"
        + "{\"content\":{\"parts\":[{\"text\":\"first\"}]},\"index\":0,\"finishReason\":\"STOP\"}],"
        + "\"usageMetadata\":{\"promptTokenCount\":3,\"candidatesTokenCount\":2}}";
    AiCall call = driver.call(STUDIO, "/v1beta/models/gemini-2.5-flash:generateContent", resource("gemini/request.json"),
        200, JSON, body.getBytes(java.nio.charset.StandardCharsets.UTF_8), 64);
    assertEquals(Sha256.of("first"), call.get(Keys.OUTPUT_HASH));
    assertEquals(List.of("STOP", "STOP"), call.get(Keys.FINISH_REASONS));
  }
}
