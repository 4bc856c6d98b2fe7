package io.tracelight.core.quality;

import static io.tracelight.core.pipeline.ExchangeDriver.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tracelight.core.model.AiCall;
import io.tracelight.core.model.Keys;
import io.tracelight.core.pipeline.ExchangeDriver;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * Refusals, safety flags, format checks and log probabilities on recorded provider payloads,
 * through the decoders and the pipeline's answer checks. Expected values are those the payloads
 * carry (log probabilities summed by hand from the files).
 */
class AnswerChecksTest {
  private static final OutputSignals SIGNALS = new OutputSignals(RefusalPhrases.defaults());
  private static final String JSON = "application/json";
  private static final String SSE = "text/event-stream";

  private static AiCall call(String host, String path, String request, String response, String type) {
    return checked(new ExchangeDriver().call(host, path, resource(request), 200, type, resource(response), 64));
  }

  private static AiCall checked(AiCall c) {
    SIGNALS.apply(c);
    return c;
  }

  private static AiCall openAi(String request, String response) {
    return call("api.openai.com", "/v1/chat/completions", request, response, JSON);
  }

  private static AiCall chat(String answer, String requestExtra) {
    String request = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + requestExtra + "}";
    String response = "{\"id\":\"c1\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
        + "\"content\":" + answer + "},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7}}";
    return checked(new ExchangeDriver().call(request.getBytes(StandardCharsets.UTF_8), 200, JSON,
        response.getBytes(StandardCharsets.UTF_8), 64));
  }

  @Test
  void theProvidersOwnRefusalsNameTheirRule() {
    AiCall openai = openAi("chat-request.json", "chat-response-refusal.json");
    assertEquals(Boolean.TRUE, openai.get(Keys.REFUSAL));
    assertEquals("refusal_field", openai.get(Keys.REFUSAL_RULE));
    AiCall anthropic = call("api.anthropic.com", "/v1/messages", "anthropic/request.json", "anthropic/response-refusal.json", JSON);
    assertEquals("stop_reason:refusal", anthropic.get(Keys.REFUSAL_RULE));
    AiCall gemini = call("generativelanguage.googleapis.com", "/v1beta/models/gemini-2.5-flash:generateContent",
        "gemini/request.json", "gemini/response-prompt-blocked.json", JSON);
    assertEquals(Boolean.TRUE, gemini.get(Keys.REFUSAL));
    assertEquals("block:SAFETY", gemini.get(Keys.REFUSAL_RULE));
    assertEquals(Collections.singletonList("prompt:harassment"), gemini.get(Keys.SAFETY_FLAGS));
    AiCall azure = call("lighthouse.openai.azure.com", "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
        "openai/azure-chat-request.json", "openai/azure-chat-response-filtered.json", JSON);
    assertEquals("block:content_filter", azure.get(Keys.REFUSAL_RULE));
    assertEquals(Arrays.asList("violence", "prompt:jailbreak"), azure.get(Keys.SAFETY_FLAGS),
        "the answer's filtered category and the prompt's detected one; `low` and `safe` are not flags");
    AiCall plain = openAi("chat-request.json", "chat-response.json");
    assertEquals("default", plain.get(Keys.OPENAI_RESPONSE_SERVICE_TIER));
    assertNull(plain.get(Keys.REFUSAL));
    assertNull(plain.get(Keys.SAFETY_FLAGS));
  }

  @Test
  void aRefusalPhraseAtTheOpeningIsARefusalInSeveralLanguagesButNotLaterInTheAnswer() {
    AiCall english = chat("\"I\u2019m sorry, but I can\u2019t help with that request.\"", "");
    assertEquals("phrase:i'm sorry, but i can't", english.get(Keys.REFUSAL_RULE), "typographic apostrophes made plain");
    AiCall spanish = chat("\"Lo siento, pero no puedo ayudarte con eso.\"", "");
    assertEquals("phrase:lo siento, pero no puedo", spanish.get(Keys.REFUSAL_RULE));
    AiCall german = chat("\"**Es tut mir leid, aber ich kann** dabei nicht helfen.\"", "");
    assertEquals("phrase:es tut mir leid, aber ich kann", german.get(Keys.REFUSAL_RULE), "markdown emphasis ignored");
    AiCall japanese = chat("\"申し訳ありませんが、そのご依頼にはお応えできません。\"", "");
    assertEquals("phrase:お応えできません", japanese.get(Keys.REFUSAL_RULE));
    StringBuilder story = new StringBuilder("\"");
    for (int i = 0; i < 40; i++) {
      story.append("The keeper climbed the stairs. ");
    }
    story.append("He said: I can't help with the fog.\"");
    assertNull(chat(story.toString(), "").get(Keys.REFUSAL), "a phrase past the opening is the story, not a refusal");
    assertNull(chat("\"Sorry for the wait: the Tagus flows through Lisbon.\"", "").get(Keys.REFUSAL));
  }

