package io.tracelight.smoke;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelRequest;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;

/**
 * The AWS SDK for Java's Bedrock Runtime client on its default sync HTTP client (Apache HttpClient
 * 4.5, {@code sync-default}) or its Apache HttpClient 5 one ({@code sync-apache5}), signing every
 * request with SigV4 (the access key is a planted secret), against the mock.
 */
public final class AwsSdkDriver {
  private AwsSdkDriver() {}

  public static void main(String[] args) {
    if (args[0].equals("async-netty") || args[0].equals("async-h2")) {
      async(args[1], args[0].equals("async-netty"));
      return;
    }
    try (BedrockRuntimeClient client = BedrockRuntimeClient.builder()
        .endpointOverride(URI.create(args[1]))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIASMOKESECRETKEY", "smoke-secret-access-key")))
        .httpClientBuilder(args[0].equals("sync-apache5") ? Apache5HttpClient.builder() : ApacheHttpClient.builder())
        .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()))
        .build()) {
      ConverseResponse converse = client.converse(ConverseRequest.builder()
          .modelId("us.amazon.nova-lite-v1:0")
          .system(SystemContentBlock.fromText(ProviderDriver.SYSTEM_PROMPT))
          .messages(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(ProviderDriver.USER))
              .build())
          .inferenceConfig(InferenceConfiguration.builder().maxTokens(256).temperature(0.2f).build())
          .build());
      System.out.println("converse: " + converse.output().message().content().get(0).text() + " | usage "
          + converse.usage().inputTokens() + "/" + converse.usage().outputTokens() + " " + converse.stopReason());
      String body = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":256,\"system\":\""
          + ProviderDriver.SYSTEM_PROMPT + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + ProviderDriver.USER
          + "\"}]}";
      InvokeModelResponse invoke = client.invokeModel(InvokeModelRequest.builder()
          .modelId("anthropic.claude-3-5-haiku-20241022-v1:0").contentType("application/json").accept("application/json")
          .body(SdkBytes.fromUtf8String(body)).build());
      System.out.println("invoke: " + ClientDriver.sha256(invoke.body().asByteArray()));
    }
  }

  private static ConverseRequest.Builder converseRequest() {
    return ConverseRequest.builder()
        .modelId("us.amazon.nova-lite-v1:0")
        .system(SystemContentBlock.fromText(ProviderDriver.SYSTEM_PROMPT))
        .messages(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(ProviderDriver.USER))
            .build())
        .inferenceConfig(InferenceConfiguration.builder().maxTokens(256).temperature(0.2f).build());
  }

  /**
   * The async client on its Netty HTTP client: Converse, and ConverseStream through the SDK's decoder;
   * over HTTP/1.1 when asked, else as the SDK chooses for Bedrock (HTTP/2, with prior knowledge on a
   * cleartext endpoint).
   */
  private static void async(String endpoint, boolean http1) {
    software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient.Builder http =
        software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient.builder();
    if (http1) {
      http.protocol(software.amazon.awssdk.http.Protocol.HTTP1_1);
    }
    try (software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient client =
        software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient.builder()
            .endpointOverride(URI.create(endpoint))
            .region(Region.US_EAST_1)
            .credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIASMOKESECRETKEY", "smoke-secret-access-key")))
            .overrideConfiguration(o -> o.retryPolicy(RetryPolicy.none()))
            .httpClientBuilder(http)
            .build()) {
      ConverseResponse converse = client.converse(converseRequest().build()).join();
      System.out.println("async converse: " + converse.output().message().content().get(0).text() + " | usage "
          + converse.usage().inputTokens() + "/" + converse.usage().outputTokens() + " " + converse.stopReason());
      StringBuilder text = new StringBuilder();
      StringBuilder end = new StringBuilder();
      software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest stream =
          software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest.builder()
              .modelId("us.amazon.nova-lite-v1:0")
              .system(SystemContentBlock.fromText(ProviderDriver.SYSTEM_PROMPT))
              .messages(Message.builder().role(ConversationRole.USER)
                  .content(ContentBlock.fromText(ProviderDriver.USER)).build())
              .inferenceConfig(InferenceConfiguration.builder().maxTokens(256).temperature(0.2f).build())
              .build();
      client.converseStream(stream,
          software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler.builder()
              .subscriber(software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler.Visitor
                  .builder()
                  .onContentBlockDelta(d -> text.append(d.delta().text()))
                  .onMessageStop(m -> end.append(m.stopReasonAsString()))
                  .onMetadata(m -> end.append(" usage ").append(m.usage().inputTokens()).append('/')
                      .append(m.usage().outputTokens()))
                  .build())
              .build()).join();
      System.out.println("async converse-stream: " + text + " | " + end);
    }
  }
}
