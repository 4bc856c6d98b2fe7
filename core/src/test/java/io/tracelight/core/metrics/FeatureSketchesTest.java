package io.tracelight.core.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracelight.core.prediction.FeatureValues;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Feature sketches: exact count, mean, extremes; percentiles within the histogram's precision; bounded. */
class FeatureSketchesTest {
  @Test
  void percentilesOfPositiveAndSignedFeatures() {
    FeatureSketches sketches = new FeatureSketches();
    FeatureValues values = new FeatureValues();
    for (int i = 1; i <= 1000; i++) {
      values.add("amount", i); // 1 .. 1000
      values.add("delta", i - 500.5); // -499.5 .. 499.5
    }
    sketches.record(values);
    List<FeatureSketches.Sketch> s = sketches.snapshot();
    FeatureSketches.Sketch amount = s.get(0);
    assertEquals("amount", amount.name);
    assertEquals(1000, amount.count);
    assertEquals(500.5, amount.mean, 1e-9);
    assertEquals(1, amount.min, 0);
    assertEquals(1000, amount.max, 0);
    assertEquals(500, amount.p50, 500 * 0.01 + 1, "two significant digits");
    assertEquals(50, amount.p5, 50 * 0.01 + 1);
    assertEquals(950, amount.p95, 950 * 0.01 + 1);
    FeatureSketches.Sketch delta = s.get(1);
    assertEquals(0, delta.mean, 1e-9);
    assertEquals(-450, delta.p5, 450 * 0.01 + 1, "a negative value's percentile");
    assertEquals(450, delta.p95, 450 * 0.01 + 1);
    assertEquals(0, delta.p50, 2);
  }

  @Test
  void featuresPastTheBoundAreCountedNotKept() {
    FeatureSketches sketches = new FeatureSketches();
    FeatureValues first = new FeatureValues();
    for (int f = 0; f < FeatureValues.MAX_FEATURES; f++) {
      first.add("f" + f, f);
    }
    first.add("one-too-many", 1); // past the bound of one call: not even collected
    sketches.record(first);
    FeatureValues second = new FeatureValues();
    second.add("new", 1);
    second.add("new", 2);
    sketches.record(second);
    assertEquals(FeatureValues.MAX_FEATURES, sketches.snapshot().size());
    assertEquals(2, sketches.leftOut(), "a model's new feature past the bound");
  }
}