  @Test
  void usersAddPhrasesAndCanDropTheDefaults() {
    RefusalPhrases own = RefusalPhrases.of(false, RefusalPhrases.split("We Cannot Process | |ne peut pas traiter"), 50);
    assertEquals(2, own.size());
    assertEquals("we cannot process", own.match("  we  cannot\nprocess this order"));
    assertNull(own.match("I can't help with that"), "defaults off");
    assertNull(own.match("Some sixty characters of preamble come first, and then: we cannot process"),
        "beyond the 50-character window");
  }

  @Test
  void aJsonAnswerIsCheckedAgainstTheRequestedSchema() {
    AiCall missing = openAi("chat-request-json-schema.json", "chat-response-json-missing-field.json");
    assertEquals(Boolean.TRUE, missing.get(Keys.OUTPUT_INVALID_JSON));
    assertEquals("missing:population", missing.get(Keys.OUTPUT_FORMAT_ERROR));
    String schema = ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"c\",\"schema\":"
        + "{\"type\":\"object\",\"required\":[\"city\"]}}}";
    assertNull(chat("\"{\\\"city\\\":\\\"Lisbon\\\",\\\"x\\\":[1,{\\\"y\\\":2}]}\"", schema).get(Keys.OUTPUT_INVALID_JSON));
    assertEquals("not_json", chat("\"{\\\"city\\\":\\\"Lis\"", schema).get(Keys.OUTPUT_FORMAT_ERROR), "cut JSON");
    assertEquals("not_object", chat("\"[1,2]\"", schema).get(Keys.OUTPUT_FORMAT_ERROR));
    assertEquals("not_json", chat("\"{} {}\"", ",\"response_format\":{\"type\":\"json_object\"}").get(Keys.OUTPUT_FORMAT_ERROR),
        "two values are not one JSON answer");
    assertNull(chat("\"[1,2]\"", ",\"response_format\":{\"type\":\"json_object\"}").get(Keys.OUTPUT_INVALID_JSON),
        "JSON mode without a schema: any one value");
    assertNull(chat("\"not json at all\"", "").get(Keys.OUTPUT_INVALID_JSON), "no JSON asked for, none judged");
    AiCall gemini = call("generativelanguage.googleapis.com", "/v1beta/models/gemini-2.5-flash:generateContent",
        "gemini/request-json-mime.json", "gemini/response-logprobs.json", JSON);
    assertEquals("not_json", gemini.get(Keys.OUTPUT_FORMAT_ERROR), "JSON inside a markdown fence is not a JSON answer");
  }

  private static AiCall inline(String host, String path, String request, String response) {
    return checked(new ExchangeDriver().call(host, path, request.getBytes(StandardCharsets.UTF_8), 200, JSON,
        response.getBytes(StandardCharsets.UTF_8), 64));
  }

  @Test
  void anthropicStructuredOutputsAndTheResponsesApiAreJudgedToo() {
    AiCall anthropic = inline("api.anthropic.com", "/v1/messages",
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"output_config\":{\"format\":{\"type\":\"json_schema\","
            + "\"schema\":{\"type\":\"object\",\"required\":[\"city\"]}}},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":"
            + "[{\"type\":\"text\",\"text\":\"{\\\"town\\\":\\\"Lisbon\\\"}\"}],\"stop_reason\":\"end_turn\","
            + "\"usage\":{\"input_tokens\":9,\"output_tokens\":6}}");
    assertEquals("missing:city", anthropic.get(Keys.OUTPUT_FORMAT_ERROR));
    AiCall responses = inline("api.openai.com", "/v1/responses",
        "{\"model\":\"gpt-4.1\",\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"c\","
            + "\"schema\":{\"type\":\"object\",\"required\":[\"city\"]}}},\"include\":[\"message.output_text.logprobs\"]}",
        "{\"id\":\"resp_1\",\"object\":\"response\",\"status\":\"completed\",\"model\":\"gpt-4.1\",\"service_tier\":\"flex\","
            + "\"output\":[{\"type\":\"message\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
            + "\"text\":\"{\\\"city\\\":\\\"Lisbon\\\"}\",\"logprobs\":[{\"token\":\"{\\\"\",\"logprob\":-0.5,\"bytes\":[123,34],"
            + "\"top_logprobs\":[]},{\"token\":\"city\",\"logprob\":-1.5,\"bytes\":[99],\"top_logprobs\":[]}]}]}],"
            + "\"usage\":{\"input_tokens\":9,\"output_tokens\":6}}");
    assertNull(responses.get(Keys.OUTPUT_INVALID_JSON), responses.get(Keys.OUTPUT_FORMAT_ERROR));
    assertEquals(-1.0, responses.get(Keys.LOGPROB_MEAN), 1e-12);
    assertEquals(-1.5, responses.get(Keys.LOGPROB_MIN), 1e-12);
    assertEquals("flex", responses.get(Keys.OPENAI_RESPONSE_SERVICE_TIER));
  }

