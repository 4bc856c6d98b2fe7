package io.tracelight.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Gaps land in the conventions' buckets (upper bound inclusive) with exact sums. */
class ChunkGapsTest {
  @Test
  void eachGapGoesToTheBucketOfItsUpperBound() {
    ChunkGaps g = new ChunkGaps();
    g.record(5_000_000L); // 5 ms: first bucket (<= 0.01 s)
    g.record(10_000_000L); // exactly 0.01 s: still the first
    g.record(10_000_001L); // just above: the second
    g.record(100_000_000_000L); // 100 s: past the last bound (81.92 s)
    assertEquals(4, g.count());
    assertEquals(15, g.buckets());
    assertEquals(2, g.count(0));
    assertEquals(0.015, g.seconds(0), 1e-12);
    assertEquals(1, g.count(1));
    assertEquals(1, g.count(14));
    assertEquals(100.0, g.seconds(14), 1e-9);
  }
}
