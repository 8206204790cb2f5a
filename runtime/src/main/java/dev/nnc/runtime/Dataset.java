package dev.nnc.runtime;

import java.util.Objects;

/**
 * An immutable set of {@code n} samples: features ({@code n × featureSize} floats, row-major) and
 * targets ({@code n × targetSize} floats; a class index is stored as a float).
 *
 * <p>{@link #of} copies the arrays it is given; the loaders in {@link Datasets} hand theirs over.
 */
public final class Dataset {
  private final String description;
  private final int size;
  private final int featureSize;
  private final int targetSize;
  private final float[] features;
  private final float[] targets;

  private Dataset(String description, float[] features, int featureSize, float[] targets, int targetSize) {
    if (featureSize < 1 || targetSize < 1) {
      throw new IllegalArgumentException("featureSize and targetSize must be at least 1");
    }
    if (features.length % featureSize != 0) {
      throw new IllegalArgumentException(description + ": " + features.length
          + " feature values are not a whole number of samples of " + featureSize);
    }
    int n = features.length / featureSize;
    if (targets.length != (long) n * targetSize) {
      throw new NncDataException(description + ": " + Text.count(n) + " samples of features but "
          + Text.count(targets.length / targetSize) + " of targets");
    }
    this.description = description;
    this.size = n;
    this.featureSize = featureSize;
    this.targetSize = targetSize;
    this.features = features;
    this.targets = targets;
  }

  /** A data set over copies of {@code features} and {@code targets}. */
  public static Dataset of(float[] features, int featureSize, float[] targets, int targetSize) {
    return new Dataset("data", features.clone(), featureSize, targets.clone(), targetSize);
  }

  /** A data set that takes ownership of the arrays: the loaders' way, without copies. */
  static Dataset wrap(String description, float[] features, int featureSize, float[] targets, int targetSize) {
    return new Dataset(description, features, featureSize, targets, targetSize);
  }

  /** The same samples under a description that messages use (typically the file names). */
  public Dataset describedAs(String newDescription) {
    return new Dataset(Objects.requireNonNull(newDescription), features, featureSize, targets, targetSize);
  }

  /** Where the data came from, as messages name it ({@code x.npy + y.npy}). */
  public String description() {
    return description;
  }

  /** Number of samples. */
  public int size() {
    return size;
  }

  /** Floats per sample in the features. */
  public int featureSize() {
    return featureSize;
  }

  /** Floats per sample in the targets (1 for a class index). */
  public int targetSize() {
    return targetSize;
  }

  /** One feature value of one sample. */
  public float feature(int sample, int index) {
    return features[checkedRow(sample) * featureSize + Objects.checkIndex(index, featureSize)];
  }

  /** One target value of one sample. */
  public float target(int sample, int index) {
    return targets[checkedRow(sample) * targetSize + Objects.checkIndex(index, targetSize)];
  }

  /** A copy of all features, row-major. */
  public float[] features() {
    return features.clone();
  }

  /** A copy of all targets, row-major. */
  public float[] targets() {
    return targets.clone();
  }

  /** Samples {@code from} (inclusive) to {@code to} (exclusive), copied. */
  public Dataset slice(int from, int to) {
    Objects.checkFromToIndex(from, to, size);
    return new Dataset(description, java.util.Arrays.copyOfRange(features, from * featureSize, to * featureSize),
        featureSize, java.util.Arrays.copyOfRange(targets, from * targetSize, to * targetSize), targetSize);
  }

  /** Copies sample {@code sample}'s features and targets into row {@code row} of two batch buffers. */
  void copyRow(int sample, float[] x, float[] y, int row) {
    System.arraycopy(features, sample * featureSize, x, row * featureSize, featureSize);
    System.arraycopy(targets, sample * targetSize, y, row * targetSize, targetSize);
  }

  /** The backing arrays, for this package's code that reads without copying. */
  float[] featureArray() {
    return features;
  }

  float[] targetArray() {
    return targets;
  }

  private int checkedRow(int sample) {
    return Objects.checkIndex(sample, size);
  }

  @Override
  public String toString() {
    return description + " (" + size + " samples, " + featureSize + " features, " + targetSize + " targets each)";
  }
}