  @Test
  void toolCallArgumentsAreCheckedAgainstTheDeclaredTool() {
    AiCall broken = openAi("chat-request-json-schema.json", "chat-response-broken-tool-args.json");
    assertEquals(2L, broken.get(Keys.OUTPUT_INVALID_TOOL_CALLS), "one cut, one without the required city");
    assertEquals("tool:get_weather:not_json", broken.get(Keys.OUTPUT_FORMAT_ERROR));
    AiCall fine = openAi("chat-request.json", "chat-response-tool-calls.json");
    assertNull(fine.get(Keys.OUTPUT_INVALID_TOOL_CALLS));
    AiCall streamed = call("api.openai.com", "/v1/chat/completions", "openai/chat-request.json", "openai/stream-tool-calls.sse", SSE);
    assertNull(streamed.get(Keys.OUTPUT_INVALID_TOOL_CALLS), "argument pieces joined across chunks parse");
    AiCall anthropic = call("api.anthropic.com", "/v1/messages", "anthropic/request.json", "anthropic/stream-tool-use.sse", SSE);
    assertNull(anthropic.get(Keys.OUTPUT_INVALID_TOOL_CALLS), "input_json_delta pieces joined");
    AiCall bedrock = call("bedrock-runtime.us-east-1.amazonaws.com", "/model/amazon.nova-pro-v1:0/converse",
        "bedrock/converse-request.json", "bedrock/converse-response-tool-use.json", JSON);
    assertNull(bedrock.get(Keys.OUTPUT_INVALID_TOOL_CALLS));
  }

  private static String sse(String... events) {
    StringBuilder b = new StringBuilder();
    for (String e : events) {
      b.append("data: ").append(e).append("\n\n");
    }
    return b.append("data: [DONE]\n\n").toString();
  }

  private static String chunk(String delta, String finish) {
    return "{\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,"
        + "\"delta\":" + delta + ",\"finish_reason\":" + (finish == null ? "null" : "\"" + finish + "\"") + "}]}";
  }

