package dev.nnc.runtime;

import java.util.Optional;

/**
 * How a classifier's predictions fall against the true classes: {@code count(t, p)} samples of
 * class {@code t} were predicted as {@code p}. The predicted class is the argmax of the outputs
 * (the first of equal ones), or, for one sigmoid output, 1 when it is above 0.5; the true class is
 * the label, the argmax of a one-hot target, or {@code target > 0.5}.
 */
public final class ConfusionMatrix {
  private final long[][] counts;

  /** An empty matrix for {@code classes} classes. */
  public ConfusionMatrix(int classes) {
    if (classes < 2) throw new IllegalArgumentException("a confusion matrix needs 2 classes or more, not " + classes);
    this.counts = new long[classes][classes];
  }

  /**
   * The matrix of {@code model}'s predictions over {@code data} in inference mode, in batches of
   * {@code batchSize}; empty when the model is no single-label classifier (mse, or binary_ce on
   * several outputs).
   */
  public static Optional<ConfusionMatrix> of(Model model, Dataset data, int batchSize) {
    int outputs = model.outputSize();
    boolean binary = model.loss() == LossKind.BINARY_CROSSENTROPY;
    if (model.loss() == LossKind.MEAN_SQUARED_ERROR || (binary && outputs != 1) || (!binary && outputs < 2)) {
      return Optional.empty();
    }
    if (batchSize < 1 || batchSize > model.maxBatch()) {
      throw new IllegalArgumentException("batch size " + batchSize + " is not between 1 and " + model.maxBatch());
    }
    Dataset fitted = Datasets.forModel(model, data);
    ConfusionMatrix matrix = new ConfusionMatrix(binary ? 2 : outputs);
    int targets = fitted.targetSize();
    float[] x = new float[batchSize * fitted.featureSize()];
    float[] y = new float[batchSize * targets];
    for (int first = 0; first < fitted.size(); first += batchSize) {
      int n = Math.min(batchSize, fitted.size() - first);
      for (int row = 0; row < n; row++) fitted.copyRow(first + row, x, y, row);
      model.predict(x, n);
      float[] out = model.output();
      for (int i = 0; i < n; i++) {
        int predicted;
        int truth;
        if (binary) {
          predicted = out[i] > 0.5f ? 1 : 0;
          truth = y[i] > 0.5f ? 1 : 0;
        } else {
          predicted = AccuracyRule.argmax(out, i * outputs, outputs);
          truth = model.targetKind() == Model.TargetKind.CLASS_INDEX
              ? (int) y[i * targets] : AccuracyRule.argmax(y, i * targets, targets);
        }
        matrix.add(truth, predicted);
      }
    }
    return Optional.of(matrix);
  }

  /** Counts one sample of class {@code truth} predicted as {@code predicted}; classes out of range are skipped. */
  public void add(int truth, int predicted) {
    if (truth >= 0 && truth < counts.length && predicted >= 0 && predicted < counts.length) counts[truth][predicted]++;
  }

  public int classes() {
    return counts.length;
  }

  /** Samples of class {@code truth} predicted as {@code predicted}. */
  public long count(int truth, int predicted) {
    return counts[truth][predicted];
  }

  /** Samples counted. */
  public long total() {
    long total = 0;
    for (long[] row : counts) for (long c : row) total += c;
    return total;
  }

  /** Samples whose true class is {@code c}. */
  public long support(int c) {
    long s = 0;
    for (long v : counts[c]) s += v;
    return s;
  }

  /** Of the samples predicted as {@code c}, the share that are {@code c}; 0 when none is. */
  public double precision(int c) {
    long predicted = 0;
    for (long[] row : counts) predicted += row[c];
    return predicted == 0 ? 0 : (double) counts[c][c] / predicted;
  }

  /** Of the samples of class {@code c}, the share predicted as {@code c}; 0 when there are none. */
  public double recall(int c) {
    long support = support(c);
    return support == 0 ? 0 : (double) counts[c][c] / support;
  }

  /** The harmonic mean of precision and recall; 0 when both are. */
  public double f1(int c) {
    double p = precision(c);
    double r = recall(c);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }
}
