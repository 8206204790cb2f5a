package dev.nnc.runtime;

import java.util.Map;

/**
 * Keras 3's {@code ReduceLROnPlateau}: multiplies the learning rate by {@code factor} when
 * {@code monitor} has not improved (by more than {@code minDelta}) for {@code patience} epochs,
 * not below {@code minLr}, then waits {@code cooldown} epochs before counting again. With
 * {@code verbose} it prints Keras' line
 * {@code Epoch N: ReduceLROnPlateau reducing learning rate to X.}, X as Python prints the float.
 * The logs carry {@code learning_rate}: the rate the epoch trained with.
 */
public final class ReduceLROnPlateau implements FitCallback {
  private final String monitor;
  private final double factor;
  private final int patience;
  private final boolean verbose;
  private final boolean goesUp;
  private final double minDelta;
  private final int cooldown;
  private final double minLr;

  private Fit fit;
  private double best;
  private int wait;
  private int cooldownCounter;

  /** Keras' arguments. */
  public ReduceLROnPlateau(String monitor, double factor, int patience, boolean verbose, Monitor mode, double minDelta,
      int cooldown, double minLr) {
    if (!(factor < 1.0) || !(factor >= 0)) {
      throw new IllegalArgumentException("ReduceLROnPlateau does not support a factor >= 1.0 (or below 0), not " + factor);
    }
    if (patience < 0 || cooldown < 0) throw new IllegalArgumentException("patience and cooldown must be 0 or more");
    this.monitor = java.util.Objects.requireNonNull(monitor, "monitor");
    this.factor = factor;
    this.patience = patience;
    this.verbose = verbose;
    this.goesUp = mode.goesUpByName(monitor);
    this.minDelta = minDelta;
    this.cooldown = cooldown;
    this.minLr = minLr;
    this.best = goesUp ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
  }

  /** Keras' defaults (min_delta 1e-4, cooldown 0) but the given factor, patience and min_lr. */
  public static ReduceLROnPlateau of(String monitor, double factor, int patience, double minLr) {
    return new ReduceLROnPlateau(monitor, factor, patience, true, Monitor.AUTO, 1e-4, 0, minLr);
  }

  @Override
  public void onTrainBegin(Fit newFit) {
    this.fit = newFit;
  }

  @Override
  public boolean changesLearningRate() {
    return true;
  }

  @Override
  public void onEpochEnd(int epoch, Map<String, Double> logs) {
    Double current = logs.get(monitor);
    if (current == null) {
      fit.out().println("Learning rate reduction is conditioned on metric `" + monitor + "` which is not available. "
          + "Available metrics are: " + String.join(",", logs.keySet()) + ".");
      return;
    }
    if (cooldownCounter > 0) {
      cooldownCounter--;
      wait = 0;
    }
    if (goesUp ? current > best + minDelta : current < best - minDelta) {
      best = current;
      wait = 0;
    } else if (cooldownCounter <= 0) {
      wait++;
      if (wait >= patience) {
        double oldLr = fit.model().learningRate();
        if (oldLr > (float) minLr) {
          double newLr = Math.max(oldLr * factor, minLr);
          fit.model().setLearningRate((float) newLr);
          if (verbose) {
            fit.out().println("Epoch " + (epoch + 1) + ": ReduceLROnPlateau reducing learning rate to "
                + PythonFloat.repr(newLr) + ".");
          }
          cooldownCounter = cooldown;
          wait = 0;
        }
      }
    }
  }

  private static final String PREFIX = "callbacks/reduce_lr_on_plateau/";

  @Override
  public void saveState(TrainingState state, Model model) {
    state.putDouble(PREFIX + "best", best);
    state.putLong(PREFIX + "wait", wait);
    state.putLong(PREFIX + "cooldown_counter", cooldownCounter);
  }

  @Override
  public void restoreState(TrainingState state, Model model) {
    if (!state.has(PREFIX + "wait")) return; // a checkpoint of a run without this callback: it starts afresh
    best = state.doubleScalar(PREFIX + "best");
    wait = (int) state.longScalar(PREFIX + "wait");
    cooldownCounter = (int) state.longScalar(PREFIX + "cooldown_counter");
  }
}
