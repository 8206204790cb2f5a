package dev.nnc.examples.mnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The class the plugin generated is the model mnist.nn describes. Cheap: no data, no training. */
class MnistModelTest {

  @Test
  void hasTheShapesAndDefaultsOfMnistNn() {
    MnistModel model = new MnistModel();

    assertEquals("Mnist", model.name());
    assertEquals(784, model.inputSize());
    assertEquals(10, model.outputSize());
    assertEquals(784 * 512 + 512 + 512 * 10 + 10, model.parameterCount());
    assertEquals(128, model.defaultBatchSize());
    assertEquals(5, model.defaultEpochs());
    assertEquals(42, model.defaultSeed());
  }

  @Test
  void aTrainingStepLowersTheLossOnItsBatch() {
    MnistModel model = new MnistModel();
    int n = 8;
    float[] x = new float[n * 784];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = i % 10;
      for (int j = 0; j < 784; j++) x[i * 784 + j] = ((i * 31 + j * 7) % 17) / 17f;
    }

    float first = model.trainStep(x, y, n);
    float later = first;
    for (int step = 0; step < 10; step++) later = model.trainStep(x, y, n);

    assertTrue(later < first, "loss " + first + " -> " + later);
  }
}
