package dev.nnc.compiler.model;

import java.util.Locale;

/** {@code loss NAME;} with the 1-based source line of the statement. */
public record LossSpec(Kind kind, int line) {

  public enum Kind {
    SPARSE_CATEGORICAL_CROSSENTROPY, CATEGORICAL_CROSSENTROPY, BINARY_CROSSENTROPY, MEAN_SQUARED_ERROR;

    public String kerasName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
