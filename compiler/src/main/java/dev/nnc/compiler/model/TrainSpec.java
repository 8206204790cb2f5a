package dev.nnc.compiler.model;

/**
 * {@code train batch N epochs N [seed N] [validation_split F] [early_stopping P] [reduce_lr_on_plateau P];}:
 * defaults that fit, the CLI and a generated main can override.
 *
 * @param validationSplit Keras' {@code validation_split}, 0 for none
 * @param earlyStopping EarlyStopping's patience, or -1 for no early stopping
 * @param reduceLrOnPlateau ReduceLROnPlateau's patience, or -1 for none
 */
public record TrainSpec(int batch, int epochs, long seed, double validationSplit, int earlyStopping,
    int reduceLrOnPlateau) {
  /** Keras' fit defaults (batch 32, 1 epoch) and seed 42, for a source without a train statement. */
  public static final TrainSpec KERAS_DEFAULTS = new TrainSpec(32, 1, 42);

  /** Batch, epochs and seed, without validation split or callbacks. */
  public TrainSpec(int batch, int epochs, long seed) {
    this(batch, epochs, seed, 0, -1, -1);
  }
}
