package io.tracelight.core.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class TraceParentTest {
  @Test
  void theSpecsExampleGivesItsTraceAndParent() {
    TraceParent p = TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", p.traceId);
    assertEquals("00f067aa0ba902b7", p.parentSpanId);
    assertEquals(true, p.sampled);
    TraceParent unsampled = TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00");
    assertEquals("00f067aa0ba902b7", unsampled.parentSpanId);
    assertEquals(false, unsampled.sampled);
  }

  @Test
  void aLaterVersionMayCarryMoreFields() {
    assertEquals("4bf92f3577b34da6a3ce929d0e0e4736",
        TraceParent.parse("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-the-future-holds").traceId);
  }

  @Test
  void invalidHeadersAreIgnored() {
    String[] invalid = {
      null,
      "",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
      "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
      "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
      "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
      "cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01x",
      "00_4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7_01",
      "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
    };
    for (String header : invalid) {
      assertNull(TraceParent.parse(header), String.valueOf(header));
    }
  }
}
