package dev.nnc.cli;

import dev.nnc.compiler.diag.Texts;
import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.Datasets;
import dev.nnc.runtime.FeatureScaling;
import dev.nnc.runtime.InflatedCopies;
import dev.nnc.runtime.MnistData;
import dev.nnc.runtime.Npy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Where {@code train} and {@code eval} get their samples: NumPy files ({@code --x/--y},
 * {@code --test-x/--test-y}) or MNIST's IDX files ({@code --data DIR}, else the folder that
 * {@code $NNC_DATA} or the per-user cache provides, see {@link MnistData}). Integer features
 * follow {@link FeatureScaling}'s rule ({@code uint8} divided by 255, unless {@code --no-scale}),
 * and a line on stderr says what was done to them.
 */
final class DataOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** Located once: finding MNIST may mean downloading it. */
  private MnistData.Files mnistFiles;

  @Option(names = "--data", paramLabel = "DIR", order = 10,
      description = "Folder with MNIST's IDX files, or with a mnist/ folder holding them (train-images-idx3-ubyte[.gz], "
          + "train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]; eval needs only "
          + "the t10k files). Default, without --x: $NNC_DATA (the same either way), else the per-user cache "
          + "(downloaded once).")
  Path dataDirectory;

  @Option(names = "--x", paramLabel = "X.npy", order = 11,
      description = "Training features, shape [samples, features...] (with --y).")
  Path x;

  @Option(names = "--y", paramLabel = "Y.npy", order = 12,
      description = "Training targets: class indices [samples] or values [samples, outputs] (with --x).")
  Path y;

  @Option(names = "--test-x", paramLabel = "X.npy", order = 13, description = "Test features (with --test-y).")
  Path testX;

  @Option(names = "--test-y", paramLabel = "Y.npy", order = 14, description = "Test targets (with --test-x).")
  Path testY;

  @Option(names = "--no-scale", order = 19,
      description = "Keep uint8 features (MNIST's IDX images, uint8 .npy) as 0-255; by default they are divided by 255 "
          + "into [0, 1]. Other types are never scaled.")
  boolean noScale;

  /** How integer features are read: {@code --no-scale}, or the one rule. */
  FeatureScaling scaling() {
    return noScale ? FeatureScaling.NONE : FeatureScaling.UINT8_TO_UNIT;
  }

  /**
   * {@code data}, after a line on {@code log} saying what reading did to its integer features
   * (read from {@code features}), if anything: the scaling is never silent.
   */
  static Dataset noted(Dataset data, Path features, boolean noScale, PrintStream log) {
    data.featureScaling().ifPresent(note -> log.println(Texts.visible(features + ": " + note
        + (!noScale && data.hasByteFeatures() ? "; --no-scale keeps them 0-255" : ""))));
    return data;
  }

  // ---- separate validation files (train only)
  @Option(names = "--val-x", paramLabel = "X.npy", order = 15,
      description = "Validation features (with --val-y), evaluated after every epoch as Keras' validation_data.")
  Path valX;

  @Option(names = "--val-y", paramLabel = "Y.npy", order = 16, description = "Validation targets (with --val-x).")
  Path valY;

  /** {@code --val-x/--val-y} were given. */
  boolean hasValidationFiles() {
    return valX != null;
  }

  /** {@code --val-x/--val-y}, if given, after the line on {@code log} about their scaling. */
  Optional<Dataset> validation(PrintStream log) {
    return valX == null ? Optional.empty() : Optional.of(noted(npy(valX, valY), valX, noScale, log));
  }

  /** Usage errors in the combination of options; call before reading anything. */
  void validate() {
    requirePair("--x", x, "--y", y);
    requirePair("--test-x", testX, "--test-y", testY);
    requirePair("--val-x", valX, "--val-y", valY);
    if (dataDirectory != null && x != null) {
      throw new ParameterException(command.commandLine(),
          "--data and --x/--y are alternatives: give MNIST's folder or NumPy files, not both");
    }
  }

  private void requirePair(String name, Path value, String otherName, Path other) {
    if ((value == null) != (other == null)) {
      throw new ParameterException(command.commandLine(),
          (value == null ? otherName : name) + " needs " + (value == null ? name : otherName) + " too");
    }
  }

  /**
   * Checks the NumPy features' shape against the model from their headers alone, so that data
   * that do not fit are reported before the model is allocated and the data are read.
   */
  void requireFeatures(int inputSize, String modelName) {
    for (Path features : new Path[] {x, testX, valX}) {
      if (features == null) continue;
      int[] shape = Npy.readShape(features);
      long perSample = 1;
      for (int i = 1; i < shape.length; i++) perSample *= shape[i];
      if (shape.length >= 2 && perSample != inputSize) {
        throw new UserError(features + ": " + perSample + " features per sample (shape "
            + java.util.Arrays.toString(shape) + "), but model " + modelName + " takes " + inputSize);
      }
    }
  }

  /** {@code --x/--y} were given. */
  boolean hasTrainingFiles() {
    return x != null;
  }

  /** {@code --test-x/--test-y} were given. */
  boolean hasTestFiles() {
    return testX != null;
  }

  /** {@code --x/--y}, else MNIST's training set. */
  Dataset training(PrintStream log) {
    return x != null ? noted(npy(x, y), x, noScale, log) : mnistSet(log, true);
  }

  /**
   * {@code --test-x/--test-y}; else, when training on MNIST, MNIST's test set; else nothing
   * (NumPy training files come with no test set of their own).
   */
  Optional<Dataset> test(PrintStream log) {
    if (testX != null) return Optional.of(noted(npy(testX, testY), testX, noScale, log));
    if (x != null) return Optional.empty();
    return Optional.of(mnistSet(log, false));
  }

  /**
   * The one set {@code eval} measures: {@code --test-x/--test-y}, {@code --x/--y}, or MNIST's test
   * set, for which a folder needs only its two t10k files.
   */
  Dataset evaluation(PrintStream log) {
    if (testX != null) return noted(npy(testX, testY), testX, noScale, log);
    if (x != null) return noted(npy(x, y), x, noScale, log);
    return mnistTestSet(dataDirectory, noScale, log);
  }

  /** MNIST's test set alone, from {@code dataDirectory} or where {@link MnistData#locateTest} looks. */
  static Dataset mnistTestSet(Path dataDirectory, boolean noScale, PrintStream log) {
    MnistData.TestFiles files = UserError.whileReading("MNIST", () -> MnistData.locateTest(dataDirectory, log));
    FeatureScaling scaling = noScale ? FeatureScaling.NONE : FeatureScaling.UINT8_TO_UNIT;
    Dataset test = UserError.whileReading(files.images() + " + " + files.labels(), () -> files.test(scaling, inflatedCopies()));
    return noted(test, files.images(), noScale, log);
  }

  /** Raw copies of big gzip data files, in the user's cache beside the model classes (see {@link ClassCache#root}). */
  private static InflatedCopies inflatedCopies() {
    return InflatedCopies.in(ClassCache.root(System::getProperty, System::getenv).resolve("inflated"));
  }

  private Dataset npy(Path features, Path targets) {
    return UserError.whileReading(features + " + " + targets, () -> Datasets.fromNpy(features, targets, scaling()));
  }

  private Dataset mnistSet(PrintStream log, boolean train) {
    if (mnistFiles == null) {
      mnistFiles = UserError.whileReading("MNIST", () -> MnistData.locate(dataDirectory, log));
    }
    MnistData.Files files = mnistFiles;
    FeatureScaling scaling = scaling();
    return train
        ? noted(UserError.whileReading(files.trainImages() + " + " + files.trainLabels(), () -> files.train(scaling, inflatedCopies())),
            files.trainImages(), noScale, log)
        : noted(UserError.whileReading(files.testImages() + " + " + files.testLabels(), () -> files.test(scaling, inflatedCopies())),
            files.testImages(), noScale, log);
  }
}
