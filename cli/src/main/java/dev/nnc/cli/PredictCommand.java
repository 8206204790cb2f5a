package dev.nnc.cli;

import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.Datasets;
import dev.nnc.runtime.Evaluation;
import dev.nnc.runtime.FeatureScaling;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.NncDataException;
import dev.nnc.runtime.Npy;
import dev.nnc.runtime.NpyArray;
import dev.nnc.runtime.NpyType;
import dev.nnc.runtime.Trainer;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code nnc predict FILE.nn --weights W.npz (--x X.npy [--y Y.npy] | --data DIR) --out P.npy [--classes]}:
 * Keras' {@code predict} on saved weights, written as NumPy.
 */
@Command(name = "predict", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false,
    customSynopsis = "nnc predict FILE.nn --weights W.npz (--x X.npy [--y Y.npy] | --data DIR) --out P.npy [--classes] [--no-scale] [--batch N]",
    description = {
        "Runs a trained model over samples and writes its outputs as a .npy file: float32 [samples, outputs]"
            + " (probabilities for a classifier), or with --classes int64 [samples] class indices.",
        "With labels (--y, or MNIST's test set from --data) it also prints the accuracy and loss.",
        "Samples are read as train and eval read them: uint8 features divided by 255 unless --no-scale."})
final class PredictCommand extends NncSubcommand {

  @Parameters(paramLabel = "FILE.nn", description = "The model file.")
  Path file;

  @Option(names = "--weights", paramLabel = "W.npz", required = true, order = 1,
      description = "The trained weights (as train --save writes them).")
  Path weights;

  @Option(names = "--x", paramLabel = "X.npy", order = 2,
      description = "The samples, shape [samples, features...]; uint8 values are divided by 255 (as train and eval "
          + "read them), other types taken as they are.")
  Path x;

  @Option(names = "--y", paramLabel = "Y.npy", order = 3, description = "Their labels or targets, to print the accuracy (with --x).")
  Path y;

  @Option(names = "--data", paramLabel = "DIR", order = 4,
      description = "Folder with MNIST's test files, or with a mnist/ folder holding them (t10k-images-idx3-ubyte[.gz], "
          + "t10k-labels-idx1-ubyte[.gz]): predicts its test set.")
  Path dataDirectory;

  @Option(names = "--no-scale", order = 7,
      description = "Keep uint8 features as 0-255 (for a model trained with train --no-scale).")
  boolean noScale;

  @Option(names = "--out", paramLabel = "P.npy", required = true, order = 5, description = "Where the predictions go (written atomically).")
  Path out;

  @Option(names = "--classes", order = 6,
      description = "Write class indices (argmax; for one output, 1 above 0.5) instead of the outputs.")
  boolean classes;

  @Option(names = "--batch", paramLabel = "N", order = 21,
      description = "Samples per forward pass (default: the model's batch size).")
  Integer batchSize;

  @Mixin
  KernelsOption kernels = new KernelsOption();

  @Override
  int run() {
    if ((x == null) == (dataDirectory == null)) {
      throw usageError("give the samples: --x X.npy or --data DIR (MNIST's test set), one of them");
    }
    if (y != null && x == null) throw usageError("--y needs --x");
    if (batchSize != null && batchSize < 1) throw usageError("--batch must be at least 1, not " + batchSize);
    if (kernels.problem() != null) throw usageError(kernels.problem());
    // A folder in the way would only show once every prediction is made; find it now.
    if (Files.isDirectory(out)) throw new UserError(out + ": is a folder; name a file to write");
    PrintStream log = WriterOutputStream.printStream(err());

    Optional<LoadedModel> loaded = LoadedModel.trained(file, batchSize, kernels, weights, err());
    if (loaded.isEmpty()) return ExitCodes.INPUT_ERROR;
    Model model = loaded.get().model();

    Dataset labelled = labelledSamples(log);
    float[] features;
    int n;
    if (labelled != null) {
      labelled = Datasets.forModel(model, labelled);
      features = labelled.features();
      n = labelled.size();
    } else {
      // The shape from the header first, so that samples that do not fit are not read.
      int[] shape = UserError.whileReading(x.toString(), () -> Npy.readShape(x));
      long perSample = 1;
      for (int i = 1; i < shape.length; i++) perSample *= shape[i];
      if (shape.length < 2 || perSample != model.inputSize()) {
        throw new NncDataException(x + ": has shape " + java.util.Arrays.toString(shape) + "; model " + model.name()
            + " takes [samples, " + model.inputSize() + "] (or any shape with " + model.inputSize() + " values per sample)");
      }
      Dataset samples = DataOptions.noted(UserError.whileReading(x.toString(), () -> Datasets.featuresFromNpy(x, scaling())),
          x, noScale, log);
      features = samples.features();
      n = samples.size();
    }

    float[] outputs = Trainer.predict(model, features, n);
    int width = model.outputSize();
    NpyArray result = classes
        ? new NpyArray(NpyType.INT64, new int[] {n}, classIndices(outputs, n, width))
        : NpyArray.ofFloats(new int[] {n, width}, outputs);
    Npy.write(out, result);
    out().println(n + (classes ? " class indices" : " predictions of " + width + " values") + " written to " + out);
    if (labelled != null) {
      Evaluation evaluation = Trainer.evaluate(model, labelled, model.maxBatch(), loaded.get().metrics());
      out().println(Metrics.line("", evaluation));
    }
    return ExitCodes.OK;
  }

  /** MNIST's test set, {@code --x} with {@code --y}, or null for samples without labels. */
  private Dataset labelledSamples(PrintStream log) {
    if (dataDirectory != null) return DataOptions.mnistTestSet(dataDirectory, noScale, log);
    if (y != null) {
      return DataOptions.noted(UserError.whileReading(x + " + " + y, () -> Datasets.fromNpy(x, y, scaling())), x, noScale, log);
    }
    return null;
  }

  private FeatureScaling scaling() {
    return noScale ? FeatureScaling.NONE : FeatureScaling.UINT8_TO_UNIT;
  }

  /** Each sample's class: its largest output's index (the first on a tie), or for one output 1 above 0.5. */
  private static float[] classIndices(float[] outputs, int n, int width) {
    float[] indices = new float[n];
    for (int i = 0; i < n; i++) {
      int o = i * width;
      int best = 0;
      for (int c = 1; c < width; c++) {
        if (outputs[o + c] > outputs[o + best]) best = c;
      }
      indices[i] = width == 1 ? (outputs[o] > 0.5f ? 1 : 0) : best;
    }
    return indices;
  }
}
