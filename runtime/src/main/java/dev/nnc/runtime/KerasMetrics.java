package dev.nnc.runtime;

/** The implementations behind {@link Metric#of}. */
final class KerasMetrics {
  private KerasMetrics() {}

  static Metric create(String name, Model model) {
    int outputs = model.outputSize();
    int targets = model.targetSize();
    return switch (name.toLowerCase(java.util.Locale.ROOT)) {
      case "accuracy" -> new Accuracy(AccuracyRule.of(model), outputs, targets);
      case "mae" -> new MeanError("mae", outputs, false);
      case "mse" -> new MeanError("mse", outputs, true);
      case "precision" -> new AtHalf("precision", true, outputs);
      case "recall" -> new AtHalf("recall", false, outputs);
      case "auc" -> new Auc(Auc.KERAS_THRESHOLDS, outputs);
      case "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy" ->
          new TopK(name.toLowerCase(java.util.Locale.ROOT), Metric.TOP_K, outputs, targets);
      default -> throw new IllegalArgumentException("unknown metric '" + name + "'");
    };
  }

  /** A mean over samples: a running sum of per-sample values and a count. */
  private abstract static class SampleMean implements Metric {
    private final String name;
    private double sum;
    private long count;

    SampleMean(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void reset() {
      sum = 0;
      count = 0;
    }

    @Override
    public void update(float[] output, float[] y, int n) {
      sum += batchSum(output, y, n);
      count += n;
    }

    @Override
    public double result() {
      return count == 0 ? 0 : sum / count;
    }

    /** The batch's per-sample values, added. */
    abstract double batchSum(float[] output, float[] y, int n);
  }

  private static final class Accuracy extends SampleMean {
    private final AccuracyRule rule;
    private final int outputs;
    private final int targets;

    Accuracy(AccuracyRule rule, int outputs, int targets) {
      super("accuracy");
      this.rule = rule;
      this.outputs = outputs;
      this.targets = targets;
    }

    @Override
    double batchSum(float[] output, float[] y, int n) {
      return rule.hits(output, y, n, outputs, targets);
    }
  }

  /** Keras' mean_absolute_error / mean_squared_error: the mean over a sample's outputs, then over samples. */
  private static final class MeanError extends SampleMean {
    private final int outputs;
    private final boolean squared;

    MeanError(String name, int outputs, boolean squared) {
      super(name);
      this.outputs = outputs;
      this.squared = squared;
    }

    @Override
    double batchSum(float[] output, float[] y, int n) {
      double sum = 0;
      for (int i = 0; i < n * outputs; i++) {
        double d = (double) output[i] - y[i];
        sum += squared ? d * d : Math.abs(d);
      }
      return sum / outputs;
    }
  }

  /** Top-k accuracy: the true class's output has fewer than k outputs strictly above it. */
  private static final class TopK extends SampleMean {
    private final int k;
    private final int outputs;
    private final int targets;
    private final boolean sparse;

    TopK(String name, int k, int outputs, int targets) {
      super(name);
      this.k = k;
      this.outputs = outputs;
      this.targets = targets;
      this.sparse = name.startsWith("sparse_");
    }

    @Override
    double batchSum(float[] output, float[] y, int n) {
      int hits = 0;
      for (int i = 0; i < n; i++) {
        int row = i * outputs;
        int label = sparse ? (int) y[i * targets] : AccuracyRule.argmax(y, i * targets, targets);
        if (label < 0 || label >= outputs) continue;
        float truth = output[row + label];
        int above = 0;
        for (int c = 0; c < outputs; c++) {
          if (output[row + c] > truth) above++;
        }
        if (above < k) hits++;
      }
      return hits;
    }
  }

  /** Keras' Precision() and Recall(): one threshold, 0.5, over every output. */
  private static final class AtHalf implements Metric {
    private final String name;
    private final boolean precision;
    private final int outputs;
    private long truePositives;
    private long falsePositives;
    private long falseNegatives;

