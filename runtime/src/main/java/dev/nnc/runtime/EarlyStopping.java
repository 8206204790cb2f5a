package dev.nnc.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Keras 3's {@code EarlyStopping}: stops training when {@code monitor} has stopped improving for
 * {@code patience} epochs, and with {@code restoreBestWeights} puts back the weights of the best
 * epoch when training ends.
 *
 * <p>As Keras: an epoch before {@code startFromEpoch} is ignored; the first epoch counted is
 * always an improvement; an improvement must beat the best by more than {@code minDelta}; the
 * wait counter restarts only when the value also beats {@code baseline} (when given); training
 * stops at the first epoch (never the very first) at which the wait reaches the patience. At the
 * end of training, stopped early or not, the best epoch's weights are restored (Keras 3 restores
 * them in {@code on_train_end} whenever it kept them). Lines, with {@code verbose}, at the end:
 * {@code Epoch N: early stopping} (when it stopped), then
 * {@code Restoring model weights from the end of the best epoch: K.}
 */
public final class EarlyStopping implements FitCallback {
  private final String monitor;
  private final double minDelta;
  private final int patience;
  private final boolean verbose;
  private final boolean goesUp;
  private final Double baseline;
  private final boolean restoreBestWeights;
  private final int startFromEpoch;

  private Fit fit;
  private int wait;
  private int stoppedEpoch;
  private Double best;
  private int bestEpoch;
  private Map<String, float[]> bestWeights;
  private boolean warned;

  /** Keras' arguments; {@code baseline} may be null (none). */
  public EarlyStopping(String monitor, double minDelta, int patience, boolean verbose, Monitor mode, Double baseline,
      boolean restoreBestWeights, int startFromEpoch) {
    if (patience < 0) throw new IllegalArgumentException("patience must be 0 or more, not " + patience);
    if (startFromEpoch < 0) throw new IllegalArgumentException("start_from_epoch must be 0 or more, not " + startFromEpoch);
    this.monitor = java.util.Objects.requireNonNull(monitor, "monitor");
    this.minDelta = Math.abs(minDelta);
    this.patience = patience;
    this.verbose = verbose;
    this.goesUp = mode.goesUp(monitor);
    this.baseline = baseline;
    this.restoreBestWeights = restoreBestWeights;
    this.startFromEpoch = startFromEpoch;
  }

  /** Keras' defaults but {@code patience} and {@code restoreBestWeights}: val_loss, min_delta 0, auto, no baseline. */
  public static EarlyStopping of(String monitor, int patience, boolean restoreBestWeights) {
    return new EarlyStopping(monitor, 0, patience, true, Monitor.AUTO, null, restoreBestWeights, 0);
  }

  @Override
  public void onTrainBegin(Fit newFit) {
    this.fit = newFit;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    Double current = logs.get(monitor);
    if (current == null) {
      if (!warned) {
        fit.out().println("Early stopping conditioned on metric `" + monitor + "` which is not available. "
            + "Available metrics are: " + String.join(",", logs.keySet()));
        warned = true;
      }
      return;
    }
    if (epoch < startFromEpoch) return;
    if (restoreBestWeights && bestWeights == null) {
      // If best weights were never set, the current weights are the best.
      bestWeights = Weights.copy(fit.model());
      bestEpoch = epoch;
    }
    wait++;
    if (isImprovement(current, best)) {
      best = current;
      bestEpoch = epoch;
      if (restoreBestWeights) bestWeights = Weights.copy(fit.model());
      // Only restart the wait if the value beats both the baseline and the previous best.
      if (baseline == null || isImprovement(current, baseline)) wait = 0;
      return;
    }
    if (wait >= patience && epoch > 0) {
      stoppedEpoch = epoch;
      fit.stopTraining();
    }
  }

  @Override
  public void onTrainEnd(Map<String, Double> logs) {
    if (stoppedEpoch > 0 && verbose) fit.out().println("Epoch " + (stoppedEpoch + 1) + ": early stopping");
    if (restoreBestWeights && bestWeights != null) {
      if (verbose) fit.out().println("Restoring model weights from the end of the best epoch: " + (bestEpoch + 1) + ".");
      bestWeights.forEach(fit.model()::writeParameter);
    }
  }

  private boolean isImprovement(double value, Double reference) {
    if (reference == null) return true;
    return goesUp ? value - minDelta > reference : value + minDelta < reference;
  }

  /** The epoch (from 0) training stopped at, or 0 if it did not stop early (Keras' {@code stopped_epoch}). */
  public int stoppedEpoch() {
    return stoppedEpoch;
  }

  /** The best epoch so far, from 0. */
  public int bestEpoch() {
    return bestEpoch;
  }

  /** The epochs without improvement so far (Keras' {@code wait}). */
  public int waitCount() {
    return wait;
  }

  private static final String PREFIX = "callbacks/early_stopping/";

  @Override
  public void saveState(TrainingState state, Model model) {
    state.putLong(PREFIX + "wait", wait);
    state.putLong(PREFIX + "stopped_epoch", stoppedEpoch);
    state.putLong(PREFIX + "best_epoch", bestEpoch);
    if (best != null) state.putDouble(PREFIX + "best", best);
    if (bestWeights != null) {
      for (Model.Tensor t : model.parameters()) {
        state.putFloats(PREFIX + "best_weights/" + t.name(), t.shape(), bestWeights.get(t.name()));
      }
    }
  }

  @Override
  public void restoreState(TrainingState state, Model model) {
    if (!state.has(PREFIX + "wait")) return; // a checkpoint of a run without this callback: it starts afresh
    wait = (int) state.longScalar(PREFIX + "wait");
    stoppedEpoch = (int) state.longScalar(PREFIX + "stopped_epoch");
    bestEpoch = (int) state.longScalar(PREFIX + "best_epoch");
    best = state.has(PREFIX + "best") ? state.doubleScalar(PREFIX + "best") : null;
    List<String> saved = new ArrayList<>(state.namesUnder(PREFIX + "best_weights/"));
    bestWeights = null;
    if (!saved.isEmpty()) {
      bestWeights = new java.util.LinkedHashMap<>();
      for (Model.Tensor t : model.parameters()) {
        bestWeights.put(t.name(), state.floats(PREFIX + "best_weights/" + t.name(), t.shape()));
      }
    }
  }

}
