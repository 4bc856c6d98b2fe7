package io.tracelight.core.drift;

/**
 * One numeric signal compared between two parts of a period, offline (the report): the same binning,
 * statistics and rule as the live check ({@link ModelDrift}), a first part as the reference and a
 * later part as the window. Used by one thread.
 */
public final class DriftComparison {
  private final ContinuousSignal signal;
  private long[] current;

  /** @param referenceSize at most this many reference values are kept while the reference fills */
  public DriftComparison(int referenceSize) {
    this.signal = new ContinuousSignal(Math.max(1, referenceSize));
  }

  /** A value of the first part (NaN for none); all of them before {@link #closeReference}. */
  public void reference(double value) {
    signal.addReference(value);
  }

  public void closeReference() {
    signal.closeReference();
  }

  /** A value of the later part. */
  public void current(double value) {
    signal.add(0, value);
    current = null;
  }

  private long[] counts() {
    if (current == null) {
      current = signal.current();
    }
    return current;
  }

  public long referenceValues() {
    return signal.referenceValues();
  }

  public long currentValues() {
    long n = 0;
    for (long c : counts()) {
      n += c;
    }
    return n;
  }

  public double psi() {
    return signal.psi(counts());
  }

  public double ksPValue() {
    return Statistics.ksPValue(Statistics.ksStatistic(signal.reference(), counts()), referenceValues(), currentValues());
  }

  public double referenceMedian() {
    return signal.referenceMedian();
  }

  public double currentMedian() {
    return signal.currentMedian(counts());
  }

  /** Whether the live check would call this drift: enough values, PSI, KS and the median's move all past {@code settings}. */
  public boolean drifted(DriftSettings settings) {
    if (referenceValues() < ModelDrift.MIN_VALUES || currentValues() < ModelDrift.MIN_VALUES) {
      return false;
    }
    return settings.numericDrift(psi(), ksPValue(), referenceMedian(), currentMedian());
  }
}