    AtHalf(String name, boolean precision, int outputs) {
      this.name = name;
      this.precision = precision;
      this.outputs = outputs;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public void reset() {
      truePositives = 0;
      falsePositives = 0;
      falseNegatives = 0;
    }

    @Override
    public void update(float[] output, float[] y, int n) {
      for (int i = 0; i < n * outputs; i++) {
        boolean predicted = output[i] > 0.5f;
        boolean actual = y[i] != 0;
        if (predicted && actual) truePositives++;
        else if (predicted) falsePositives++;
        else if (actual) falseNegatives++;
      }
    }

    @Override
    public double result() {
      long denominator = truePositives + (precision ? falsePositives : falseNegatives);
      return denominator == 0 ? 0 : (double) truePositives / denominator;
    }
  }

  /**
   * Keras' AUC() with its defaults: ROC curve, 200 thresholds, interpolated (trapezoid) sum. The
   * counts per threshold are kept exactly (Keras keeps them as float32 sums, exact below 2^24).
   */
  static final class Auc implements Metric {
    static final float[] KERAS_THRESHOLDS = kerasThresholds(200);

    private final float[] thresholds;
    private final int outputs;
    /** {@code [j]}: how many positive (negative) values lie above exactly the first {@code j} thresholds. */
    private final long[] positivesAbove;
    private final long[] negativesAbove;

    Auc(float[] thresholds, int outputs) {
      this.thresholds = thresholds.clone();
      this.outputs = outputs;
      this.positivesAbove = new long[thresholds.length + 1];
      this.negativesAbove = new long[thresholds.length + 1];
    }

    /** {@code -1e-7}, then {@code (i + 1) / (count - 1)} for {@code i < count - 2}, then {@code 1 + 1e-7}, as float32. */
    static float[] kerasThresholds(int count) {
      float[] t = new float[count];
      t[0] = (float) (0.0 - 1e-7);
      for (int i = 0; i < count - 2; i++) t[i + 1] = (float) ((i + 1) * 1.0 / (count - 1));
      t[count - 1] = (float) (1.0 + 1e-7);
      return t;
    }

    @Override
    public String name() {
      return "auc";
    }

    @Override
    public void reset() {
      java.util.Arrays.fill(positivesAbove, 0);
      java.util.Arrays.fill(negativesAbove, 0);
    }

    @Override
    public void update(float[] output, float[] y, int n) {
      for (int i = 0; i < n * outputs; i++) {
        float p = output[i];
        // the thresholds ascend: p > thresholds[t] exactly for t < above
        int above = java.util.Arrays.binarySearch(thresholds, p);
        above = above >= 0 ? above : -above - 1;
        while (above < thresholds.length && p > thresholds[above]) above++;
        while (above > 0 && !(p > thresholds[above - 1])) above--;
        (y[i] != 0 ? positivesAbove : negativesAbove)[above]++;
      }
    }

    /** True (false) positives at each threshold: the values above it. */
    private long[] atThresholds(long[] above) {
      long[] counts = new long[thresholds.length];
      long running = 0;
      for (int t = thresholds.length - 1; t >= 0; t--) {
        running += above[t + 1];
        counts[t] = running;
      }
      return counts;
    }

    @Override
    public double result() {
      long[] tp = atThresholds(positivesAbove);
      long[] fp = atThresholds(negativesAbove);
      long positives = java.util.Arrays.stream(positivesAbove).sum();
      long negatives = java.util.Arrays.stream(negativesAbove).sum();
      double area = 0;
      for (int t = 0; t + 1 < thresholds.length; t++) {
        double x0 = rate(fp[t], negatives);
        double x1 = rate(fp[t + 1], negatives);
        double y0 = rate(tp[t], positives);
        double y1 = rate(tp[t + 1], positives);
        area += (x0 - x1) * (y0 + y1) / 2;
      }
      return area;
    }

    private static double rate(long count, long total) {
      return total == 0 ? 0 : (double) count / total;
    }
  }
}
