package dev.nnc.runtime;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Loads data sets from files and fits them to a model. Integer features follow one rule,
 * {@link FeatureScaling}: {@code uint8} (IDX images, {@code uint8} {@code .npy}) is divided by 255
 * into [0, 1] unless {@link FeatureScaling#NONE} is asked for; other types are taken as they are.
 */
public final class Datasets {
  private Datasets() {}

  /**
   * Images and labels from a pair of IDX files (MNIST's format, raw or gzip): pixels scaled to
   * [0, 1] ({@code (b & 0xFF) / 255f}) and flattened per image, one class index per sample. The
   * pixels stay bytes in memory until a batch needs them.
   */
  public static Dataset fromIdx(Path images, Path labels) {
    return fromIdx(images, labels, FeatureScaling.UINT8_TO_UNIT);
  }

  /** {@link #fromIdx(Path, Path)}, with the pixels scaled as {@code scaling} says (they are {@code uint8}). */
  public static Dataset fromIdx(Path images, Path labels, FeatureScaling scaling) {
    return fromIdx(images, labels, scaling, InflatedCopies.none());
  }

  /**
   * {@link #fromIdx(Path, Path, FeatureScaling)}, a big gzip file read from its raw copy in
   * {@code copies} when one is kept, else inflated and kept there.
   */
  public static Dataset fromIdx(Path images, Path labels, FeatureScaling scaling, InflatedCopies copies) {
    // Sparse images are kept packed (see InflatedCopies): a kept packed copy stands for the whole image file.
    Optional<InflatedCopies.Trailer> trailer = Idx.copiedTrailer(images, copies);
    Optional<PackedBytes> kept = trailer.flatMap(t -> copies.readPacked(images, t));
    IdxArray x = kept.isPresent() ? null : Idx.readImages(images, copies);
    IdxArray y = Idx.readLabels(labels, copies);
    int count = kept.isPresent() ? kept.get().size() : x.count();
    if (count != y.count()) {
      throw NncDataException.at(labels, Text.count(y.count()) + " labels, but " + images + " has "
          + Text.count(count) + " images");
    }
    int[] ints = y.toInts();
    float[] targets = new float[ints.length];
    for (int i = 0; i < ints.length; i++) targets[i] = ints[i];
    String description = images.getFileName() + " + " + labels.getFileName();
    Dataset read = kept.isPresent()
        ? Dataset.wrapPacked(description, kept.get(), scaling.uint8Divisor(), targets, 1, scaling.note(NpyType.UINT8))
        : Dataset.wrapUnsignedBytes(description, x.bytes(), scaling.uint8Divisor(), Math.max(1, x.sampleSize()),
            targets, 1, scaling.note(NpyType.UINT8));
    PackedBytes packed = read.packedBytes();
    if (trailer.isPresent() && packed != null) {
      if (kept.isEmpty()) copies.keepPacked(images, trailer.get(), x, packed);
      // the pairs of features, for a model that asks for them: from their kept copy, else made and kept
      InflatedCopies.Trailer t = trailer.get();
      read.pairsFrom(() -> copies.readPairs(images, t, packed).orElseGet(() -> {
        PackedPairs made = PackedPairs.of(packed);
        copies.keepPairs(images, t, made);
        return made;
      }));
    }
    return read;
  }

  /**
   * Features and targets from two {@code .npy} files. {@code x} has shape {@code [n, ...]} of rank
   * 2 or more (each sample is flattened; {@code uint8} values are pixels, divided by 255 into
   * [0, 1] and kept as bytes in memory until a batch needs them; other types are taken as they
   * are); {@code y} has shape {@code [n]} (one label or value per sample) or {@code [n, k]}, of
   * floats or integers, never scaled.
   */
  public static Dataset fromNpy(Path x, Path y) {
    return fromNpy(x, y, FeatureScaling.UINT8_TO_UNIT);
  }

  /** {@link #fromNpy(Path, Path)}, with {@code uint8} features scaled as {@code scaling} says. */
  public static Dataset fromNpy(Path x, Path y, FeatureScaling scaling) {
    Npy.Features features = Npy.readFeatures(x);
    NpyArray targets = Npy.read(y);
    int[] xs = features.shape();
    int[] ys = targets.shape();
    if (xs.length < 2) {
      throw NncDataException.at(x, "has shape " + Text.shape(xs) + "; features need [samples, features...]");
    }
    if (ys.length < 1 || ys.length > 2) {
      throw NncDataException.at(y, "has shape " + Text.shape(ys) + "; targets need [samples] or [samples, values]");
    }
    if (xs[0] != ys[0]) {
      throw NncDataException.at(y, Text.count(ys[0]) + " samples, but " + x + " has " + Text.count(xs[0]));
    }
    int n = xs[0];
    int featureSize = n == 0 ? sizeAfterFirst(xs)
        : (features.bytes() != null ? features.bytes().length : features.floats().length) / n;
    int targetSize = ys.length == 2 ? ys[1] : 1;
    if (featureSize == 0 || targetSize == 0) {
      throw NncDataException.at(featureSize == 0 ? x : y, "a sample has no values");
    }
    if (features.floats() != null) requireFinite(features.floats(), featureSize, x, "feature");
    requireFinite(targets.data(), targetSize, y, "target");
    String description = x.getFileName() + " + " + y.getFileName();
    String note = scaling.note(features.type());
    return features.bytes() != null
        ? Dataset.wrapUnsignedBytes(description, features.bytes(), scaling.uint8Divisor(), featureSize, targets.data(),
            targetSize, note)
        : Dataset.wrap(description, features.floats(), featureSize, targets.data(), targetSize, note);
  }

  /**
   * Features alone from a {@code .npy} file, for predicting: read and scaled as {@link #fromNpy}
   * reads them, each sample's target 0.
   */
  public static Dataset featuresFromNpy(Path x, FeatureScaling scaling) {
    Npy.Features features = Npy.readFeatures(x);
    int[] xs = features.shape();
    if (xs.length < 2) {
      throw NncDataException.at(x, "has shape " + Text.shape(xs) + "; features need [samples, features...]");
    }
    int n = xs[0];
    int featureSize = n == 0 ? sizeAfterFirst(xs)
        : (features.bytes() != null ? features.bytes().length : features.floats().length) / n;
    if (featureSize == 0) throw NncDataException.at(x, "a sample has no values");
    if (features.floats() != null) requireFinite(features.floats(), featureSize, x, "feature");
    String note = scaling.note(features.type());
    String description = x.getFileName().toString();
    return features.bytes() != null
        ? Dataset.wrapUnsignedBytes(description, features.bytes(), scaling.uint8Divisor(), featureSize, new float[n], 1,
            note)
        : Dataset.wrap(description, features.floats(), featureSize, new float[n], 1, note);
  }

  /** NaN or infinity in the data would train a model into NaN: an input error, with the file and the sample. */
  private static void requireFinite(float[] values, int perSample, Path file, String what) {
    int bad = Weights.firstNonFinite(values);
    if (bad >= 0) {
      throw NncDataException.at(file, what + " " + Text.count(bad % perSample) + " of sample " + Text.count(bad / perSample)
          + " is " + values[bad] + "; the data must be finite numbers");
    }
  }

  private static int sizeAfterFirst(int[] shape) {
    int size = 1;
    for (int i = 1; i < shape.length; i++) size *= shape[i];
    return size;
  }

  /**
   * {@code data} as {@code model} takes it: checks the number of features, and turns one class
   * index per sample into one-hot rows when the model wants {@link Model.TargetKind#VALUES}
   * (categorical cross-entropy on integer labels). Class indices must be whole numbers in
   * {@code [0, outputSize())}. Returns {@code data} itself when it already fits.
   *
   * @throws NncDataException naming the data and what the model needs, when it does not fit
   */
  public static Dataset forModel(Model model, Dataset data) {
    if (data.featureSize() != model.inputSize()) {
      throw new NncDataException(data.description() + ": " + data.featureSize() + " features per sample, but model "
          + model.name() + " takes " + model.inputSize());
    }
    int outputs = model.outputSize();
    if (model.targetKind() == Model.TargetKind.CLASS_INDEX) {
      if (data.targetSize() != 1) {
        throw new NncDataException(data.description() + ": " + data.targetSize() + " target values per sample, but model "
            + model.name() + " (loss " + model.loss().kerasName() + ") takes one class index per sample;"
            + " for one-hot targets use categorical cross-entropy");
      }
      checkClassIndices(data, outputs);
      return data;
    }
    if (data.targetSize() == outputs) {
      if (model.loss() == LossKind.BINARY_CROSSENTROPY) checkProbabilities(data);
      return data;
    }
    if (data.targetSize() == 1) {
      checkClassIndices(data, outputs);
      return oneHot(data, outputs);
    }
    throw new NncDataException(data.description() + ": " + data.targetSize() + " target values per sample, but model "
        + model.name() + " has " + outputs + " outputs");
  }

  private static void checkClassIndices(Dataset data, int classes) {
    float[] y = data.targetArray();
    for (int i = 0; i < y.length; i++) {
      float label = y[i];
      if (label != Math.rint(label) || label < 0 || label >= classes) {
        String shown = label == Math.rint(label) ? String.valueOf((long) label) : String.valueOf(label);
        throw new NncDataException(data.description() + ": label " + shown + " of sample " + Text.count(i)
            + " is not a class index in [0, " + classes + ")");
      }
    }
  }

  /** Binary cross-entropy takes targets in [0, 1]; others give a negative loss and train to nonsense. */
  private static void checkProbabilities(Dataset data) {
    float[] y = data.targetArray();
    for (int i = 0; i < y.length; i++) {
      if (!(y[i] >= 0 && y[i] <= 1)) {
        throw new NncDataException(data.description() + ": target " + y[i] + " of sample " + Text.count(i / data.targetSize())
            + " is not in [0, 1], as loss binary_crossentropy needs (a probability or a 0/1 label)");
      }
    }
  }

  private static Dataset oneHot(Dataset data, int classes) {
    float[] labels = data.targetArray();
    float[] targets = new float[labels.length * classes];
    for (int i = 0; i < labels.length; i++) targets[i * classes + (int) labels[i]] = 1f;
    return data.withTargets(targets, classes);
  }
}
