package dev.nnc.runtime;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * An immutable set of {@code n} samples: features ({@code n × featureSize} values, row-major) and
 * targets ({@code n × targetSize} floats; a class index is stored as a float).
 *
 * <p>Features are held either as floats or, for images and other byte data, as unsigned bytes
 * with a divisor: the value of byte {@code b} is {@code (b & 0xFF) / divisor}, computed in float
 * when a sample is read or copied into a batch. Bytes take a quarter of the memory; a model sees
 * the same floats either way. Bytes at most a third non-zero, as images mostly are, are held as
 * their non-zero bytes alone ({@link PackedBytes}, packed in their own array), which a training
 * step copies into its index instead of scanning every byte.
 *
 * <p>{@link #of} and {@link #ofUnsignedBytes} copy the arrays they are given; the loaders in
 * {@link Datasets} hand theirs over.
 */
public final class Dataset {
  private final String description;
  private final int size;
  private final int featureSize;
  private final int targetSize;
  /** The features as floats, or null when they are {@link #bytes}. */
  private final float[] floats;
  /** The features as unsigned bytes, or null when they are {@link #floats} or {@link #packed}. */
  private final byte[] bytes;
  /** The features as their non-zero bytes, or null when they are {@link #floats} or {@link #bytes}. */
  private final PackedBytes packed;
  /** What each byte is divided by ({@code 255} for pixels scaled to [0, 1], {@code 1} for the values as they are). */
  private final float divisor;
  /**
   * {@code byteValues[b] = b / divisor}: a batch's bytes become floats by a table lookup rather than
   * a division each, the same floats.
   */
  private final float[] byteValues;
  private final float[] targets;
  /** {@link #packed} as pairs of features, made when first asked for ({@link #packedPairs}). */
  private PackedPairs pairs;
  /** Where {@link #packedPairs} takes them from, when not made from {@link #packed} here: a kept copy, say. */
  private Supplier<PackedPairs> pairsSource;
  /** What reading did to integer features ({@link FeatureScaling#note}), or null. */
  private final String scaling;

  private Dataset(String description, float[] floats, byte[] bytes, float divisor, int featureSize, float[] targets,
      int targetSize, String scaling) {
    this(description, floats, bytes, null, divisor, featureSize, targets, targetSize, scaling);
  }

  /** A data set over {@code floats}, {@code bytes} or {@code packed}: one of the three. */
  private Dataset(String description, float[] floats, byte[] bytes, PackedBytes packed, float divisor, int featureSize,
      float[] targets, int targetSize, String scaling) {
    if (featureSize < 1 || targetSize < 1) {
      throw new IllegalArgumentException("featureSize and targetSize must be at least 1");
    }
    if ((bytes != null || packed != null) && !(divisor > 0 && Float.isFinite(divisor))) {
      throw new IllegalArgumentException("the divisor of byte features must be positive and finite, not " + divisor);
    }
    long values = floats != null ? floats.length : bytes != null ? bytes.length : (long) packed.size() * packed.featureSize();
    if (values % featureSize != 0) {
      throw new IllegalArgumentException(description + ": " + values
          + " feature values are not a whole number of samples of " + featureSize);
    }
    int n = (int) (values / featureSize);
    if (targets.length != (long) n * targetSize) {
      throw new NncDataException(description + ": " + Text.count(n) + " samples of features but "
          + Text.count(targets.length / targetSize) + " of targets");
    }
    this.description = description;
    this.size = n;
    this.featureSize = featureSize;
    this.targetSize = targetSize;
    this.floats = floats;
    this.bytes = bytes;
    this.packed = packed;
    this.divisor = divisor;
    this.byteValues = floats != null ? null : byteValues(divisor);
    this.targets = targets;
    this.scaling = scaling;
  }

  /** A data set over copies of {@code features} and {@code targets}. */
  public static Dataset of(float[] features, int featureSize, float[] targets, int targetSize) {
    return new Dataset("data", features.clone(), null, 1f, featureSize, targets.clone(), targetSize, null);
  }

  /**
   * A data set over copies of {@code features}, unsigned bytes whose values are
   * {@code (b & 0xFF) / divisor}, and {@code targets}: {@code divisor} 255 gives pixels in [0, 1]
   * as {@link Datasets#fromIdx} reads them, 1 the byte values 0–255 as they are.
   *
   * @throws IllegalArgumentException if {@code divisor} is not positive and finite
   */
  public static Dataset ofUnsignedBytes(byte[] features, int featureSize, float[] targets, int targetSize,
      float divisor) {
    return ofBytes("data", features.clone(), divisor, featureSize, targets.clone(), targetSize, null);
  }

  /**
   * A data set that takes ownership of the arrays: the loaders' way, without copies. {@code scaling}
   * says what reading did to the features (null: nothing to say).
   */
  static Dataset wrap(String description, float[] features, int featureSize, float[] targets, int targetSize,
      String scaling) {
    return new Dataset(description, features, null, 1f, featureSize, targets, targetSize, scaling);
  }

  /** {@link #wrap} for unsigned-byte features, each read as {@code (b & 0xFF) / divisor}. */
  static Dataset wrapUnsignedBytes(String description, byte[] features, float divisor, int featureSize,
      float[] targets, int targetSize, String scaling) {
    return ofBytes(description, features, divisor, featureSize, targets, targetSize, scaling);
  }

  /** {@link #wrapUnsignedBytes} for features already packed (a kept copy's). */
  static Dataset wrapPacked(String description, PackedBytes packed, float divisor, float[] targets, int targetSize,
      String scaling) {
    return new Dataset(description, null, null, packed, divisor, packed.featureSize(), targets, targetSize, scaling);
  }

  /** A data set over {@code bytes}, which it owns: packed in their own array when they are sparse enough. */
  private static Dataset ofBytes(String description, byte[] bytes, float divisor, int featureSize, float[] targets,
      int targetSize, String scaling) {
    PackedBytes packed = PackedBytes.packInPlace(bytes, featureSize).orElse(null);
    return new Dataset(description, null, packed == null ? bytes : null, packed, divisor, featureSize, targets, targetSize,
        scaling);
  }

  /** The same samples under a description that messages use (typically the file names). */
  public Dataset describedAs(String newDescription) {
    return new Dataset(Objects.requireNonNull(newDescription), floats, bytes, packed, divisor, featureSize, targets,
        targetSize, scaling);
  }

  /** The same features (shared, not copied) with other targets, which this package's caller hands over. */
  Dataset withTargets(float[] newTargets, int newTargetSize) {
    return new Dataset(description, floats, bytes, packed, divisor, featureSize, newTargets, newTargetSize, scaling);
  }

  /** Where the data came from, as messages name it ({@code x.npy + y.npy}). */
  public String description() {
    return description;
  }

  /**
   * What reading the file did to integer features, for a line of output:
   * {@code "uint8 pixels scaled to [0, 1] (divided by 255)"}, {@code "uint8 values kept as 0-255"}
   * (with {@link FeatureScaling#NONE}), {@code "int64 values taken as they are (only uint8 is scaled)"};
   * empty for floating-point features and for data sets built in code (see {@link FeatureScaling}).
   */
  public java.util.Optional<String> featureScaling() {
    return java.util.Optional.ofNullable(scaling);
  }

  /** Number of samples. */
  public int size() {
    return size;
  }

  /** Values per sample in the features. */
  public int featureSize() {
    return featureSize;
  }

  /** Floats per sample in the targets (1 for a class index). */
  public int targetSize() {
    return targetSize;
  }

  /** One feature value of one sample. */
  public float feature(int sample, int index) {
    int row = checkedRow(sample);
    Objects.checkIndex(index, featureSize);
    if (packed != null) return byteValues[packed.byteAt(row, index) & 0xFF];
    int at = row * featureSize + index;
    return floats != null ? floats[at] : byteValues[bytes[at] & 0xFF];
  }

  /** One target value of one sample. */
  public float target(int sample, int index) {
    return targets[checkedRow(sample) * targetSize + Objects.checkIndex(index, targetSize)];
  }

  /** All features as floats, row-major: a copy (of byte features, their values as floats). */
  public float[] features() {
    if (floats != null) return floats.clone();
    float[] out = new float[Math.multiplyExact(size, featureSize)];
    for (int sample = 0; sample < size; sample++) decode(sample, out, sample * featureSize);
    return out;
  }

  /** A copy of all targets, row-major. */
  public float[] targets() {
    return targets.clone();
  }

  /** Samples {@code from} (inclusive) to {@code to} (exclusive), copied, held as this set holds them. */
  public Dataset slice(int from, int to) {
    Objects.checkFromToIndex(from, to, size);
    int start = from * featureSize;
    int end = to * featureSize;
    float[] slicedTargets = Arrays.copyOfRange(targets, from * targetSize, to * targetSize);
    if (bytes != null) {
      return ofBytes(description, Arrays.copyOfRange(bytes, start, end), divisor, featureSize, slicedTargets, targetSize, scaling);
    }
    return new Dataset(description, floats == null ? null : Arrays.copyOfRange(floats, start, end), null,
        packed == null ? null : packed.slice(from, to), divisor, featureSize, slicedTargets, targetSize, scaling);
  }

  /** Copies sample {@code sample}'s features (as floats) and targets into row {@code row} of two batch buffers. */
  void copyRow(int sample, float[] x, float[] y, int row) {
    if (floats != null) {
      System.arraycopy(floats, sample * featureSize, x, row * featureSize, featureSize);
    } else {
      decode(sample, x, row * featureSize);
    }
    copyTargets(sample, y, row);
  }

  /** Copies sample {@code sample}'s targets into {@code y} as row {@code row}. */
  void copyTargets(int sample, float[] y, int row) {
    System.arraycopy(targets, sample * targetSize, y, row * targetSize, targetSize);
  }

  /** The byte features' backing array (null when they are floats or packed), for this package's code that reads without copying. */
  byte[] byteArray() {
    return bytes;
  }

  /** The byte features as their non-zero bytes (null when they are floats or all the bytes), for this package's code. */
  PackedBytes packedBytes() {
    return packed;
  }

  /**
   * The byte features as pairs of features (see {@link PackedPairs}), made from {@link #packedBytes} at
   * the first call and kept (21 MB for MNIST's training set, made in about 30 ms), or null when they are
   * not packed. A model that {@linkplain Model#takesPackedPairs takes them} trains on them.
   *
   * @throws IllegalArgumentException if a sample lists a feature past its size, or its features out of order
   */
  public synchronized PackedPairs packedPairs() {
    if (pairs == null && packed != null) pairs = pairsSource != null ? pairsSource.get() : PackedPairs.of(packed);
    return pairs;
  }

  /** Has {@link #packedPairs} take them from {@code source} (their kept copy, or made from the packed bytes and kept): the loaders' way. */
  synchronized void pairsFrom(Supplier<PackedPairs> source) {
    pairsSource = source;
  }

  /** What each byte value stands for ({@code b / divisor}), or null when the features are floats. */
  float[] byteValueTable() {
    return byteValues;
  }

  /** Byte sample {@code sample}'s features as floats into {@code to} at {@code at}. */
  private void decode(int sample, float[] to, int at) {
    if (packed != null) {
      packed.decode(sample, byteValues, to, at);
      return;
    }
    byte[] b = bytes;
    float[] values = byteValues;
    int from = sample * featureSize;
    for (int i = 0; i < featureSize; i++) to[at + i] = values[b[from + i] & 0xFF];
  }

  private static float[] byteValues(float divisor) {
    float[] values = new float[256];
    for (int b = 0; b < values.length; b++) values[b] = b / divisor;
    return values;
  }

  /** Whether the features are held as unsigned bytes (they were uint8 in the file), all or the non-zero ones, else as floats. */
  public boolean hasByteFeatures() {
    return floats == null;
  }

  /** The targets' backing array, for this package's code that reads without copying. */
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
