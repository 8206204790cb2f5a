package dev.nnc.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.Weights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fitted model survives ML persistence and .npz weights unchanged, and so does an estimator's configuration. */
class PersistenceTest {
  private static NncSparkModel fitted;
  private static org.apache.spark.sql.Dataset<Row> scoring;
  private static String source;

  @BeforeAll
  static void fitASmallModel() throws IOException {
    Dataset train = MnistFrames.train();
    source = Files.readString(SyncTrainingTest.MNIST_SOURCE);
    fitted = new NncEstimator().setModelSource(source).setModelSourceName("mnist.nn").setMode("average")
        .setAverageEvery(4).setEpochs(1).setSeed(3).setVerbose(false).fit(MnistFrames.frame(MnistFrames.rows(train, 0, 3000), 2));
    scoring = MnistFrames.frame(MnistFrames.rows(MnistFrames.test(), 0, 300), 2);
  }

  @Test
  void modelRoundTripsThroughWriteAndLoad(@TempDir Path dir) throws IOException {
    String path = dir.resolve("model").toString();
    fitted.setPredictionCol("digit");
    fitted.write().overwrite().save(path);
    NncSparkModel loaded = NncSparkModel.load(path);

    assertEquals(fitted.uid(), loaded.uid());
    assertEquals("digit", loaded.getOrDefault(loaded.predictionCol()));
    assertEquals(source, loaded.getOrDefault(loaded.modelSource()));
    Map<String, float[]> expected = fitted.parameters();
    Map<String, float[]> actual = loaded.parameters();
    assertEquals(expected.keySet(), actual.keySet());
    expected.forEach((name, values) -> assertArrayEquals(values, actual.get(name), name));

    List<Row> before = fitted.transform(scoring).select("digit", "probability").collectAsList();
    List<Row> after = loaded.transform(scoring).select("digit", "probability").collectAsList();
    assertEquals(before.size(), after.size());
    for (int i = 0; i < before.size(); i++) {
      assertEquals(before.get(i).getDouble(0), after.get(i).getDouble(0));
      // Scalar kernels after loading, whatever fit used: the probabilities agree to float rounding.
      assertArrayEquals(((Vector) before.get(i).get(1)).toArray(), ((Vector) after.get(i).get(1)).toArray(), 1e-5);
    }
  }

  @Test
  void saveWeightsWritesTheNpzThatNncTrainSaveWrites(@TempDir Path dir) {
    Path npz = dir.resolve("mnist.npz");
    fitted.saveWeights(npz.toString());
    Model local = ModelCompiler.javac(ModelCompiler.generate("mnist.nn", source, java.util.OptionalInt.empty(),
        dev.nnc.compiler.Kernels.SCALAR, null)).newInstance();
    Weights.load(local, npz);
    fitted.parameters().forEach((name, values) -> {
      float[] read = new float[values.length];
      local.readParameter(name, read);
      assertArrayEquals(values, read, name);
    });
  }

  @Test
  void estimatorRoundTripsItsParams(@TempDir Path dir) throws IOException {
    NncEstimator estimator = new NncEstimator().setModelSource(source).setMode("average").setAverageEvery(8)
        .setEpochs(3).setValidationIndicatorCol("isTest");
    String path = dir.resolve("estimator").toString();
    estimator.save(path);
    NncEstimator loaded = NncEstimator.load(path);
    assertEquals(estimator.uid(), loaded.uid());
    assertEquals(source, loaded.getOrDefault(loaded.modelSource()));
    assertEquals("average", loaded.getOrDefault(loaded.mode()));
    assertEquals(8, loaded.getOrDefault(loaded.averageEvery()));
    assertEquals(3, loaded.getOrDefault(loaded.epochs()));
    assertEquals("isTest", loaded.getOrDefault(loaded.validationIndicatorCol()));
  }
}
