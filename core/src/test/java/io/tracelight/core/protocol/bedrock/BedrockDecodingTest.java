package io.tracelight.core.protocol.bedrock;

import static io.tracelight.core.pipeline.ExchangeDriver.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.ExchangeDriver;
import io.tracelight.core.protocol.Sha256;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bedrock Runtime on recorded payloads and event-stream frames. */
class BedrockDecodingTest {
  private static final String HOST = "bedrock-runtime.us-east-1.amazonaws.com";
  private static final String JSON = "application/json";
  private static final String EVENTS = "application/vnd.amazon.eventstream";
  private static final String REQUEST_ID = "6f1c2a0e-1b6d-4f0e-9a7c-4b1de2f3a4b5";
  private final ExchangeDriver driver = new ExchangeDriver();

  private AiCall call(String path, String request, int status, String type, String response, int chunk,
      String... headers) {
    String[] all = Arrays.copyOf(headers, headers.length + 2);
    all[headers.length] = "x-amzn-RequestId";
    all[headers.length + 1] = REQUEST_ID;
    return driver.call(HOST, path, resource("bedrock/" + request), status, type, resource("bedrock/" + response), chunk,
        all);
  }

  @Test
  void converseWithCacheReadsCountedIntoTheInput() {
    AiCall call = call("/model/us.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse", "converse-request.json", 200,
        JSON, "converse-response.json", 64);
    assertEquals("aws.bedrock", call.get(Keys.PROVIDER));
    assertEquals("chat", call.get(Keys.OPERATION));
    assertEquals("us.anthropic.claude-3-7-sonnet-20250219-v1:0", call.get(Keys.REQUEST_MODEL), "decoded, profile kept");
    assertEquals(Boolean.FALSE, call.get(Keys.STREAM));
    assertEquals(384L, call.get(Keys.MAX_TOKENS));
    assertEquals(0.3, call.get(Keys.TEMPERATURE));
    assertEquals(40.0, call.get(Keys.TOP_K));
    assertEquals(1L, call.get(Keys.REQUEST_TOOLS));
    assertEquals(Sha256.of("You are a terse maritime-history helper. Answer in at most two sentences."),
        call.get(Keys.SYSTEM_HASH));
    assertEquals(58L + 1280L, call.get(Keys.INPUT_TOKENS));
    assertEquals(1280L, call.get(Keys.CACHE_READ_TOKENS));
    assertEquals(33L, call.get(Keys.OUTPUT_TOKENS));
    assertEquals(List.of("end_turn"), call.get(Keys.FINISH_REASONS));
    assertEquals(REQUEST_ID, call.get(Keys.RESPONSE_ID), "Bedrock's id is the request id header");
    assertEquals(Sha256.of("Dueodde Fyr on Bornholm is the tallest, with a tower of about 47 metres. It was first lit"
        + " in 1962."), call.get(Keys.OUTPUT_HASH));
  }

