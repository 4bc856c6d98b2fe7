package io.tracelight.benchmarks;

import io.tracelight.mock.MockLlmServer;

/** How many SSE events the mock server streams for the workload's answer. */
final class MockAnswer {
  static final int CHUNKS;

  static {
    String stream = MockLlmServer.streamResponse("x", "gpt-4o-mini", MockLlmServer.answer("gpt-4o-mini", 2), 1, 1, 0);
    CHUNKS = stream.split("\n\n").length;
  }

  private MockAnswer() {}
}
