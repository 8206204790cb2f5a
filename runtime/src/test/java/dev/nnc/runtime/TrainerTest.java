package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainerTest {
  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  /** Three well-separated clusters in the plane, labels 0..2. */
  static Dataset clusters(int n, long seed) {
    double[][] centres = {{2, 0}, {-1, 1.7}, {-1, -1.7}};
    SplittableRandom random = new SplittableRandom(seed);
    float[] x = new float[2 * n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      int c = i % 3;
      x[2 * i] = (float) (centres[c][0] + random.nextDouble(-0.5, 0.5));
      x[2 * i + 1] = (float) (centres[c][1] + random.nextDouble(-0.5, 0.5));
      y[i] = c;
    }
    return Dataset.of(x, 2, y, 1);
  }

  private static FitOptions options(int epochs, int batch) {
    return new FitOptions(epochs, batch, 42, true, false, java.util.List.of("accuracy"), FitOptions.Display.PER_EPOCH);
  }

  /**
   * Packed samples whose lists the model refuses (a feature past the input: only a damaged or foreign
   * copy in nnc's cache holds such) stop training and evaluation with a data error naming the data.
   */
  @Test
  void listsTheModelRefusesAreADataError() {
    SoftmaxRegression model = new SoftmaxRegression(2, 3, 16, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.5f);
    // two samples of 2 features: feature 1 = 5; feature 9 (past the input) = 7
    Dataset hostile = Dataset.wrapPacked("hostile.idx", PackedBytes.wrap(new byte[] {1, 0, 5, 9, 0, 7}, new int[] {0, 3, 6}, 2),
        255f, new float[2], 1, null);
    NncDataException e = assertThrows(NncDataException.class, () -> Trainer.fit(model, hostile, null, options(1, 2), QUIET));
    assertTrue(e.getMessage().startsWith("hostile.idx: sample 1 lists feature 9 of 2"), e.getMessage());
    e = assertThrows(NncDataException.class, () -> Trainer.evaluate(model, hostile, 2));
    assertTrue(e.getMessage().startsWith("hostile.idx: sample 1 lists feature 9 of 2"), e.getMessage());
  }

  @Test
  void learnsASeparableProblem() {
    SoftmaxRegression model = new SoftmaxRegression(2, 3, 16, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.5f);
    model.initialize(3);
    History h = Trainer.fit(model, clusters(150, 1), clusters(60, 2), options(15, 16), QUIET);
    assertEquals(15, h.epochs());
    assertTrue(h.loss().get(14) < h.loss().get(0) / 4, "loss drops: " + h.loss());
    assertEquals(1.0, h.accuracy().get(14));
    assertEquals(1.0, h.valAccuracy().get(14));
    Evaluation test = Trainer.evaluate(model, clusters(90, 3), 16);
    assertEquals(1.0, test.accuracy());
    assertEquals(h.valLoss().get(14), Trainer.evaluate(model, clusters(60, 2), 7).loss(), 1e-6);
  }

  @Test
  void givesIntegerLabelsToACategoricalModelAsOneHot() {
    SoftmaxRegression model = new SoftmaxRegression(2, 3, 16, LossKind.CATEGORICAL_CROSSENTROPY, 0.5f);
    History h = Trainer.fit(model, clusters(150, 1), null, options(10, 16), QUIET);
    assertEquals(1.0, h.accuracy().get(9));
    assertTrue(h.valLoss().isEmpty());
  }

  @Test
  void trainsTheLastPartialBatchAndEverySampleOncePerEpoch() {
    float[] ids = new float[10];
    for (int i = 0; i < 10; i++) ids[i] = i;
    SoftmaxRegression model = new SoftmaxRegression(1, 2, 4, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.1f);
    Trainer.fit(model, Dataset.of(ids, 1, new float[10], 1), null, options(2, 4), QUIET);
    assertEquals(List.of(4, 4, 2, 4, 4, 2), model.trainBatches);
    for (int epoch = 0; epoch < 2; epoch++) {
      List<Float> seen = new ArrayList<>(model.firstFeatures.subList(10 * epoch, 10 * epoch + 10));
      seen.sort(null);
      assertEquals(List.of(0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f), seen);
    }
    assertTrue(!model.firstFeatures.subList(0, 10).equals(model.firstFeatures.subList(10, 20)), "reshuffled");
  }

  @Test
  void withoutShufflingSamplesComeInOrder() {
    float[] ids = {0, 1, 2, 3, 4};
    SoftmaxRegression model = new SoftmaxRegression(1, 2, 4, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.1f);
    Trainer.fit(model, Dataset.of(ids, 1, new float[5], 1), null, options(1, 2).withShuffle(false), QUIET);
    assertEquals(List.of(0f, 1f, 2f, 3f, 4f), model.firstFeatures);
    assertEquals(List.of(2, 2, 1), model.trainBatches);
  }

  @Test
  void theSameSeedTrainsTheSameModel() {
    SoftmaxRegression a = new SoftmaxRegression(2, 3, 16, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.5f);
    SoftmaxRegression b = new SoftmaxRegression(2, 3, 16, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.5f);
    History ha = Trainer.fit(a, clusters(50, 1), null, options(3, 8), QUIET);
    History hb = Trainer.fit(b, clusters(50, 1), null, options(3, 8), QUIET);
    assertEquals(ha.loss(), hb.loss());
    assertArrayEquals(a.kernel, b.kernel);
  }

  @Test
  void evaluatesWithTheMeanOverAllSamples() {
    SoftmaxRegression model = new SoftmaxRegression(2, 3, 7, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0f);
    model.initialize(5);
    Dataset data = clusters(7, 9);
    float whole = model.evaluate(data.features(), data.targets(), 7);
    int correct = 0;
    for (int i = 0; i < 7; i++) {
      if (AccuracyRule.argmax(model.output(), 3 * i, 3) == (int) data.target(i, 0)) correct++;
    }
    Evaluation batched = Trainer.evaluate(model, data, 3); // batches of 3, 3 and 1
    assertEquals(whole, batched.loss(), 1e-6);
    assertEquals(correct / 7.0, batched.accuracy(), 1e-12);
  }

  @Test
  void predictsAnyNumberOfSamplesInChunks() {
    SoftmaxRegression model = new SoftmaxRegression(2, 3, 4, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0f);
    model.initialize(5);
    float[] x = clusters(10, 4).features();
    float[] all = Trainer.predict(model, x, 10);
    assertEquals(30, all.length);
    for (int i = 0; i < 10; i++) {
      model.predict(new float[] {x[2 * i], x[2 * i + 1]}, 1);
      assertArrayEquals(java.util.Arrays.copyOf(model.output(), 3), java.util.Arrays.copyOfRange(all, 3 * i, 3 * i + 3));
    }
  }

  @Test
  void zeroEpochsTrainNothing() {
    SoftmaxRegression model = new SoftmaxRegression(2, 3, 4, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0.5f);
    assertEquals(0, Trainer.fit(model, clusters(10, 1), null, options(0, 4), QUIET).epochs());
    assertEquals(List.of(), model.trainBatches);
  }

  @Test
  void accuracyFollowsKerasForEachLoss() {
    assertEquals(AccuracyRule.CLASS_INDEX, AccuracyRule.of(new SoftmaxRegression(1, 3, 1, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY, 0)));
    assertEquals(AccuracyRule.ARGMAX, AccuracyRule.of(new SoftmaxRegression(1, 3, 1, LossKind.CATEGORICAL_CROSSENTROPY, 0)));
    assertEquals(AccuracyRule.THRESHOLD, AccuracyRule.of(new SoftmaxRegression(1, 3, 1, LossKind.BINARY_CROSSENTROPY, 0)));
    assertEquals(AccuracyRule.THRESHOLD, AccuracyRule.of(new SoftmaxRegression(1, 1, 1, LossKind.MEAN_SQUARED_ERROR, 0)));
    assertEquals(AccuracyRule.ARGMAX, AccuracyRule.of(new SoftmaxRegression(1, 3, 1, LossKind.MEAN_SQUARED_ERROR, 0)));

    // two samples of two binary outputs: both right, then one of two right
    assertEquals(1.5, AccuracyRule.THRESHOLD.hits(new float[] {0.6f, 0.4f, 0.2f, 0.9f}, new float[] {1, 0, 1, 1}, 2, 2, 2));
    // argmax ties go to the first index, as numpy's
    assertEquals(1.0, AccuracyRule.ARGMAX.hits(new float[] {0.5f, 0.5f, 0.1f, 0.9f}, new float[] {1, 0, 1, 0}, 2, 2, 2));
    assertEquals(2.0, AccuracyRule.CLASS_INDEX.hits(new float[] {0.1f, 0.9f, 0.8f, 0.2f, 0, 0}, new float[] {1, 0, 9}, 2, 2, 1));
  }
}
