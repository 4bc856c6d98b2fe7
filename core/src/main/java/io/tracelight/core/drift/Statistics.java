package io.tracelight.core.drift;

/**
 * The two-sample comparisons drift detection uses, on counts per bin or per category (a reference
 * and a current distribution over the same bins). Pure functions; any thread.
 */
public final class Statistics {
  private Statistics() {}

  /**
   * Population stability index: the sum over bins of {@code (c - r) ln(c / r)} with each side's
   * proportions. Bins empty on both sides are skipped; the others get half a count each, so a bin
   * one side never saw adds a large but finite term. Conventions: below 0.1 stable, 0.1 to 0.2 a
   * moderate shift, 0.2 and above a significant one.
   */
  public static double psi(long[] reference, long[] current) {
    int bins = 0;
    long n = 0;
    long m = 0;
    for (int i = 0; i < reference.length; i++) {
      if (reference[i] + current[i] > 0) {
        bins++;
        n += reference[i];
        m += current[i];
      }
    }
    if (n == 0 || m == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (int i = 0; i < reference.length; i++) {
      if (reference[i] + current[i] > 0) {
        double r = (reference[i] + 0.5) / (n + 0.5 * bins);
        double c = (current[i] + 0.5) / (m + 0.5 * bins);
        sum += (c - r) * Math.log(c / r);
      }
    }
    return sum;
  }

  /**
   * The two-sample Kolmogorov–Smirnov statistic: the largest gap between the two cumulative
   * distributions at the bins' upper edges. Exact when each bin holds one distinct value, a lower
   * bound of the statistic on the raw values otherwise.
   */
  public static double ksStatistic(long[] reference, long[] current) {
    return Math.abs(cdfGap(reference, current));
  }

  /**
   * The largest gap between the two cumulative distributions, signed: positive when the reference
   * has more of its mass below that point (the current distribution lies higher). NaN when a side is empty.
   */
  public static double cdfGap(long[] reference, long[] current) {
    long n = sum(reference);
    long m = sum(current);
    if (n == 0 || m == 0) {
      return Double.NaN;
    }
    double gap = 0;
    long cn = 0;
    long cm = 0;
    for (int i = 0; i < reference.length; i++) {
      cn += reference[i];
      cm += current[i];
      double d = cn / (double) n - cm / (double) m;
      if (Math.abs(d) > Math.abs(gap)) {
        gap = d;
      }
    }
    return gap;
  }

  static long sum(long[] counts) {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    return n;
  }

  /**
   * The asymptotic p-value of a two-sample KS statistic {@code d} for samples of {@code n} and
   * {@code m}: the Kolmogorov distribution's tail at {@code (sqrt(e) + 0.12 + 0.11 / sqrt(e)) d},
   * {@code e = nm / (n + m)} (Stephens' small-sample correction).
   */
  public static double ksPValue(double d, long n, long m) {
    if (!(d >= 0) || n <= 0 || m <= 0) {
      return Double.NaN;
    }
    double e = Math.sqrt(n * (double) m / (n + m));
    return kolmogorovTail((e + 0.12 + 0.11 / e) * d);
  }

  /** P(K > lambda) for the Kolmogorov distribution K. */
  public static double kolmogorovTail(double lambda) {
    if (lambda < 0.2) {
      return 1.0; // the series converges slowly here and the tail is 1 to many digits
    }
    double sum = 0;
    double sign = 1;
    for (int j = 1; j <= 100; j++) {
      double term = Math.exp(-2.0 * j * j * lambda * lambda);
      sum += sign * term;
      if (term < 1e-16 * Math.abs(sum)) {
        break;
      }
      sign = -sign;
    }
    return Math.max(0, Math.min(1, 2 * sum));
  }

  /**
   * Jensen–Shannon divergence in bits (0 for equal distributions, 1 for disjoint ones) between the
   * proportions of the two count arrays.
   */
  public static double jensenShannon(long[] reference, long[] current) {
    long n = sum(reference);
    long m = sum(current);
    if (n == 0 || m == 0) {
      return Double.NaN;
    }
    double sum = 0;
    for (int i = 0; i < reference.length; i++) {
      double p = reference[i] / (double) n;
      double q = current[i] / (double) m;
      double mid = (p + q) / 2;
      if (p > 0) {
        sum += p * Math.log(p / mid);
      }
      if (q > 0) {
        sum += q * Math.log(q / mid);
      }
    }
    return Math.max(0, sum / 2 / Math.log(2));
  }

  /**
   * Pearson's chi-square statistic of homogeneity for the 2-by-k table of the two count arrays
   * (categories empty on both sides left out); {@code result[0]} the statistic, {@code result[1]}
   * the degrees of freedom (categories used minus one).
   */
  public static double[] chiSquare(long[] reference, long[] current) {
    long n = 0;
    long m = 0;
    int categories = 0;
    for (int i = 0; i < reference.length; i++) {
      n += reference[i];
      m += current[i];
      if (reference[i] + current[i] > 0) {
        categories++;
      }
    }
    if (n == 0 || m == 0 || categories < 2) {
      return new double[] {0, Math.max(0, categories - 1)};
    }
    double total = n + m;
    double x = 0;
    for (int i = 0; i < reference.length; i++) {
      long column = reference[i] + current[i];
      if (column == 0) {
        continue;
      }
      double er = n * (double) column / total;
      double ec = m * (double) column / total;
      x += (reference[i] - er) * (reference[i] - er) / er + (current[i] - ec) * (current[i] - ec) / ec;
    }
    return new double[] {x, categories - 1};
  }

  /** P(X > x) for a chi-square variable X with {@code df} degrees of freedom. */
  public static double chiSquareTail(double x, double df) {
    if (df <= 0) {
      return Double.NaN;
    }
    if (x <= 0) {
      return 1.0;
    }
    return upperGamma(df / 2, x / 2);
  }

  /**
   * The upper control limit of a p-chart: {@code p + 3 sqrt(p (1 - p) / n)} for a centre line
   * {@code p} and a sample of {@code n}.
   */
  public static double pChartUpperLimit(double p, long n) {
    return p + 3 * Math.sqrt(p * (1 - p) / n);
  }

  /**
   * The upper limit of a p-chart whose centre line {@code p} was itself estimated from a reference
   * of {@code referenceN}: {@code p + 3 sqrt(p (1 - p) (1/n + 1/referenceN))}, the limit widened by
   * the reference's own sampling error (without it, a reference that happened to see few events
   * sets limits that a steady stream crosses often).
   */
  public static double pChartUpperLimit(double p, long n, long referenceN) {
    return p + 3 * Math.sqrt(p * (1 - p) * (1.0 / n + 1.0 / referenceN));
  }

  /** The lower control limit of a p-chart, not below 0. */
  public static double pChartLowerLimit(double p, long n) {
    return Math.max(0, p - 3 * Math.sqrt(p * (1 - p) / n));
  }

  /** The regularised upper incomplete gamma function Q(a, x): a series below {@code a + 1}, a continued fraction above. */
  static double upperGamma(double a, double x) {
    double logPrefix = a * Math.log(x) - x - logGamma(a);
    if (x < a + 1) {
      double term = 1 / a;
      double sum = term;
      for (int k = 1; k < 1000; k++) {
        term *= x / (a + k);
        sum += term;
        if (Math.abs(term) < Math.abs(sum) * 1e-15) {
          break;
        }
      }
      return Math.max(0, 1 - sum * Math.exp(logPrefix));
    }
    // Lentz's method on Q's continued fraction
    double tiny = 1e-300;
    double b = x + 1 - a;
    double c = 1 / tiny;
    double d = 1 / b;
    double h = d;
    for (int i = 1; i < 1000; i++) {
      double an = -i * (i - a);
      b += 2;
      d = an * d + b;
      if (Math.abs(d) < tiny) {
        d = tiny;
      }
      c = b + an / c;
      if (Math.abs(c) < tiny) {
        c = tiny;
      }
      d = 1 / d;
      double step = d * c;
      h *= step;
      if (Math.abs(step - 1) < 1e-15) {
        break;
      }
    }
    return Math.min(1, Math.exp(logPrefix) * h);
  }

  /** ln Γ(x) for x > 0 (Lanczos, g = 7, nine coefficients: about 15 significant digits). */
  static double logGamma(double x) {
    if (x < 0.5) {
      return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
    }
    x -= 1;
    double a = LANCZOS[0];
    double t = x + 7.5;
    for (int i = 1; i < LANCZOS.length; i++) {
      a += LANCZOS[i] / (x + i);
    }
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
  }

  private static final double[] LANCZOS = {
      0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
      -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
      1.5056327351493116e-7};
}
