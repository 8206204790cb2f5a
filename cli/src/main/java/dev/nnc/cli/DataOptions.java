package dev.nnc.cli;

import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.Datasets;
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
 * {@code $NNC_DATA/mnist} or the per-user cache provides, see {@link MnistData}).
 */
final class DataOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  /** Located once: finding MNIST may mean downloading it. */
  private MnistData.Files mnistFiles;

  @Option(names = "--data", paramLabel = "DIR", order = 10,
      description = "Folder with MNIST's IDX files (train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz], "
          + "t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz]). "
          + "Default, without --x: $NNC_DATA/mnist, else the per-user cache (downloaded once).")
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

  /** {@code --val-x/--val-y}, if given. */
  Optional<Dataset> validation() {
    return valX == null ? Optional.empty() : Optional.of(npy(valX, valY));
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
    return x != null ? npy(x, y) : mnistSet(log, true);
  }

  /**
   * {@code --test-x/--test-y}; else, when training on MNIST, MNIST's test set; else nothing
   * (NumPy training files come with no test set of their own).
   */
  Optional<Dataset> test(PrintStream log) {
    if (testX != null) return Optional.of(npy(testX, testY));
    if (x != null) return Optional.empty();
    return Optional.of(mnistSet(log, false));
  }

  /** The one set {@code eval} measures: {@code --test-x/--test-y}, {@code --x/--y}, or MNIST's test set. */
  Dataset evaluation(PrintStream log) {
    if (testX != null) return npy(testX, testY);
    if (x != null) return npy(x, y);
    return mnistSet(log, false);
  }

  private static Dataset npy(Path features, Path targets) {
    return UserError.whileReading(features + " + " + targets, () -> Datasets.fromNpy(features, targets));
  }

  private Dataset mnistSet(PrintStream log, boolean train) {
    if (mnistFiles == null) {
      mnistFiles = UserError.whileReading("MNIST", () -> MnistData.locate(dataDirectory, log));
    }
    MnistData.Files files = mnistFiles;
    return train
        ? UserError.whileReading(files.trainImages() + " + " + files.trainLabels(), files::train)
        : UserError.whileReading(files.testImages() + " + " + files.testLabels(), files::test);
  }
}
