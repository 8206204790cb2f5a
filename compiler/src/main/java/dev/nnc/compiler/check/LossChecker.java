package dev.nnc.compiler.check;

import dev.nnc.compiler.ast.Name;
import dev.nnc.compiler.diag.DiagnosticIds;
import dev.nnc.compiler.model.Activation;
import dev.nnc.compiler.model.LossSpec;
import dev.nnc.compiler.model.Shapes;
import java.util.List;

/**
 * Whether a loss fits the model's output. Cross-entropies take probabilities from their matching
 * activation, or logits from 'linear' (the loss then applies softmax or sigmoid itself); a
 * categorical one needs at least two classes; mse takes any output.
 */
final class LossChecker {
  private LossChecker() {}

  static void checkOutput(LossSpec.Kind kind, Name written, OutputLayer output, Reporter reporter) {
    List<Activation> fitting = fittingActivations(kind);
    String loss = "loss '" + written.text() + "'";
    boolean categorical = kind == LossSpec.Kind.SPARSE_CATEGORICAL_CROSSENTROPY
        || kind == LossSpec.Kind.CATEGORICAL_CROSSENTROPY;
    boolean oneOutput = Shapes.size(output.shape()) < 2;
    // A categorical loss on one output is fixed by binary_ce and sigmoid, so suggesting softmax for
    // that output as well would contradict it: only the output count is reported then.
    if (!fitting.isEmpty() && !fitting.contains(output.activation()) && !(categorical && oneOutput)) {
      Activation preferred = fitting.get(0);
      reporter.error(output.activationPosition(), DiagnosticIds.LOSS_ACTIVATION_MISMATCH,
          loss + " needs a '" + preferred.kerasName() + "' (or 'linear') output, but " + output.name() + " uses '"
              + output.activation().kerasName() + "'; write '" + output.rewriteWith(preferred) + "'");
    }
    if (categorical && oneOutput) {
      reporter.error(output.shapePosition(), DiagnosticIds.LOSS_OUTPUT_MISMATCH,
          loss + " needs at least 2 outputs (one per class), but " + output.name()
              + " has 1; for two classes write 'dense 1 sigmoid;' and 'loss binary_ce;'");
    }
  }

  /** The output activations a loss accepts, the preferred one first; empty for any. */
  private static List<Activation> fittingActivations(LossSpec.Kind kind) {
    return switch (kind) {
      case SPARSE_CATEGORICAL_CROSSENTROPY, CATEGORICAL_CROSSENTROPY -> List.of(Activation.SOFTMAX, Activation.LINEAR);
      case BINARY_CROSSENTROPY -> List.of(Activation.SIGMOID, Activation.LINEAR);
      case MEAN_SQUARED_ERROR -> List.of();
    };
  }
}
