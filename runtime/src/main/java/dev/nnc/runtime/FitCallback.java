package dev.nnc.runtime;

/**
 * Hooks into {@link Trainer#fit}, as Keras' callbacks: each is called on the thread that runs
 * {@code fit}, between steps, never during one. Epochs count from 0, as Keras' do. The defaults do
 * nothing, so an implementation overrides only what it needs.
 */
public interface FitCallback {

  /** No hooks. */
  FitCallback NONE = new FitCallback() {};

  /** The data have been checked against the model and the first training step comes next. */
  default void onTrainBegin() {}

  /** Epoch {@code epoch} is about to run its first step. */
  default void onEpochBegin(int epoch) {}

  /** Epoch {@code epoch} has run its last step and, if there is validation data, its evaluation. */
  default void onEpochEnd(int epoch) {}
}