  @Test
  void converseToolUseAndGuardrail() {
    String path = "/model/amazon.nova-pro-v1:0/converse";
    AiCall tool = call(path, "converse-request.json", 200, JSON, "converse-response-tool-use.json", 64);
    assertEquals(1L, tool.get(Keys.RESPONSE_TOOL_CALLS));
    assertEquals(412L + 1310L, tool.get(Keys.INPUT_TOKENS));
    assertEquals(1310L, tool.get(Keys.CACHE_CREATION_TOKENS));
    AiCall guard = call(path, "converse-request.json", 200, JSON, "converse-response-guardrail.json", 64);
    assertEquals("guardrail_intervened", guard.get(Keys.BLOCK_REASON));
    assertEquals(List.of("guardrail_intervened"), guard.get(Keys.FINISH_REASONS));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 13, 200, 1 << 20})
  void converseStreamFromEventStreamFrames(int chunk) {
    AiCall call = call("/model/amazon.nova-lite-v1%3A0/converse-stream", "converse-request.json", 200, EVENTS,
        "converse-stream.bin", chunk);
    assertFalse(call.error, String.valueOf(call.get(Keys.ERROR_TYPE)));
    assertEquals(Boolean.TRUE, call.get(Keys.STREAM));
    assertEquals(Sha256.of("Dueodde Fyr on Bornholm is the tallest, about 47 m; Gedser Fyr near S\u00f8nderby is far"
        + " shorter."), call.get(Keys.OUTPUT_HASH));
    assertEquals(58L + 1280L, call.get(Keys.INPUT_TOKENS), "the metadata event's cache reads included");
    assertEquals(1280L, call.get(Keys.CACHE_READ_TOKENS));
    assertEquals(29L, call.get(Keys.OUTPUT_TOKENS));
    assertEquals(List.of("end_turn"), call.get(Keys.FINISH_REASONS));
    assertEquals(REQUEST_ID, call.get(Keys.RESPONSE_ID));
  }

  @Test
  void converseStreamToolUseExceptionAndCut() {
    String path = "/model/amazon.nova-lite-v1%3A0/converse-stream";
    AiCall tool = call(path, "converse-request.json", 200, EVENTS, "converse-stream-tool.bin", 50);
    assertEquals(1L, tool.get(Keys.RESPONSE_TOOL_CALLS));
    assertEquals(Sha256.of("Let me check the registry."), tool.get(Keys.OUTPUT_HASH));
    assertEquals(List.of("tool_use"), tool.get(Keys.FINISH_REASONS));
    AiCall throttled = call(path, "converse-request.json", 200, EVENTS, "converse-stream-exception.bin", 50);
    assertTrue(throttled.error);
    assertEquals("ThrottlingException", throttled.get(Keys.ERROR_TYPE));
    byte[] frames = resource("bedrock/converse-stream.bin");
    AiCall cut = driver.call(HOST, path, resource("bedrock/converse-request.json"), 200, EVENTS,
        Arrays.copyOf(frames, frames.length / 2), 64);
    assertEquals("truncated_stream", cut.get(Keys.ERROR_TYPE));
  }

  @Test
  void invokeModelForEachFamily() {
    AiCall anthropic = call("/model/anthropic.claude-3-5-sonnet-20241022-v2:0/invoke", "invoke-anthropic-request.json",
        200, JSON, "invoke-anthropic-response.json", 64);
    assertEquals("chat", anthropic.get(Keys.OPERATION));
    assertEquals(Sha256.of("You answer questions about North Sea ferries in one short paragraph."),
        anthropic.get(Keys.SYSTEM_HASH));
    assertEquals(300L, anthropic.get(Keys.MAX_TOKENS));
    assertEquals(37L, anthropic.get(Keys.INPUT_TOKENS));
    assertEquals(26L, anthropic.get(Keys.OUTPUT_TOKENS));
    assertEquals(REQUEST_ID, anthropic.get(Keys.RESPONSE_ID));

    AiCall nova = call("/model/amazon.nova-pro-v1:0/invoke", "invoke-nova-request.json", 200, JSON,
        "invoke-nova-response.json", 64);
    assertEquals("chat", nova.get(Keys.OPERATION));
    assertEquals(200L, nova.get(Keys.MAX_TOKENS));
    assertEquals(20.0, nova.get(Keys.TOP_K));
    assertEquals(Sha256.of("Reply like a railway timetable clerk: precise and brief."), nova.get(Keys.SYSTEM_HASH));
    assertEquals(29L, nova.get(Keys.INPUT_TOKENS));
    assertEquals(19L, nova.get(Keys.OUTPUT_TOKENS));
    assertEquals(List.of("end_turn"), nova.get(Keys.FINISH_REASONS));

    AiCall titan = call("/model/amazon.titan-text-express-v1/invoke", "invoke-titan-request.json", 200, JSON,
        "invoke-titan-response.json", 64);
    assertEquals("text_completion", titan.get(Keys.OPERATION));
    assertEquals(120L, titan.get(Keys.MAX_TOKENS));
    assertEquals(12L, titan.get(Keys.INPUT_TOKENS));
    assertEquals(21L, titan.get(Keys.OUTPUT_TOKENS));
    assertEquals(List.of("FINISH"), titan.get(Keys.FINISH_REASONS));
    assertEquals(Sha256.of("\nGrey mist hugs the moored trawlers while gulls call somewhere above the hidden quay."),
        titan.get(Keys.OUTPUT_HASH));

    AiCall llama = call("/model/meta.llama3-1-70b-instruct-v1:0/invoke", "invoke-llama-request.json", 200, JSON,
        "invoke-llama-response.json", 64);
    assertEquals(256L, llama.get(Keys.MAX_TOKENS));
    assertEquals(31L, llama.get(Keys.INPUT_TOKENS));
    assertEquals(19L, llama.get(Keys.OUTPUT_TOKENS));
    assertEquals(List.of("stop"), llama.get(Keys.FINISH_REASONS));

    AiCall mistral = call("/model/mistral.mistral-large-2407-v1:0/invoke", "invoke-mistral-request.json", 200, JSON,
        "invoke-mistral-response.json", 64, "X-Amzn-Bedrock-Input-Token-Count", "23",
        "X-Amzn-Bedrock-Output-Token-Count", "5");
    assertEquals(23L, mistral.get(Keys.INPUT_TOKENS), "Mistral's body has no counts: the headers do");
    assertEquals(5L, mistral.get(Keys.OUTPUT_TOKENS));
    assertEquals(Sha256.of(" Marmalade Whiskers"), mistral.get(Keys.OUTPUT_HASH));

    AiCall cohere = call("/model/cohere.command-r-v1:0/invoke", "invoke-cohere-request.json", 200, JSON,
        "invoke-cohere-response.json", 64);
    assertEquals("chat", cohere.get(Keys.OPERATION));
    assertEquals(Sha256.of("You are a patient sailing instructor."), cohere.get(Keys.SYSTEM_HASH), "the preamble");
    assertEquals(41L, cohere.get(Keys.INPUT_TOKENS));
    assertEquals(18L, cohere.get(Keys.OUTPUT_TOKENS));
    assertEquals(List.of("COMPLETE"), cohere.get(Keys.FINISH_REASONS));
    assertEquals(Sha256.of("Start with the reef knot: it is quick to tie and easy to check by eye."),
        cohere.get(Keys.OUTPUT_HASH), "not the echoed chat history");
  }

  @Test
  void invokeModelEmbeddings() {
    AiCall titan = call("/model/amazon.titan-embed-text-v2:0/invoke", "invoke-titan-embed-request.json", 200, JSON,
        "invoke-titan-embed-response.json", 64);
    assertEquals("embeddings", titan.get(Keys.OPERATION));
    assertEquals(1L, titan.get(Keys.EMBEDDING_INPUTS));
    assertEquals(256L, titan.get(Keys.EMBEDDING_DIMENSIONS));
    assertEquals(8L, titan.get(Keys.INPUT_TOKENS));
    AiCall cohere = call("/model/cohere.embed-english-v3/invoke", "invoke-cohere-embed-request.json", 200, JSON,
        "invoke-cohere-embed-response.json", 64, "X-Amzn-Bedrock-Input-Token-Count", "9");
    assertEquals(2L, cohere.get(Keys.EMBEDDING_INPUTS));
    assertEquals(1024L, cohere.get(Keys.EMBEDDING_DIMENSIONS));
    assertEquals(9L, cohere.get(Keys.INPUT_TOKENS));
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 64, 1 << 20})
  void invokeWithResponseStreamForAnthropicAndLlama(int chunk) {
    AiCall anthropic = call("/model/anthropic.claude-3-5-sonnet-20241022-v2:0/invoke-with-response-stream",
        "invoke-anthropic-request.json", 200, EVENTS, "invoke-stream-anthropic.bin", chunk);
    assertFalse(anthropic.error, String.valueOf(anthropic.get(Keys.ERROR_TYPE)));
    assertEquals(Boolean.TRUE, anthropic.get(Keys.STREAM));
    assertEquals(Sha256.of("The crossing to Fan\u00f8 takes about twelve minutes."), anthropic.get(Keys.OUTPUT_HASH));
    assertEquals(37L, anthropic.get(Keys.INPUT_TOKENS));
    assertEquals(14L, anthropic.get(Keys.OUTPUT_TOKENS));
    assertEquals(List.of("end_turn"), anthropic.get(Keys.FINISH_REASONS));
    AiCall llama = call("/model/meta.llama3-1-8b-instruct-v1:0/invoke-with-response-stream", "invoke-llama-request.json",
        200, EVENTS, "invoke-stream-llama.bin", chunk);
    assertFalse(llama.error, String.valueOf(llama.get(Keys.ERROR_TYPE)));
    assertEquals(Sha256.of("Kale is a good choice: it shrugs off frost."), llama.get(Keys.OUTPUT_HASH));
    assertEquals(31L, llama.get(Keys.INPUT_TOKENS));
    assertEquals(12L, llama.get(Keys.OUTPUT_TOKENS));
    assertEquals(List.of("stop"), llama.get(Keys.FINISH_REASONS));
  }

  @Test
  void errorsNameTheirTypeInAHeader() {
    String path = "/model/amazon.nova-pro-v1:0/converse";
    AiCall throttled = call(path, "converse-request.json", 429, JSON, "error-throttling.json", 64, "x-amzn-ErrorType",
        "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/");
    assertEquals("ThrottlingException", throttled.get(Keys.ERROR_TYPE));
    assertEquals(REQUEST_ID, throttled.get(Keys.RESPONSE_ID));
    AiCall invalid = call(path, "converse-request.json", 400, JSON, "error-validation.json", 64, "x-amzn-ErrorType",
        "ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/");
    assertEquals("ValidationException", invalid.get(Keys.ERROR_TYPE));
  }

  @Test
  void modelIdsAndFamilies() {
    assertEquals("anthropic", BedrockModel.family("us.anthropic.claude-3-5-sonnet-20241022-v2:0"));
    assertEquals("anthropic", BedrockModel.family("global.anthropic.claude-sonnet-4-20250514-v1:0"));
    assertEquals("meta", BedrockModel.family("meta.llama3-1-70b-instruct-v1:0"));
    assertEquals("anthropic", BedrockModel.family(
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-haiku-20240307-v1:0"));
    assertEquals("", BedrockModel.family("arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc123"));
    AiCall arn = driver.call(HOST, "/model/arn%3Aaws%3Abedrock%3Aus-east-1%3A123456789012%3Ainference-profile%2F"
        + "eu.meta.llama3-2-3b-instruct-v1%3A0/invoke", resource("bedrock/invoke-llama-request.json"), 200, JSON,
        resource("bedrock/invoke-llama-response.json"), 64);
    assertEquals("arn:aws:bedrock:us-east-1:123456789012:inference-profile/eu.meta.llama3-2-3b-instruct-v1:0",
        arn.get(Keys.REQUEST_MODEL));
    assertEquals(31L, arn.get(Keys.INPUT_TOKENS));
    assertNull(driver.start(HOST, "/model/amazon.nova-pro-v1:0/count-tokens"));
    assertNull(driver.start(HOST, "/guardrail/g1/version/1/apply"));
  }
}
