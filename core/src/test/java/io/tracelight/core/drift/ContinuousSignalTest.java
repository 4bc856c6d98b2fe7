package io.tracelight.core.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ContinuousSignalTest {
  private static ContinuousSignal withReference(double... values) {
    ContinuousSignal s = new ContinuousSignal(values.length);
    for (double v : values) {
      s.addReference(v);
    }
    s.closeReference();
    return s;
  }

  private static double[] repeat(double[][] valueAndTimes) {
    int n = 0;
    for (double[] vt : valueAndTimes) {
      n += (int) vt[1];
    }
    double[] out = new double[n];
    int at = 0;
    for (double[] vt : valueAndTimes) {
      for (int i = 0; i < vt[1]; i++) {
        out[at++] = vt[0];
      }
    }
    return out;
  }

  @Test
  void aConstantReferenceSeparatesLowerEqualAndHigher() {
    ContinuousSignal s = withReference(repeat(new double[][] {{17, 100}}));
    assertEquals(0, s.bin(16.9));
    assertEquals(1, s.bin(17));
    assertEquals(ContinuousSignal.BINS - 1, s.bin(17.1));
    assertEquals(17, s.referenceMedian(), 0);
    for (int i = 0; i < 60; i++) {
      s.add(0, 51);
    }
    for (int i = 0; i < 40; i++) {
      s.add(0, 17);
    }
    assertEquals(51, s.currentMedian(s.current()), 0, "above the reference's range: the mean of the values there");
  }

  @Test
  void tiedValuesGiveTheSameMedianOnBothSidesWhenOnlyTheTailMoved() {
    // reference 1 (30%), 2 (40%), 3 (30%); window 1 (30%), 2 (40%), 40 (30%): the median stays where it was
    ContinuousSignal s = withReference(repeat(new double[][] {{1, 30}, {2, 40}, {3, 30}}));
    for (double[] vt : new double[][] {{1, 30}, {2, 40}, {40, 30}}) {
      for (int i = 0; i < vt[1]; i++) {
        s.add(0, vt[0]);
      }
    }
    assertEquals(s.referenceMedian(), s.currentMedian(s.current()), 1e-12);
    assertEquals(0.0, ModelDrift.relativeChange(s.referenceMedian(), s.currentMedian(s.current())), 1e-12);
    assertTrue(Statistics.cdfGap(s.reference(), s.current()) > 0, "the tail went up: the window lies higher");
  }

  @Test
  void negativeValuesAndInfinitiesAreHandled() {
    ContinuousSignal s = withReference(-3.0, -2.5, -2.0, -1.5, -1.0, Double.NEGATIVE_INFINITY, Double.NaN);
    assertEquals(5, s.referenceValues(), "infinities and NaN left out");
    assertEquals(-2.0, s.referenceMedian(), 0.3);
    s.add(0, Double.POSITIVE_INFINITY);
    long n = 0;
    for (long c : s.current()) {
      n += c;
    }
    assertEquals(0, n);
  }
}
