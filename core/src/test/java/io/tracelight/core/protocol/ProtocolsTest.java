package io.tracelight.core.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracelight.core.exchange.CaptureBudget;
import io.tracelight.core.exchange.Exchange;
import io.tracelight.core.exchange.Exchanges;
import io.tracelight.core.exchange.MapHeaders;
import io.tracelight.core.pipeline.ExchangeDriver;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every protocol is found through ServiceLoader, and each real path belongs to exactly one of them. */
class ProtocolsTest {
  private static final Map<String, String> PATHS = Map.ofEntries(
      Map.entry("/v1/chat/completions", "openai"),
      Map.entry("/openai/deployments/gpt4o/chat/completions", "openai"),
      Map.entry("/openai/v1/responses", "openai"),
      Map.entry("/v1/embeddings", "openai"),
      Map.entry("/v1/completions", "openai"),
      Map.entry("/api/v1/chat/completions", "openai"),
      Map.entry("/v1beta/openai/chat/completions", "openai"),
      Map.entry("/v1/messages", "anthropic"),
      Map.entry("/anthropic/v1/messages", "anthropic"),
      Map.entry("/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514:streamRawPredict",
          "anthropic"),
      Map.entry("/v1beta/models/gemini-2.5-flash:generateContent", "gemini"),
      Map.entry("/v1beta/models/gemini-2.5-flash:streamGenerateContent", "gemini"),
      Map.entry("/v1/projects/p/locations/l/publishers/google/models/gemini-2.5-pro:generateContent", "gemini"),
      Map.entry("/v1/projects/p/locations/l/publishers/google/models/text-embedding-005:predict", "gemini"),
      Map.entry("/v1beta/models/gemini-embedding-001:batchEmbedContents", "gemini"),
      Map.entry("/api/chat", "ollama"),
      Map.entry("/api/generate", "ollama"),
      Map.entry("/api/embed", "ollama"),
      Map.entry("/api/embeddings", "ollama"),
      Map.entry("/model/anthropic.claude-3-5-sonnet-20241022-v2%3A0/converse", "bedrock"),
      Map.entry("/model/amazon.nova-pro-v1:0/converse-stream", "bedrock"),
      Map.entry("/model/meta.llama3-1-70b-instruct-v1:0/invoke", "bedrock"),
      Map.entry("/model/anthropic.claude-3-haiku-20240307-v1:0/invoke-with-response-stream", "bedrock"),
      Map.entry("/v2/models/fraud/versions/3/infer", "kserve.v2"),
      Map.entry("/v2/models/densenet_onnx/infer", "kserve.v2"),
      Map.entry("/v1/models/fraud:predict", "tf_serving"),
      Map.entry("/v1/models/fraud/versions/2:classify", "tf_serving"),
      Map.entry("/predictions/resnet-18", "torchserve"),
      Map.entry("/invocations", "mlflow"),
      Map.entry("/endpoints/fraud-endpoint/invocations", "mlflow"),
      Map.entry("/seldon/prod/fraud/api/v1.0/predictions", "seldon"),
      Map.entry("/generate", "tgi"),
      Map.entry("/generate_stream", "tgi"));

  private static final List<String> NOT_AI = List.of("/", "/v1/models", "/api/tags", "/v1/messages/count_tokens",
      "/v1beta/models/gemini-2.5-flash:countTokens", "/v1/models/fraud", "/model/x/count-tokens",
      "/v1/responses/resp_1/cancel", "/v1/files", "/index.html");

  @Test
  void theShippedProtocolsAreFound() {
    List<String> names = new ArrayList<>();
    for (Protocol p : ExchangeDriver.PROTOCOLS.all()) {
      names.add(p.name());
    }
    Collections.sort(names);
    assertEquals(List.of("anthropic", "bedrock", "gemini", "kserve.v2", "mlflow", "ollama", "openai", "seldon",
        "tf_serving", "tgi", "torchserve"), names);
  }

  @Test
  void eachPathBelongsToExactlyOneProtocol() {
    Exchanges.install(new Exchanges.Setup(ExchangeDriver.PROTOCOLS, ex -> { }, 1 << 20, new CaptureBudget(1 << 20)));
    for (Map.Entry<String, String> e : PATHS.entrySet()) {
      List<String> matching = new ArrayList<>();
      Exchange ex = Exchanges.start("test", "POST", "https", "example.com", 443, e.getKey(), null, Map.of(),
          MapHeaders.INSTANCE);
      for (Protocol p : ExchangeDriver.PROTOCOLS.all()) {
        if (p.matches(ex.request)) {
          matching.add(p.name());
        }
      }
      assertEquals(List.of(e.getValue()), matching, e.getKey());
    }
    for (String path : NOT_AI) {
      assertEquals(null, Exchanges.start("test", "POST", "https", "example.com", 443, path, null, Map.of(),
          MapHeaders.INSTANCE), path);
    }
  }
}
