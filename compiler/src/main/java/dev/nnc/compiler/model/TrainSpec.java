package dev.nnc.compiler.model;

/** {@code train batch N epochs N [seed N];}: defaults that fit, the CLI and a generated main can override. */
public record TrainSpec(int batch, int epochs, long seed) {
  /** Keras' fit defaults (batch 32, 1 epoch) and seed 42, for a source without a train statement. */
  public static final TrainSpec KERAS_DEFAULTS = new TrainSpec(32, 1, 42);
}
