package dev.nnc.examples.mnist;

import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.Evaluation;
import dev.nnc.runtime.FitOptions;
import dev.nnc.runtime.JitWarmUp;
import dev.nnc.runtime.LogFormat;
import dev.nnc.runtime.MnistData;
import dev.nnc.runtime.NncDataException;
import dev.nnc.runtime.Trainer;
import dev.nnc.runtime.Weights;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Trains the MNIST classifier of "Deep Learning with Python" (chapter 2) as Keras does: the model's own
 * defaults from {@code mnist.nn} (5 epochs, batch 128, seed 42), the test set as validation data after
 * each epoch, then its test accuracy, and saves the weights as a Keras-layout {@code .npz}.
 *
 * <p>{@code MnistModel} is not in this folder: nnc-maven-plugin generates it from
 * {@code src/main/nn/mnist.nn} on every build.
 *
 * <pre>java @jvm.options -jar target/mnist.jar [--data DIR] [--epochs N] [--save FILE.npz]</pre>
 *
 * {@code jvm.options} (beside the pom) adds the Vector API module and the JVM options for training:
 * the generated class compiled early, and a heap sized for the job.
 *
 * Without {@code --data}, MNIST comes from {@code $NNC_DATA/mnist} (or {@code -Dnnc.data}), else from
 * the per-user cache, where it is downloaded once.
 */
public final class Main {
  private static final String USAGE = "usage: java @examples/mnist/jvm.options -jar examples/mnist/target/mnist.jar [--data DIR] [--epochs N] [--save FILE.npz]";

  private Main() {}

  public static void main(String[] args) {
    Path data = null;
    Integer epochs = null;
    Path save = Path.of("mnist-weights.npz");
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--data" -> data = Path.of(value(args, ++i));
          case "--epochs" -> epochs = Integer.parseInt(value(args, ++i));
          case "--save" -> save = Path.of(value(args, ++i));
          case "-h", "--help" -> {
            System.out.println(USAGE);
            return;
          }
          default -> throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
        }
      }
    } catch (IllegalArgumentException e) { // NumberFormatException included
      System.err.println("mnist: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
    }

    try {
      run(data, epochs, save);
    } catch (NncDataException e) {
      System.err.println("mnist: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void run(Path dataDir, Integer epochs, Path save) {
    MnistModel model = new MnistModel(); // initialized from the seed in mnist.nn
    FitOptions options = FitOptions.defaults(model);
    if (epochs != null) options = options.withEpochs(epochs);
    // Both cores: a worker thread takes half of the big kernels' columns (the same result as one thread).
    int threads = Math.min(2, Runtime.getRuntime().availableProcessors());
    // While MNIST is read, a throwaway instance trains on random batches, so that the JIT has compiled the
    // kernels by the first step (the trained model never sees it).
    JitWarmUp warmUp = options.epochs() > 0 ? JitWarmUp.start(model, MnistModel::new, options.batchSize(), threads) : null;
    MnistData.Files mnist = MnistData.locate(dataDir, System.out);
    Dataset train = mnist.train();
    Dataset test = mnist.test();
    if (warmUp != null) warmUp.finish();

    System.out.printf(Locale.ROOT, "%s: %,d parameters; %d epochs of batch %d on %,d images%n",
        model.name(), model.parameterCount(), options.epochs(), options.batchSize(), train.size());
    model.useThreads(threads);
    Trainer.fit(model, train, test, options, System.out);

    Evaluation result = Trainer.evaluate(model, test, options.batchSize());
    System.out.println(LogFormat.line(result.logs("test_"))); // test_accuracy: 0.9792 - test_loss: 0.0683

    Weights.save(model, save);
    System.out.println("weights saved to " + save);
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) throw new IllegalArgumentException(args[i - 1] + " needs a value");
    return args[i];
  }
}
