package dev.nnc.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.runtime.Model;
import java.util.Arrays;
import dev.nnc.compiler.Kernels;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Inverted dropout between two all-ones layers of 1000 units: with x = 1 the output is the sum of
 * the mask, and both kernels' gradients are 2·out·mask, so the gradients show the mask the step drew.
 */
class DropoutTest {
  static final String SOURCE = "input 1; dense 1000 (use_bias = false, init = ones); dropout 0.3;"
      + " dense 1 (use_bias = false, init = ones); loss mse; optimizer sgd; train batch 1 seed 5;";

  @ParameterizedTest
  @EnumSource(Kernels.class)
  void trainingDropsAboutTheRateAndScalesTheRestAndBackpropagatesTheSameMask(Kernels kernels) {
    Model model = GeneratedModels.load("drop.nn", SOURCE, kernels);
    float[] x = {1f};
    float[] y = {0f};
    float loss = model.computeGradients(x, y, 1);
    float[] kernel1 = GeneratedModels.gradient(model, "dense_1/kernel", 1000);
    float[] kernel2 = GeneratedModels.gradient(model, "dense_2/kernel", 1000);
    assertArrayEquals(kernel2, kernel1, "the dropout backward applies the forward's mask");

    long dropped = 0;
    float kept = Float.NaN;
    for (float g : kernel2) {
      if (g == 0f) {
        dropped++;
      } else {
        if (Float.isNaN(kept)) kept = g;
        assertEquals(kept, g, "every kept unit carries the same scaled gradient");
      }
    }
    assertTrue(dropped > 240 && dropped < 360, dropped + " of 1000 units dropped at rate 0.3");
    float out = (1000 - dropped) / 0.7f;
    assertEquals(out * out, loss, out * out * 1e-5f, "kept values are scaled by 1/(1 - rate)");
    assertEquals(2 * out / 0.7f, kept, kept * 1e-5f);
  }

  @ParameterizedTest
  @EnumSource(Kernels.class)
  void inferenceIsTheIdentityAndTrainingIsSeeded(Kernels kernels) {
    Model model = GeneratedModels.load("drop.nn", SOURCE, kernels);
    model.predict(new float[] {1f}, 1);
    assertEquals(1000f, model.output()[0], 1e-3f);

    Model again = GeneratedModels.load("drop.nn", SOURCE, kernels);
    model.initialize(9);
    again.initialize(9);
    float[] x = {1f};
    float[] y = {0f};
    assertEquals(model.trainStep(x, y, 1), again.trainStep(x, y, 1), "same seed, same mask");
    float[] a = GeneratedModels.gradient(model, "dense_2/kernel", 1000);
    float[] b = GeneratedModels.gradient(again, "dense_2/kernel", 1000);
    assertTrue(Arrays.equals(a, b));
  }
}
