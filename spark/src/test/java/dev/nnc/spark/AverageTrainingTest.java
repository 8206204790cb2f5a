package dev.nnc.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.Dataset;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;

/** {@code average} mode trains the MNIST example to Keras' accuracy on all of MNIST in local[2]. */
class AverageTrainingTest {

  @Test
  void averageModeReachesNinetySevenPercentTestAccuracyInFiveEpochs() throws IOException {
    Dataset train = MnistFrames.train();
    Dataset test = MnistFrames.test();
    org.apache.spark.sql.Dataset<Row> trainFrame = MnistFrames.frame(MnistFrames.rows(train, 0, train.size()), 2);
    org.apache.spark.sql.Dataset<Row> testFrame = MnistFrames.frame(MnistFrames.rows(test, 0, test.size()), 2);
    ByteArrayOutputStream progress = new ByteArrayOutputStream();

    NncSparkModel model = new NncEstimator().setModelSource(Files.readString(SyncTrainingTest.MNIST_SOURCE))
        .setModelSourceName("mnist.nn").setMode("average").setAverageEvery(16).setEpochs(5).setBatchSize(128)
        .setSeed(1).setProgressStream(new PrintStream(progress, true, StandardCharsets.UTF_8)).fit(trainFrame);

    long correct = model.transform(testFrame).filter(functions.col("prediction").equalTo(functions.col("label"))).count();
    double accuracy = correct / (double) test.size();
    String printed = progress.toString(StandardCharsets.UTF_8);
    System.out.print(printed);
    System.out.println("test accuracy: " + accuracy);
    assertTrue(accuracy >= 0.97, "test accuracy " + accuracy);
    // One line per epoch on the driver; 235 steps of 128 on each partition's 30,000 rows: 15 rounds of 16.
    assertEquals(5, printed.lines().filter(l -> l.startsWith("Epoch ")).count(), printed);
    assertTrue(printed.contains("Epoch 5/5 - 60000 samples in "), printed);
    assertTrue(printed.contains(", 15 jobs) - accuracy: "), printed);
    assertEquals(5, model.history().epochs());
  }
}
