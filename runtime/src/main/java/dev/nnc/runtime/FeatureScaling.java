package dev.nnc.runtime;

/**
 * What the file loaders ({@link Datasets}, {@link MnistData}) do to integer features as they read
 * them. The one rule: {@code uint8} features are pixels and are divided by 255 into [0, 1], as
 * Keras users do by hand ({@code x.astype("float32") / 255}); every other type is taken as it is.
 * IDX image files (MNIST's format) hold {@code uint8}, so they follow the same rule.
 *
 * <p>Nothing else is done to any input: no normalization by mean and deviation, no one-hot labels
 * (a model with categorical cross-entropy gets integer labels one-hot encoded by
 * {@link Datasets#forModel}, which changes targets, never features).
 */
public enum FeatureScaling {
  /** {@code uint8} features divided by 255 into [0, 1]; other types as they are. The default. */
  UINT8_TO_UNIT,
  /** Every value as it is stored ({@code uint8} pixels stay 0–255). */
  NONE;

  /** What each {@code uint8} value is divided by. */
  float uint8Divisor() {
    return this == UINT8_TO_UNIT ? 255f : 1f;
  }

  /**
   * What reading did to features stored as {@code type}, for a line of output; null for floating
   * point features, which are never scaled.
   */
  String note(NpyType type) {
    return switch (type) {
      case FLOAT32, FLOAT64 -> null;
      case UINT8 -> this == UINT8_TO_UNIT ? "uint8 pixels scaled to [0, 1] (divided by 255)" : "uint8 values kept as 0-255";
      default -> type.numpyName() + " values taken as they are (only uint8 is scaled)";
    };
  }
}
