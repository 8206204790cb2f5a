package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each metric against a value worked out by hand, and streaming over batches against one pass. */
class MetricTest {

  private static Model model(int outputs, LossKind loss) {
    return new SoftmaxRegression(1, outputs, 64, loss, 0f);
  }

  private static double once(String name, Model model, float[] output, float[] y, int n) {
    Metric m = Metric.of(name, model);
    m.update(output, y, n);
    return m.result();
  }

  @Test
  void meanErrorsAverageOverOutputsThenSamples() {
    Model m = model(2, LossKind.MEAN_SQUARED_ERROR);
    float[] out = {1, 2, 0, -1};
    float[] y = {0, 4, 0.5f, -1};
    // |d| = 1, 2, 0.5, 0 -> sample means 1.5, 0.25 -> 0.875; d^2 = 1, 4, 0.25, 0 -> 2.5, 0.125 -> 1.3125
    assertEquals(0.875, once("mae", m, out, y, 2), 1e-12);
    assertEquals(1.3125, once("mse", m, out, y, 2), 1e-12);
  }

  @Test
  void precisionAndRecallCountPositivesAboveOneHalf() {
    Model m = model(1, LossKind.BINARY_CROSSENTROPY);
    float[] out = {0.9f, 0.6f, 0.5f, 0.2f, 0.7f, 0.1f};
    float[] y = {1, 0, 1, 1, 1, 0};
    // predicted positive: 0.9 (tp), 0.6 (fp), 0.7 (tp); 0.5 is not above the threshold: fn, 0.2: fn
    assertEquals(2 / 3.0, once("precision", m, out, y, 6), 1e-12);
    assertEquals(2 / 4.0, once("recall", m, out, y, 6), 1e-12);
    assertEquals(0.0, once("precision", m, new float[] {0.1f}, new float[] {1}, 1), "no positive predicted: 0");
  }

  @Test
  void aucIsTheTrapezoidAreaUnderTheRocCurve() {
    Model m = model(1, LossKind.BINARY_CROSSENTROPY);
    // ROC points by hand, thresholds rising: (1,1) (1,2/3) (0.5,2/3) (0.5,1/3) (0,1/3) (0,0): 1/3 + 1/6
    float[] out = {0.9f, 0.8f, 0.6f, 0.3f, 0.2f};
    float[] y = {1, 0, 1, 0, 1};
    assertEquals(0.5, once("auc", m, out, y, 5), 1e-12);
    // perfectly ranked
    assertEquals(1.0, once("auc", m, new float[] {0.1f, 0.7f, 0.95f}, new float[] {0, 1, 1}, 3), 1e-12);
    // a positive below a negative in the same bucket (99/199, 100/199]: the exact AUC is 0, the
    // interpolated one joins (0,0) and (1,1) by a straight line: 0.5
    assertEquals(0.5, once("auc", m, new float[] {0.501f, 0.502f}, new float[] {1, 0}, 2), 1e-12);
  }

  @Test
  void aucThresholdsAreKeras() {
    float[] t = KerasMetrics.Auc.KERAS_THRESHOLDS;
    assertEquals(200, t.length);
    assertEquals((float) -1e-7, t[0]);
    assertEquals((float) (1 / 199.0), t[1]);
    assertEquals((float) (198 / 199.0), t[198]);
    assertEquals((float) (1 + 1e-7), t[199]);
  }

  @Test
  void topKCountsTheTrueClassAmongTheFiveLargest() {
    Model sparse = model(7, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY);
    float[] out = {
        0.7f, 0.6f, 0.5f, 0.4f, 0.3f, 0.2f, 0.1f, // class 4 is 5th: in; class 5 is 6th: out
        0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f, 0.4f}; // class 0 ties with 5 others below 0.4: in
    assertEquals(0.5, once("sparse_top_k_categorical_accuracy", sparse, out, new float[] {5, 0}, 2), 1e-12);
    assertEquals(1.0, once("sparse_top_k_categorical_accuracy", sparse, out, new float[] {4, 0}, 2), 1e-12);
    Model categorical = model(7, LossKind.CATEGORICAL_CROSSENTROPY);
    float[] oneHot = new float[14];
    oneHot[6] = 1; // sample 0: class 6, 7th largest
    oneHot[7 + 3] = 1; // sample 1: class 3 ties at 0.1 with five others: in
    assertEquals(0.5, once("top_k_categorical_accuracy", categorical, out, oneHot, 2), 1e-12);
  }

  @Test
  void streamingOverBatchesEqualsOnePass() {
    SplittableRandom random = new SplittableRandom(3);
    int n = 37;
    float[] out = new float[n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) random.nextDouble();
      y[i] = random.nextBoolean() ? 1 : 0;
    }
    Model m = model(1, LossKind.BINARY_CROSSENTROPY);
    for (String name : List.of("accuracy", "mae", "mse", "precision", "recall", "auc")) {
      Metric streamed = Metric.of(name, m);
      for (int first = 0; first < n; first += 10) {
        int count = Math.min(10, n - first);
        streamed.update(java.util.Arrays.copyOfRange(out, first, first + 10 > n ? n : first + 10),
            java.util.Arrays.copyOfRange(y, first, first + count), count);
      }
      assertEquals(once(name, m, out, y, n), streamed.result(), 1e-12, name);
      streamed.reset();
      assertEquals(0.0, streamed.result(), name + " after reset");
    }
  }

  @Test
  void namesMustFitTheLoss() {
    assertNull(Metric.problem("auc", LossKind.BINARY_CROSSENTROPY));
    assertNull(Metric.problem("mae", LossKind.MEAN_SQUARED_ERROR));
    assertEquals("metric 'accuracy' measures a classifier, but loss mean_squared_error trains a regression; use mae or mse",
        Metric.problem("accuracy", LossKind.MEAN_SQUARED_ERROR));
    assertEquals("metric 'top_k_categorical_accuracy' reads one-hot targets (loss categorical_crossentropy), not "
            + "sparse_categorical_crossentropy's; use sparse_top_k_categorical_accuracy",
        Metric.problem("top_k_categorical_accuracy", LossKind.SPARSE_CATEGORICAL_CROSSENTROPY));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Metric.of("precision", model(3, LossKind.SPARSE_CATEGORICAL_CROSSENTROPY)));
    assertEquals("metric 'precision' measures a binary classifier (loss binary_crossentropy), not one trained with "
        + "sparse_categorical_crossentropy", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Metric.of("f1", model(1, LossKind.BINARY_CROSSENTROPY)));
  }

  @Test
  void aSetLogsLossAndMetricsSortedAsKeras() {
    Model m = model(1, LossKind.BINARY_CROSSENTROPY);
    MetricSet set = MetricSet.of(m, List.of("recall", "acc", "auc", "accuracy"));
    set.update(0.5f, new float[] {0.9f, 0.2f}, new float[] {1, 1}, 2);
    set.update(0.25f, new float[] {0.7f, 0.1f}, new float[] {0, 0}, 2);
    Map<String, Double> logs = set.logs("val_");
    assertEquals(List.of("val_accuracy", "val_auc", "val_loss", "val_recall"), List.copyOf(logs.keySet()));
    assertEquals(0.375, logs.get("val_loss"), 1e-12);
    assertEquals(0.5, logs.get("val_accuracy"), 1e-12);
    assertEquals(0.5, logs.get("val_recall"), 1e-12);
  }
}
