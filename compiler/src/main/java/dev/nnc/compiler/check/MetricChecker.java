package dev.nnc.compiler.check;

import dev.nnc.compiler.ast.Name;
import dev.nnc.compiler.diag.DiagnosticIds;
import dev.nnc.compiler.model.LossSpec;
import java.util.List;

/**
 * Whether a metric fits the loss: accuracy needs a classification loss, mae and mse targets with a
 * value per output (not class indices), precision, recall and auc a binary loss, and each top-k
 * accuracy the loss whose targets it reads. The runtime's {@code Metric.problem} holds the same
 * table (a test checks).
 */
final class MetricChecker {
  private MetricChecker() {}

  /** The losses {@code metric} (a canonical name) fits. */
  static List<LossSpec.Kind> fittingLosses(String metric) {
    return switch (metric) {
      case "accuracy" -> List.of(LossSpec.Kind.SPARSE_CATEGORICAL_CROSSENTROPY, LossSpec.Kind.CATEGORICAL_CROSSENTROPY,
          LossSpec.Kind.BINARY_CROSSENTROPY);
      case "mae", "mse" -> List.of(LossSpec.Kind.CATEGORICAL_CROSSENTROPY, LossSpec.Kind.BINARY_CROSSENTROPY,
          LossSpec.Kind.MEAN_SQUARED_ERROR);
      case "precision", "recall", "auc" -> List.of(LossSpec.Kind.BINARY_CROSSENTROPY);
      case "top_k_categorical_accuracy" -> List.of(LossSpec.Kind.CATEGORICAL_CROSSENTROPY);
      case "sparse_top_k_categorical_accuracy" -> List.of(LossSpec.Kind.SPARSE_CATEGORICAL_CROSSENTROPY);
      default -> throw new IllegalArgumentException(metric);
    };
  }

  /** Reports {@code metric} (written as {@code written}) when it does not fit {@code loss} (written as {@code lossName}). */
  static void check(String metric, Name written, LossSpec.Kind loss, Name lossName, Reporter reporter) {
    if (fittingLosses(metric).contains(loss)) return;
    String what = "metric '" + written.text() + "' ";
    String message = switch (metric) {
      case "accuracy" -> what + "measures a classifier, but loss '" + lossName.text()
          + "' trains a regression; use 'mae' or 'mse'";
      case "mae", "mse" -> what + "compares outputs with target values, but loss '" + lossName.text()
          + "' has class indices as targets; use 'accuracy' or 'sparse_top_k_categorical_accuracy'";
      case "precision", "recall", "auc" -> what + "measures a binary classifier (loss 'binary_ce'), not one trained"
          + " with '" + lossName.text() + "'";
      case "top_k_categorical_accuracy" -> what + "reads one-hot targets (loss 'ce'), not those of '" + lossName.text()
          + "'" + (loss == LossSpec.Kind.SPARSE_CATEGORICAL_CROSSENTROPY
              ? " (did you mean 'sparse_top_k_categorical_accuracy'?)" : "");
      case "sparse_top_k_categorical_accuracy" -> what + "reads class indices (loss 'sparse_ce'), not the targets of '"
          + lossName.text() + "'" + (loss == LossSpec.Kind.CATEGORICAL_CROSSENTROPY
              ? " (did you mean 'top_k_categorical_accuracy'?)" : "");
      default -> throw new IllegalArgumentException(metric);
    };
    reporter.error(written.position(), DiagnosticIds.METRIC_LOSS_MISMATCH, message);
  }
}
