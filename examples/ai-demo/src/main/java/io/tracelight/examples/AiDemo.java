package io.tracelight.examples;

import io.tracelight.mock.MockLlmServer;

/**
 * The demo: a small app that calls language models the way many apps do, knowing nothing of
 * Tracelight. Run it with {@code -javaagent:tracelight-agent.jar} to see every call recorded.
 *
 * <p>With {@code OPENAI_BASE_URL} (and {@code OPENAI_API_KEY}, {@code OPENAI_MODEL}) set it talks
 * to that OpenAI-compatible server only. Otherwise it starts the mock server in-process and also
 * calls Anthropic, Gemini, Ollama and Bedrock there, each in its own wire format, and last a model
 * that declines to answer.
 */
public final class AiDemo {
  /** The last call's system prompt: the agent announces a new prompt for the model and starts a new drift reference. */
  static final String NEW_SYSTEM_PROMPT = "You are the Tracelight demo's tour guide. Answer in one sentence.";
  private AiDemo() {}

  public static void main(String[] args) throws Exception {
    String base = System.getenv("OPENAI_BASE_URL");
    if (base != null && !base.isEmpty()) {
      String key = System.getenv().getOrDefault("OPENAI_API_KEY", "sk-mock-key");
      String model = System.getenv().getOrDefault("OPENAI_MODEL", "gpt-4o-mini");
      OpenAiChatExample openai = new OpenAiChatExample(base, key, model, "tracelight-demo-no-such-model");
      try {
        openai.run();
      } finally {
        openai.close();
      }
      return;
    }
    try (MockLlmServer mock = MockLlmServer.start(0)) {
      OpenAiChatExample openai = new OpenAiChatExample(mock.baseUrl(), "sk-mock-key", "gpt-4o-mini", "mock-error-500");
      OtherProviders others = new OtherProviders("http://127.0.0.1:" + mock.port());
      try {
        openai.run();
        others.run();
        openai.chat("okhttp chat, a model that declines", "mock-sorry");
        openai.chatWithSystemPrompt("okhttp chat, a new system prompt", NEW_SYSTEM_PROMPT);
      } finally {
        openai.close();
        others.close();
      }
    }
  }
}
