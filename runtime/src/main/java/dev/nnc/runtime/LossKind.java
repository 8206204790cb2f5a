package dev.nnc.runtime;

/** The losses a model can train with, under Keras' names. */
public enum LossKind {
  SPARSE_CATEGORICAL_CROSSENTROPY,
  CATEGORICAL_CROSSENTROPY,
  BINARY_CROSSENTROPY,
  MEAN_SQUARED_ERROR;

  /** Keras' name, as in {@code model.compile(loss=...)}. */
  public String kerasName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