  @Test
  void streamedToolArgumentsAreJoinedThenJudgedAndAnUndeclaredNameIsNotWritten() {
    String request = "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
        + "\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}]}";
    String missing = sse(
        chunk("{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]}", null),
        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"un\"}}]}", null),
        chunk("{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"it\\\":\\\"c\\\"}\"}}]}", null),
        chunk("{}", "tool_calls"));
    AiCall call = checked(new ExchangeDriver().call(request.getBytes(StandardCharsets.UTF_8), 200, SSE,
        missing.getBytes(StandardCharsets.UTF_8), 7));
    assertEquals(1L, call.get(Keys.OUTPUT_INVALID_TOOL_CALLS), "pieces joined: {\"unit\":\"c\"} lacks city");
    assertEquals("tool:get_weather:missing:city", call.get(Keys.OUTPUT_FORMAT_ERROR));
    String undeclared = sse(
        chunk("{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"rm -rf / secret-name\",\"arguments\":\"{oops\"}}]}", "tool_calls"));
    AiCall made = checked(new ExchangeDriver().call(request.getBytes(StandardCharsets.UTF_8), 200, SSE,
        undeclared.getBytes(StandardCharsets.UTF_8), 64));
    assertEquals("tool:?:not_json", made.get(Keys.OUTPUT_FORMAT_ERROR), "a name the request never declared is the model's text");
  }

  @Test
  void aStreamedJsonAnswerCutByTheCaptureCapIsNotJudged() {
    int cap = io.tracelight.core.model.Content.maxChars();
    io.tracelight.core.model.Content.maxChars(40);
    try {
      String request = "{\"model\":\"gpt-4o\",\"stream\":true,\"response_format\":{\"type\":\"json_object\"},"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
      String body = sse(chunk("{\"role\":\"assistant\",\"content\":\"{\\\"city\\\": \\\"Lisbon\\\", \"}", null),
          chunk("{\"content\":\"\\\"note\\\": \\\"a long answer the cap of forty characters cuts\\\"}\"}", "stop"));
      AiCall call = checked(new ExchangeDriver().call(request.getBytes(StandardCharsets.UTF_8), 200, SSE,
          body.getBytes(StandardCharsets.UTF_8), 64));
      assertNull(call.get(Keys.OUTPUT_INVALID_JSON), "only part of the answer was kept: nothing to judge");
      assertEquals(76L, call.get(Keys.OUTPUT_CHARS));
    } finally {
      io.tracelight.core.model.Content.maxChars(cap);
    }
  }

  @Test
  void logProbabilitiesGiveTheMeanAndTheLeastLikelyToken() {
    AiCall whole = openAi("chat-request-json-schema.json", "chat-response-json-missing-field.json");
    assertEquals(-0.0872628648, whole.get(Keys.LOGPROB_MEAN), 1e-9);
    assertEquals(-0.5108256, whole.get(Keys.LOGPROB_MIN), 1e-12);
    AiCall streamed = call("api.openai.com", "/v1/chat/completions", "openai/chat-request.json", "openai/stream-logprobs.sse", SSE);
    assertEquals(-0.1474670038, streamed.get(Keys.LOGPROB_MEAN), 1e-9);
    assertEquals(-0.873539, streamed.get(Keys.LOGPROB_MIN), 1e-12);
    AiCall gemini = call("generativelanguage.googleapis.com", "/v1beta/models/gemini-2.5-flash:generateContent",
        "gemini/request-json-mime.json", "gemini/response-logprobs.json", JSON);
    assertEquals(-0.1867794090909091, gemini.get(Keys.LOGPROB_MEAN), 1e-12, "Gemini's own avgLogprobs");
    assertEquals(-1.2039728, gemini.get(Keys.LOGPROB_MIN), 1e-12);
    assertNull(openAi("chat-request.json", "chat-response.json").get(Keys.LOGPROB_MEAN), "not asked for");
  }

  @Test
  void safetyRatingsAndGuardrailTracesBecomeFlags() {
    AiCall medium = call("generativelanguage.googleapis.com", "/v1beta/models/gemini-2.5-flash:generateContent",
        "gemini/request.json", "gemini/response-safety-ratings-medium.json", JSON);
    assertEquals(Collections.singletonList("dangerous_content"), medium.get(Keys.SAFETY_FLAGS));
    assertNull(medium.get(Keys.REFUSAL), "rated, not blocked: the answer came");
    AiCall blocked = call("generativelanguage.googleapis.com", "/v1beta/models/gemini-2.5-flash:generateContent",
        "gemini/request.json", "gemini/response-safety-blocked.json", JSON);
    assertEquals(Collections.singletonList("dangerous_content"), blocked.get(Keys.SAFETY_FLAGS));
    assertEquals("block:SAFETY", blocked.get(Keys.REFUSAL_RULE));
    AiCall converse = call("bedrock-runtime.us-east-1.amazonaws.com", "/model/amazon.nova-pro-v1:0/converse",
        "bedrock/converse-request.json", "bedrock/converse-response-guardrail.json", JSON);
    assertEquals(Collections.singletonList("prompt:misconduct"), converse.get(Keys.SAFETY_FLAGS));
    assertEquals("block:guardrail_intervened", converse.get(Keys.REFUSAL_RULE));
    AiCall masked = call("bedrock-runtime.us-east-1.amazonaws.com", "/model/anthropic.claude-3-5-sonnet-20241022-v2:0/invoke",
        "bedrock/invoke-anthropic-request.json", "bedrock/invoke-anthropic-response-guardrail.json", JSON);
    assertEquals(Arrays.asList("pii:email", "pii:phone"), masked.get(Keys.SAFETY_FLAGS));
    assertNull(masked.get(Keys.REFUSAL), "the guardrail masked personal data; the answer still came");
  }

  @Test
  void aPromptTheFilterRefusedFailsAndIsFlagged() {
    AiCall refused = checked(new ExchangeDriver().call("lighthouse.openai.azure.com",
        "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", resource("openai/azure-chat-request.json"), 400,
        JSON, resource("openai/azure-error-content-filter.json"), 64));
    assertEquals(true, refused.error);
    assertEquals(Arrays.asList("prompt:jailbreak", "prompt:violence"), refused.get(Keys.SAFETY_FLAGS));
  }

  @Test
  void tokensPerSecondCountFromTheFirstChunkOfAStream() {
    AiCall call = chat("\"Lisbon.\"", "");
    call.durationNanos = 500_000_000L;
    SIGNALS.apply(call);
    assertEquals(14.0, call.get(Keys.TOKENS_PER_SECOND), "7 tokens in 0.5 s");
    call.set(Keys.STREAM, Boolean.TRUE);
    call.set(Keys.TIME_TO_FIRST_CHUNK, 0.3);
    SIGNALS.apply(call);
    assertEquals(35.0, call.get(Keys.TOKENS_PER_SECOND), "7 tokens in the 0.2 s after the first chunk");
  }
}
