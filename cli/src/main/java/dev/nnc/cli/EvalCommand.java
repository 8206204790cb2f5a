package dev.nnc.cli;

import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.Evaluation;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.Trainer;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code nnc eval FILE.nn --weights W.npz ...}: Keras' {@code evaluate} on saved weights. */
@Command(name = "eval", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    sortOptions = false,
    customSynopsis = "nnc eval FILE.nn --weights W.npz [--data DIR | --x X.npy --y Y.npy | --test-x X.npy --test-y Y.npy] [--no-scale] [--batch N]",
    description = {
        "Loads saved weights into a model and prints its loss and metrics (the model's metrics statement) on a data set.",
        "The data set is --test-x/--test-y, else --x/--y, else MNIST's test set (--data or the default)."})
final class EvalCommand extends NncSubcommand {

  @Parameters(paramLabel = "FILE.nn", description = "The model file.")
  Path file;

  @Option(names = "--weights", paramLabel = "W.npz", required = true, order = 1,
      description = "The weights to evaluate (as train --save writes them).")
  Path weights;

  @Mixin
  DataOptions data;

  @Option(names = "--batch", paramLabel = "N", order = 21,
      description = "Samples per evaluation step (default: the model's batch size).")
  Integer batchSize;

  @Mixin
  KernelsOption kernels = new KernelsOption();

  @Override
  int run() {
    data.validate();
    if (data.hasTrainingFiles() && data.hasTestFiles()) {
      throw usageError("eval measures one data set: give --x/--y or --test-x/--test-y, not both");
    }
    if (data.hasValidationFiles()) throw usageError("--val-x/--val-y are for train; eval measures --test-x/--test-y");
    if (batchSize != null && batchSize < 1) throw usageError("--batch must be at least 1, not " + batchSize);
    if (kernels.problem() != null) throw usageError(kernels.problem());
    PrintStream log = WriterOutputStream.printStream(err());

    Optional<LoadedModel> loaded = LoadedModel.trained(file, batchSize, kernels, weights, err());
    if (loaded.isEmpty()) return ExitCodes.INPUT_ERROR;
    Model model = loaded.get().model();
    Dataset samples = data.evaluation(log);

    Evaluation result = Trainer.evaluate(model, samples, model.maxBatch(), loaded.get().metrics());
    out().println(Metrics.line("", result));
    return ExitCodes.OK;
  }
}
