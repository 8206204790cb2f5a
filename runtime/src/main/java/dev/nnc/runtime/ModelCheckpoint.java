package dev.nnc.runtime;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Keras 3's {@code ModelCheckpoint} with {@code save_best_only=True, save_weights_only=True}: after
 * each epoch whose {@code monitor} beats the best so far, the weights are written to {@code file}
 * (atomically, as {@link Weights#save}). With {@code verbose}, Keras' lines
 * {@code Epoch N: val_loss improved from A to B, saving model to F} and
 * {@code Epoch N: val_loss did not improve from A}, the values to 5 decimals.
 */
public final class ModelCheckpoint implements FitCallback {
  private final Path file;
  private final String monitor;
  private final boolean verbose;
  private final boolean goesUp;
  private Fit fit;
  private double best;

  public ModelCheckpoint(Path file, String monitor, boolean verbose, Monitor mode) {
    this.file = java.util.Objects.requireNonNull(file, "file");
    this.monitor = java.util.Objects.requireNonNull(monitor, "monitor");
    this.verbose = verbose;
    this.goesUp = mode.goesUpByName(monitor);
    this.best = goesUp ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  @Override
  public void onTrainBegin(Fit newFit) {
    this.fit = newFit;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    Double current = logs.get(monitor);
    if (current == null) {
      fit.out().println("Can save best model only with " + monitor + " available.");
      return;
    }
    if (goesUp ? current > best : current < best) {
      if (verbose) {
        fit.out().println("Epoch " + (epoch + 1) + ": " + monitor + " improved from " + fixed5(best) + " to "
            + fixed5(current) + ", saving model to " + file);
      }
      best = current;
      Weights.save(fit.model(), file);
    } else if (verbose) {
      fit.out().println("Epoch " + (epoch + 1) + ": " + monitor + " did not improve from " + fixed5(best));
    }
  }

  /** As Python's {@code f"{x:.5f}"}: {@code inf} for infinity. */
  private static String fixed5(double value) {
    if (Double.isInfinite(value)) return value > 0 ? "inf" : "-inf";
    return String.format(Locale.ROOT, "%.5f", value);
  }

  private static final String PREFIX = "callbacks/model_checkpoint/";

  @Override
  public void saveState(TrainingState state, Model model) {
    state.putDouble(PREFIX + "best", best);
  }

  @Override
  public void restoreState(TrainingState state, Model model) {
    if (!state.has(PREFIX + "best")) return; // a checkpoint of a run without this callback: it starts afresh
    best = state.doubleScalar(PREFIX + "best");
  }
}
