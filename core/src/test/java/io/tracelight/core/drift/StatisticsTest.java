package io.tracelight.core.drift;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Each statistic against values computed independently: SciPy 1.17.1 ({@code scipy.stats},
 * {@code scipy.spatial.distance}) and NumPy 2.4 on the same inputs, and the published tables' critical values.
 */
class StatisticsTest {

  @Test
  void chiSquareTailMatchesTheTablesCriticalValuesAndScipy() {
    // Published chi-square tables: 3.841 (df 1) and 11.070 (df 5) are the 5% critical values.
    assertEquals(0.05, Statistics.chiSquareTail(3.841458820694124, 1), 1e-12);
    assertEquals(0.0499999554280436, Statistics.chiSquareTail(11.0705, 5), 1e-12); // scipy.stats.chi2.sf
    assertEquals(0.000856641210775301, Statistics.chiSquareTail(30.0, 10), 1e-14); // continued-fraction branch
    assertEquals(0.9188914116546758, Statistics.chiSquareTail(0.5, 3), 1e-12); // series branch
    assertEquals(3.454931382984871e-05, Statistics.chiSquareTail(100, 50), 1e-15);
  }

  @Test
  void chiSquareOfAContingencyTableMatchesScipy() {
    // scipy.stats.chi2_contingency([[30,20,50],[45,25,30]], correction=False): 8.5556, p 0.013873, dof 2
    double[] chi = Statistics.chiSquare(new long[] {30, 20, 50}, new long[] {45, 25, 30});
    assertEquals(8.555555555555555, chi[0], 1e-12);
    assertEquals(2, chi[1]);
    assertEquals(0.013873457762527509, Statistics.chiSquareTail(chi[0], chi[1]), 1e-12);
    // a category neither side has is left out, not counted as a degree of freedom
    assertEquals(2, Statistics.chiSquare(new long[] {30, 0, 20, 50}, new long[] {45, 0, 25, 30})[1]);
  }

  @Test
  void kolmogorovTailMatchesTheCriticalValues() {
    // The asymptotic two-sample critical values: c(0.05) = 1.358, c(0.01) = 1.628 (scipy.stats.kstwobign.sf)
    assertEquals(0.0499996304316674, Statistics.kolmogorovTail(1.3581), 1e-12);
    assertEquals(0.010001537333060776, Statistics.kolmogorovTail(1.6276), 1e-12);
    assertEquals(0.26999967167735456, Statistics.kolmogorovTail(1.0), 1e-12);
    assertEquals(0.9639452436648751, Statistics.kolmogorovTail(0.5), 1e-9);
  }

  @Test
  void ksStatisticOnOneBinPerValueIsTheExactTwoSampleStatistic() {
    // a = 1,2,2,3,4,5,6,7,8,9 and b = 3..14: scipy.stats.ks_2samp(a, b).statistic = 0.41666...
    long[] a = new long[15];
    long[] b = new long[15];
    for (int v : new int[] {1, 2, 2, 3, 4, 5, 6, 7, 8, 9}) {
      a[v]++;
    }
    for (int v = 3; v <= 14; v++) {
      b[v]++;
    }
    assertEquals(0.4166666666666667, Statistics.ksStatistic(a, b), 1e-15);
    assertEquals(0.0, Statistics.ksStatistic(a, a), 0);
  }

  @Test
  void ksPValueUsesStephensCorrection() {
    // n = m = 100, D = 0.2: e = sqrt(50) = 7.0711, lambda = (7.0711 + 0.12 + 0.11 / 7.0711) * 0.2 = 1.4413248
    assertEquals(Statistics.kolmogorovTail(1.441324832210316), Statistics.ksPValue(0.2, 100, 100), 1e-12);
  }

  @Test
  void jensenShannonMatchesScipy() {
    // scipy.spatial.distance.jensenshannon(p, q, base=2) ** 2
    assertEquals(0.3112781244591328, Statistics.jensenShannon(new long[] {1, 1}, new long[] {1, 0}), 1e-15);
    assertEquals(0.031127812445913266, Statistics.jensenShannon(new long[] {30, 20, 50}, new long[] {45, 25, 30}), 1e-15);
    assertEquals(1.0, Statistics.jensenShannon(new long[] {5, 0}, new long[] {0, 7}), 1e-15);
    assertEquals(0.0, Statistics.jensenShannon(new long[] {2, 4}, new long[] {3, 6}), 1e-15);
  }

  @Test
  void psiMatchesTheDefinition() {
    // NumPy: sum((q - p) * log(q / p)) for p = 25% each, q = 10/20/30/40%: 0.22822 (counts large enough
    // that the half-count smoothing changes the fifth digit at most)
    assertEquals(0.22821740957339182,
        Statistics.psi(new long[] {250000, 250000, 250000, 250000}, new long[] {100000, 200000, 300000, 400000}), 1e-5);
    // small counts with a bin the reference never saw: the half-count smoothing, NumPy on (c + 0.5) / (n + 0.5 k)
    assertEquals(0.2984787875075152, Statistics.psi(new long[] {25, 25, 25, 25, 0}, new long[] {10, 20, 30, 35, 5}), 1e-12);
    assertEquals(0.0, Statistics.psi(new long[] {3, 6, 0}, new long[] {3, 6, 0}), 1e-15);
  }

  @Test
  void pChartLimitsMatchMontgomerysOrangeJuiceExample() {
    // Montgomery, Introduction to Statistical Quality Control, the orange-juice cans p-chart:
    // p-bar 0.2313, n 50: UCL 0.4102, LCL 0.0524
    assertEquals(0.4102, Statistics.pChartUpperLimit(0.2313, 50), 1e-4);
    assertEquals(0.0524, Statistics.pChartLowerLimit(0.2313, 50), 1e-4);
  }

  @Test
  void logGammaMatchesKnownValues() {
    assertEquals(Math.log(120), Statistics.logGamma(6), 1e-13); // 5!
    assertEquals(Math.log(Math.sqrt(Math.PI)), Statistics.logGamma(0.5), 1e-13);
  }
}
