package io.tracelight.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProcessIdTest {
  @Test
  void theLinkGivesTheSamePidAsTheProcessApi() {
    assertEquals(ProcessHandle.current().pid(), ProcessId.current());
    assertEquals(ProcessId.current(), ProcessId.current(), "read once, then kept");
  }
}
