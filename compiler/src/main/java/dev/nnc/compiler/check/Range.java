package dev.nnc.compiler.check;

/** An interval of real values, and how a message says it ({@code > 0}, {@code in [0, 1)}). */
record Range(double min, boolean minInclusive, double max, boolean maxInclusive, String description) {
  /** Learning rates and epsilons: {@code > 0}. */
  static final Range POSITIVE = new Range(0, false, Double.POSITIVE_INFINITY, false, "> 0");
  /** Momentum, rho, betas and dropout rates: {@code in [0, 1)}. */
  static final Range UNIT_INTERVAL = new Range(0, true, 1, false, "in [0, 1)");

  boolean contains(double value) {
    boolean aboveMin = minInclusive ? value >= min : value > min;
    boolean belowMax = maxInclusive ? value <= max : value < max;
    return aboveMin && belowMax;
  }
}
