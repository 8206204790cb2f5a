package dev.nnc.runtime;

import java.io.PrintStream;
import java.util.Map;

/**
 * Hooks into {@link Trainer#fit}, as Keras' callbacks: each is called on the thread that runs
 * {@code fit}, between steps, never during one. Epochs count from 0, as Keras' do. The defaults do
 * nothing, so an implementation overrides only what it needs.
 *
 * <p>Per epoch, {@code fit} computes the epoch's logs, prints the epoch's line, records and writes
 * the history, then calls {@link #onEpochEnd(int, Map)} on each callback in order, then writes the
 * checkpoint (with the callbacks' {@link #saveState}), then stops if a callback asked it to.
 */
public interface FitCallback {

  /** No hooks. */
  FitCallback NONE = new FitCallback() {};

  /** What a callback may act on during {@code fit}. */
  interface Fit {
    /** The model being trained. */
    Model model();

    /** Where messages go (Keras' {@code verbose=1} lines); a sink when {@code fit} is quiet. */
    PrintStream out();

    /** Asks {@code fit} to stop after the current epoch (Keras' {@code model.stop_training = True}). */
    void stopTraining();
  }

  /** The data have been checked against the model and the first training step comes next. */
  default void onTrainBegin() {}

  /**
   * {@link #onTrainBegin()} with the run's handle; on a resumed run it comes after
   * {@link #restoreState}. The default calls {@link #onTrainBegin()}.
   */
  default void onTrainBegin(Fit fit) {
    onTrainBegin();
  }

  /** Epoch {@code epoch} is about to run its first step. */
  default void onEpochBegin(int epoch) {}

  /** Epoch {@code epoch} has run its last step and, if there is validation data, its evaluation. */
  default void onEpochEnd(int epoch) {}

  /**
   * {@link #onEpochEnd(int)} with the epoch's logs under Keras' names ({@code loss},
   * {@code val_loss}, {@code learning_rate}, ...); read-only. The default calls {@link #onEpochEnd(int)}.
   */
  default void onEpochEnd(int epoch, Map<String, Double> logs) {
    onEpochEnd(epoch);
  }

  /** Training has ended (all epochs run, or stopped); {@code logs} are the last epoch's, empty if none ran. */
  default void onTrainEnd(Map<String, Double> logs) {}

  /** Whether this callback changes the learning rate, so that the logs should carry {@code learning_rate}, as Keras'. */
  default boolean changesLearningRate() {
    return false;
  }

  /** Adds what this callback carries between epochs to a checkpoint, under {@code callbacks/NAME/}. */
  default void saveState(TrainingState state, Model model) {}

  /** Takes back what {@link #saveState} saved, when a run resumes from a checkpoint. */
  default void restoreState(TrainingState state, Model model) {}
}
