package io.tracelight.core.protocol.tgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.ExchangeDriver;
import io.tracelight.core.protocol.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Hugging Face TGI's native /generate and /generate_stream. */
class TgiDecodingTest {
  private final ExchangeDriver driver = new ExchangeDriver();
  private static final String REQUEST = "{\"inputs\":\"What is Deep Learning?\",\"parameters\":{\"max_new_tokens\":20,"
      + "\"temperature\":0.5,\"top_k\":10,\"seed\":7,\"details\":true,\"decoder_input_details\":true}}";

  private AiCall call(String path, String request, int status, String type, String response, int chunk) {
    byte[] body = request.getBytes(StandardCharsets.UTF_8);
    return driver.call("tgi.internal", path, body, status, type, response.getBytes(StandardCharsets.UTF_8), chunk);
  }

  @Test
  void wholeAnswerWithDetails() {
    AiCall call = call("/generate", REQUEST, 200, "application/json",
        "{\"generated_text\":\" Deep learning is a subset\",\"details\":{\"finish_reason\":\"length\","
            + "\"generated_tokens\":5,\"seed\":7,\"prefill\":[{\"id\":1,\"text\":\"<s>\",\"logprob\":null},"
            + "{\"id\":1724,\"text\":\"What\",\"logprob\":-8.2}],\"tokens\":[{\"id\":21784,\"text\":\" Deep\","
            + "\"logprob\":-0.1,\"special\":false}]}}", 9);
    assertFalse(call.error);
    assertEquals("tgi", call.get(Keys.PROVIDER));
    assertEquals("text_completion", call.get(Keys.OPERATION));
    assertEquals(20L, call.get(Keys.MAX_TOKENS));
    assertEquals(0.5, call.get(Keys.TEMPERATURE));
    assertEquals(10.0, call.get(Keys.TOP_K));
    assertEquals(7L, call.get(Keys.SEED));
    assertEquals(2L, call.get(Keys.INPUT_TOKENS), "the prefill tokens");
    assertEquals(5L, call.get(Keys.OUTPUT_TOKENS));
    assertEquals(List.of("length"), call.get(Keys.FINISH_REASONS));
    assertEquals(Sha256.of(" Deep learning is a subset"), call.get(Keys.OUTPUT_HASH));
    assertNull(call.get(Keys.PREDICT_OPERATION));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 13, 1 << 16})
  void streamInAnyChunking(int chunk) {
    String sse = "data:{\"index\":1,\"token\":{\"id\":1,\"text\":\" Deep\",\"logprob\":-0.1,\"special\":false},"
        + "\"generated_text\":null,\"details\":null}\n\n"
        + "data:{\"index\":2,\"token\":{\"id\":2,\"text\":\" learning\",\"logprob\":-0.2,\"special\":false},"
        + "\"generated_text\":null,\"details\":null}\n\n"
        + "data:{\"index\":3,\"token\":{\"id\":3,\"text\":\"</s>\",\"logprob\":-0.3,\"special\":true},"
        + "\"generated_text\":\" Deep learning\",\"details\":{\"finish_reason\":\"eos_token\",\"generated_tokens\":3,"
        + "\"seed\":null}}\n\n";
    AiCall call = call("/generate_stream", REQUEST, 200, "text/event-stream", sse, chunk);
    assertFalse(call.error, String.valueOf(call.get(Keys.ERROR_TYPE)));
    assertEquals(Boolean.TRUE, call.get(Keys.STREAM));
    assertEquals(3L, call.get(Keys.OUTPUT_TOKENS));
    assertEquals(List.of("eos_token"), call.get(Keys.FINISH_REASONS));
    assertEquals(Sha256.of(" Deep learning"), call.get(Keys.OUTPUT_HASH));
    assertTrue(call.has(Keys.TIME_TO_FIRST_CHUNK));
  }

  @Test
  void cutStreamAndErrorsAndOtherApps() {
    String cut = "data:{\"index\":1,\"token\":{\"id\":1,\"text\":\" Deep\",\"logprob\":-0.1,\"special\":false},"
        + "\"generated_text\":null,\"details\":null}\n\n";
    AiCall truncated = call("/generate_stream", REQUEST, 200, "text/event-stream", cut, 5);
    assertEquals("truncated_stream", truncated.get(Keys.ERROR_TYPE));
    assertEquals(Sha256.of(" Deep"), truncated.get(Keys.OUTPUT_HASH), "the tokens that came");
    AiCall inStream = call("/generate_stream", REQUEST, 200, "text/event-stream",
        "data:{\"error\":\"Request failed during generation: Server error: CUDA out of memory\","
            + "\"error_type\":\"generation\"}\n\n", 5);
    assertEquals("generation", inStream.get(Keys.ERROR_TYPE));
    AiCall invalid = call("/generate", REQUEST, 422, "application/json",
        "{\"error\":\"Input validation error: `inputs` must have less than 1024 tokens\",\"error_type\":\"validation\"}", 8);
    assertEquals("validation", invalid.get(Keys.ERROR_TYPE));
    AiCall own = call("/generate", "{\"prompt\":\"a report\"}", 200, "application/json", "{\"ok\":true}", 8);
    assertTrue(own.isNotAiCall(), "an application's own /generate");
  }
}
