package dev.nnc.runtime;

import java.util.List;
import java.util.Locale;

/**
 * One of Keras' metrics, streamed over batches: {@link #update} adds a batch's outputs and targets,
 * {@link #result} is the value over everything added since {@link #reset}, as Keras' stateful
 * metrics ({@code update_state}, {@code result}, {@code reset_state}).
 *
 * <p>The metrics and what they compute (every value is exact over the samples seen, whatever the
 * batch sizes):
 * <ul>
 *   <li>{@code accuracy}: the share of samples whose predicted class is right: the argmax against
 *       the label ({@code sparse_ce}) or the target's argmax ({@code ce}); with {@code binary_ce},
 *       {@code output > 0.5} against {@code target > 0.5}, averaged over the outputs.
 *   <li>{@code mae}, {@code mse}: the mean absolute and squared error over every output.
 *   <li>{@code precision}, {@code recall}: an output counts as positive when {@code > 0.5}, a target
 *       when non-zero; {@code tp / (tp + fp)} and {@code tp / (tp + fn)}, 0 when nothing counts, over
 *       every output together (Keras' {@code Precision()}, {@code Recall()}).
 *   <li>{@code auc}: Keras' {@code AUC()}: the true and false positives counted at 200 thresholds
 *       ({@code -1e-7}, {@code i/199} for {@code i = 1..198}, {@code 1 + 1e-7}; positive means
 *       {@code output > threshold}), then the area under the ROC curve ({@code tpr} over {@code fpr})
 *       by the trapezoid rule between neighbouring thresholds.
 *   <li>{@code sparse_top_k_categorical_accuracy} ({@code sparse_ce}),
 *       {@code top_k_categorical_accuracy} ({@code ce}): the share of samples whose true class is
 *       among the {@value #TOP_K} largest outputs; a class tied with the k-th largest counts as in
 *       them.
 * </ul>
 *
 * <p>Not thread-safe; one instance serves one {@code fit} or {@code evaluate}.
 */
public interface Metric {

  /** Keras' {@code k} for the top-k accuracies. */
  int TOP_K = 5;

  /** The metric names, as Keras logs them. */
  List<String> NAMES = List.of("accuracy", "mae", "mse", "precision", "recall", "auc",
      "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy");

  /** Keras' other spellings of the metrics, each with the name it stands for. */
  java.util.Map<String, String> ALIASES = java.util.Map.of(
      "acc", "accuracy", "mean_absolute_error", "mae", "mean_squared_error", "mse");

  /** The metric {@code name} stands for (lower case, aliases resolved); unknown names come back lower-cased. */
  static String canonical(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    return ALIASES.getOrDefault(n, n);
  }

  /** The name it is logged under ({@code accuracy}; {@code val_accuracy} for validation). */
  String name();

  /** Forgets everything added. */
  void reset();

  /**
   * Adds a batch: the first {@code n} rows of {@code output} ({@code outputSize()} floats each, as
   * {@link Model#output()} holds them) against the targets {@code y} ({@code targetSize()} floats each).
   */
  void update(float[] output, float[] y, int n);

  /** The value over every sample added since the last reset (0 before any). */
  double result();

  /**
   * A fresh metric for {@code model}.
   *
   * @throws IllegalArgumentException for a name not in {@link #NAMES}, or a metric that does not
   *     fit the model's loss (see {@link #problem})
   */
  static Metric of(String name, Model model) {
    String problem = problem(name, model.loss());
    if (problem != null) throw new IllegalArgumentException(problem);
    return KerasMetrics.create(canonical(name), model);
  }

  /**
   * Why {@code name} cannot be a metric of a model trained with {@code loss}, or null when it can.
   * Accuracy needs a classification loss, mae and mse targets with one value per output (not class
   * indices), precision, recall and auc {@code binary_ce}, and each top-k accuracy the loss whose
   * targets it reads.
   */
  static String problem(String name, LossKind loss) {
    String n = canonical(name);
    if (!NAMES.contains(n)) return "unknown metric '" + name + "'; the metrics are " + String.join(", ", NAMES);
    String lossName = loss.kerasName();
    return switch (n) {
      case "accuracy" -> loss == LossKind.MEAN_SQUARED_ERROR
          ? "metric 'accuracy' measures a classifier, but loss " + lossName + " trains a regression; use mae or mse"
          : null;
      case "mae", "mse" -> loss == LossKind.SPARSE_CATEGORICAL_CROSSENTROPY
          ? "metric '" + n + "' compares outputs with target values, but loss " + lossName
              + " has class indices as targets; use accuracy or sparse_top_k_categorical_accuracy"
          : null;
      case "precision", "recall", "auc" -> loss != LossKind.BINARY_CROSSENTROPY
          ? "metric '" + n + "' measures a binary classifier (loss binary_crossentropy), not one trained with "
              + lossName
          : null;
      case "top_k_categorical_accuracy" -> loss != LossKind.CATEGORICAL_CROSSENTROPY
          ? "metric 'top_k_categorical_accuracy' reads one-hot targets (loss categorical_crossentropy), not "
              + lossName + "'s" + (loss == LossKind.SPARSE_CATEGORICAL_CROSSENTROPY
                  ? "; use sparse_top_k_categorical_accuracy" : "")
          : null;
      case "sparse_top_k_categorical_accuracy" -> loss != LossKind.SPARSE_CATEGORICAL_CROSSENTROPY
          ? "metric 'sparse_top_k_categorical_accuracy' reads class indices (loss sparse_categorical_crossentropy), not "
              + lossName + "'s" + (loss == LossKind.CATEGORICAL_CROSSENTROPY ? "; use top_k_categorical_accuracy" : "")
          : null;
      default -> null;
    };
  }
}
