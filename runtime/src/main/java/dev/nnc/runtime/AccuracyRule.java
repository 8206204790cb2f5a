package dev.nnc.runtime;

/**
 * Keras' {@code "accuracy"} metric, which means a different comparison for each kind of loss. Each
 * rule returns the number of correct samples in a batch (a fraction per sample when a sample has
 * several binary outputs), so that accuracies over batches of different sizes add up.
 */
public enum AccuracyRule {
  /** sparse categorical: {@code argmax(output) == label}. */
  CLASS_INDEX {
    @Override
    public double hits(float[] out, float[] y, int n, int outputs, int targetSize) {
      int hits = 0;
      for (int i = 0; i < n; i++) {
        if (argmax(out, i * outputs, outputs) == (int) y[i * targetSize]) hits++;
      }
      return hits;
    }
  },
  /** binary: mean over the outputs of {@code (p > 0.5) == (y > 0.5)}. */
  THRESHOLD {
    @Override
    public double hits(float[] out, float[] y, int n, int outputs, int targetSize) {
      long matches = 0;
      for (int i = 0; i < n * outputs; i++) {
        if ((out[i] > 0.5f) == (y[i] > 0.5f)) matches++;
      }
      return (double) matches / outputs;
    }
  },
  /** categorical: {@code argmax(output) == argmax(y)}. */
  ARGMAX {
    @Override
    public double hits(float[] out, float[] y, int n, int outputs, int targetSize) {
      int hits = 0;
      for (int i = 0; i < n; i++) {
        if (argmax(out, i * outputs, outputs) == argmax(y, i * targetSize, targetSize)) hits++;
      }
      return hits;
    }
  };

  /** Correct samples among the first {@code n} rows of {@code out} against the targets {@code y}. */
  public abstract double hits(float[] out, float[] y, int n, int outputs, int targetSize);

  /** The rule Keras picks for {@code model}'s loss and output size. */
  public static AccuracyRule of(Model model) {
    if (model.targetKind() == Model.TargetKind.CLASS_INDEX) return CLASS_INDEX;
    if (model.loss() == LossKind.BINARY_CROSSENTROPY || model.outputSize() == 1) return THRESHOLD;
    return ARGMAX;
  }

  /** The first index of the largest value, as numpy's argmax. */
  public static int argmax(float[] a, int from, int length) {
    int best = 0;
    for (int k = 1; k < length; k++) {
      if (a[from + k] > a[from + best]) best = k;
    }
    return best;
  }
}
