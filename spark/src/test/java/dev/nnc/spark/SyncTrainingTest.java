package dev.nnc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.compiler.Kernels;
import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.FitOptions;
import dev.nnc.runtime.History;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.spark.sql.Row;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code sync} mode takes exactly the steps of training on one machine: with shuffling off, the
 * weights after training on a Spark Dataset equal those of the runtime's own {@code Trainer.fit}
 * (what {@code nnc train --no-shuffle} runs) on the same rows in the same order, within float
 * rounding.
 */
class SyncTrainingTest {
  static final Path MNIST_SOURCE = Path.of("../examples/mnist/src/main/nn/mnist.nn");
  private static final int ROWS = 2000;
  private static final int PARTITIONS = 3;
  private static final int BATCH = 128;
  private static final int EPOCHS = 2;
  private static final long SEED = 7;

  @ParameterizedTest
  @ValueSource(strings = {"scalar", "vector"})
  void syncModeEqualsLocalTrainingOnTheSameRowsInTheSameOrder(String kernels) throws IOException {
    Dataset mnist = MnistFrames.train();
    String source = Files.readString(MNIST_SOURCE);
    List<Row> rows = MnistFrames.rows(mnist, 0, ROWS);
    // 2,000 rows in 3 partitions of 666, 667 and 667: every global batch takes 42 or 43 rows of each.
    org.apache.spark.sql.Dataset<Row> frame = MnistFrames.frame(rows, PARTITIONS);
    int[] sizes = frame.toJavaRDD().glom().collect().stream().mapToInt(List::size).toArray();
    assertEquals(PARTITIONS, sizes.length);

    NncSparkModel fitted = new NncEstimator().setModelSource(source).setModelSourceName("mnist.nn")
        .setKernels(kernels).setMode("sync").setShuffle(false).setEpochs(EPOCHS).setBatchSize(BATCH).setSeed(SEED)
        .setVerbose(false).fit(frame);

    // The same rows, in the order the schedule's global batches take them, trained on one machine.
    int[] offsets = new int[PARTITIONS];
    for (int p = 1; p < PARTITIONS; p++) offsets[p] = offsets[p - 1] + sizes[p - 1];
    int[][] order = BatchSchedule.of(sizes, BATCH).globalOrder();
    assertEquals(ROWS, order.length);
    float[] x = new float[ROWS * mnist.featureSize()];
    float[] y = new float[ROWS];
    for (int i = 0; i < ROWS; i++) {
      int row = offsets[order[i][0]] + order[i][1];
      for (int k = 0; k < mnist.featureSize(); k++) x[i * mnist.featureSize() + k] = mnist.feature(row, k);
      y[i] = mnist.target(row, 0);
    }
    Kernels kind = kernels.equals("vector") ? Kernels.VECTOR : Kernels.SCALAR;
    Model local = ModelCompiler.javac(ModelCompiler.generate("mnist.nn", source, OptionalInt.of(BATCH), kind, null))
        .newInstance();
    local.initialize(SEED);
    History localHistory = Trainer.fit(local, Dataset.of(x, mnist.featureSize(), y, 1), null,
        new FitOptions(EPOCHS, BATCH, SEED, false, false, java.util.List.of("accuracy"), FitOptions.Display.PER_EPOCH), System.out);

    Map<String, float[]> trained = fitted.parameters();
    for (Model.Tensor t : local.parameters()) {
      float[] expected = new float[t.size()];
      local.readParameter(t.name(), expected);
      double difference = maxRelativeDifference(trained.get(t.name()), expected);
      System.out.printf("%s (%s kernels): max |spark - local| / max |local| = %.3g%n", t.name(), kernels, difference);
      assertTrue(difference <= 1e-5, t.name() + " differs from local training by " + difference + " relative");
    }
    for (int e = 0; e < EPOCHS; e++) {
      assertEquals(localHistory.loss().get(e), fitted.history().loss().get(e), 1e-5 * localHistory.loss().get(e));
      assertEquals(localHistory.accuracy().get(e), fitted.history().accuracy().get(e), 1e-9);
    }
  }

  /** The largest elementwise difference, relative to the tensor's largest magnitude. */
  static double maxRelativeDifference(float[] actual, float[] expected) {
    assertEquals(expected.length, actual.length);
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < expected.length; i++) {
      diff = Math.max(diff, Math.abs((double) actual[i] - expected[i]));
      scale = Math.max(scale, Math.abs((double) expected[i]));
    }
    return diff / scale;
  }
}
