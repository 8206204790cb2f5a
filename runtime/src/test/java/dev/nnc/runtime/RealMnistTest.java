package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The real MNIST files load with the sizes and label counts the data README lists. */
class RealMnistTest {

  private static int[] labelCounts(Dataset d) {
    int[] counts = new int[10];
    for (int i = 0; i < d.size(); i++) counts[(int) d.target(i, 0)]++;
    return counts;
  }

  private static int[] firstLabels(Dataset d) {
    int[] first = new int[10];
    for (int i = 0; i < 10; i++) first[i] = (int) d.target(i, 0);
    return first;
  }

  @Test
  void loadsTrainAndTestSets() {
    MnistData.Files files = MnistData.locate(TestData.mnistDir(), System.out);
    Dataset train = files.train();
    Dataset test = files.test();

    assertEquals(60_000, train.size());
    assertEquals(10_000, test.size());
    assertEquals(784, train.featureSize());
    assertTrue(train.hasByteFeatures() && test.hasByteFeatures(), "pixels stay bytes");
    assertArrayEquals(new int[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, labelCounts(train));
    assertArrayEquals(new int[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, labelCounts(test));
    assertArrayEquals(new int[] {5, 0, 4, 1, 9, 2, 1, 3, 1, 4}, firstLabels(train));
    assertArrayEquals(new int[] {7, 2, 1, 0, 4, 1, 4, 9, 5, 9}, firstLabels(test));

    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    for (float v : train.features()) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(0f, min);
    assertEquals(1f, max);
  }
}
