package io.tracelight.smoke;

import io.tracelight.mock.MockLlmServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A smoke test with a fresh mock server per test, run on every JDK at hand. */
abstract class MockServerTest {
  MockLlmServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = MockLlmServer.start(0);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  static List<Path> jdks() {
    return ForkedJvm.javaHomes();
  }
}
