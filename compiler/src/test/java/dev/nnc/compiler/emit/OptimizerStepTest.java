package dev.nnc.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.runtime.Model;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The optimizers' update rules, step by step, against values worked out by hand from Keras 3's rules. */
class OptimizerStepTest {

  /**
   * One weight w = 0.5, x = 1, y = 0, loss mse: the loss is w², so the gradient is g = 2w.
   * Each row gives w after the first and the second step.
   */
  static Stream<Arguments> handComputed() {
    return Stream.of(
        // w1 = 0.5 - 0.1 * 1 = 0.4; w2 = 0.4 - 0.1 * 0.8 = 0.32
        Arguments.of("sgd(learning_rate = 0.1)", 0.4, 0.32),
        // m1 = -0.1, w1 = 0.4; m2 = 0.9 * -0.1 - 0.1 * 0.8 = -0.17, w2 = 0.23
        Arguments.of("sgd(learning_rate = 0.1, momentum = 0.9)", 0.4, 0.23),
        // m1 = -0.1, w1 = 0.5 + 0.9 * -0.1 - 0.1 = 0.31; g2 = 0.62, m2 = -0.152, w2 = 0.31 + 0.9 * -0.152 - 0.062 = 0.1112
        Arguments.of("sgd(learning_rate = 0.1, momentum = 0.9, nesterov = true)", 0.31, 0.1112),
        // v1 = 0.1, w1 = 0.5 - 0.001 / sqrt(0.1 + 1e-7); v2 = 0.09 + 0.1 * g2², w2 = w1 - 0.001 * g2 / sqrt(v2 + 1e-7)
        Arguments.of("rmsprop", 0.49683772392096925, 0.49455047455289686),
        // as above with m = 0.5 * m + increment, w -= m
        Arguments.of("rmsprop(momentum = 0.5)", 0.49683772392096925, 0.4929693365133815),
        // m1 = 0.1, v1 = 0.001, alpha1 = lr * sqrt(1 - beta_2^1) / (1 - beta_1^1), w1 = 0.5 - m1 * alpha1 / (sqrt(v1) + 1e-7).
        // Keras takes the powers of beta_1 and beta_2 as float32 (1 - 0.999f = 0.00099998713, not 0.001), so the
        // values are worked out with every operation rounded to float32, as Keras computes them.
        Arguments.of("adam", 0.49900001287460327, 0.4980000853538513),
        Arguments.of("adam(learning_rate = 0.1)", 0.40000098943710327, 0.3011896312236786));
  }

  static Stream<Arguments> handComputedWithKernels() {
    return handComputed().flatMap(a -> Stream.of(Kernels.values()).map(k -> Arguments.of(a.get()[0], a.get()[1], a.get()[2], k)));
  }

  @ParameterizedTest(name = "{0} {3}")
  @MethodSource("handComputedWithKernels")
  void stepsFollowKerasRules(String optimizer, double afterOne, double afterTwo, Kernels kernels) {
    Model model = GeneratedModels.load("one.nn",
        "input 1; dense 1 (use_bias = false); loss mse; optimizer " + optimizer + "; train batch 1;", kernels);
    model.writeParameter("dense_1/kernel", new float[] {0.5f});
    float[] x = {1f};
    float[] y = {0f};
    float[] w = new float[1];
    assertEquals(0.25f, model.trainStep(x, y, 1), 1e-7f);
    model.readParameter("dense_1/kernel", w);
    assertEquals(afterOne, w[0], 2e-7 * Math.abs(afterOne) + 1e-8, "after one step");
    model.trainStep(x, y, 1);
    model.readParameter("dense_1/kernel", w);
    assertEquals(afterTwo, w[0], 1e-6 * Math.abs(afterTwo) + 1e-8, "after two steps");
  }

  static Stream<String> optimizers() {
    return Stream.of("sgd(learning_rate = 0.05)", "sgd(learning_rate = 0.05, momentum = 0.8, nesterov = true)",
        "rmsprop", "rmsprop(learning_rate = 0.01, rho = 0.8, momentum = 0.3, epsilon = 1e-6)",
        "adam", "adam(learning_rate = 0.01, beta_1 = 0.8, beta_2 = 0.99, epsilon = 1e-5)");
  }

  static Stream<Arguments> optimizersWithKernels() {
    return optimizers().flatMap(o -> Stream.of(Kernels.values()).map(k -> Arguments.of(o, k)));
  }

  /**
   * Ten steps of a two-layer model on fixed batches: the weights an independent float64
   * implementation gets. The tensors are long enough for the vector updates' whole vectors.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("optimizersWithKernels")
  void severalStepsMatchTheFloat64Reference(String optimizer, Kernels kernels) {
    String source = "input 6; dense 40 relu; dense 3 softmax; loss sparse_ce; optimizer " + optimizer + "; train batch 8;";
    Model model = GeneratedModels.load("steps.nn", source, kernels);
    CheckedModel checked = GeneratedModels.checked("steps.nn", source);
    ReferenceModel reference = new ReferenceModel(checked, model);
    SplittableRandom random = new SplittableRandom(3);
    for (int step = 0; step < 10; step++) {
      float[] x = GradientCheckTest.inputs(random, 6);
      float[] y = GradientCheckTest.targets(random, checked.loss().kind(), 3);
      Map<String, double[]> grads = reference.gradients(x, y, GradientCheckTest.N);
      reference.step(grads);
      model.trainStep(x, y, GradientCheckTest.N);
    }
    for (Model.Tensor t : model.parameters()) {
      float[] actual = new float[t.size()];
      model.readParameter(t.name(), actual);
      GradientCheckTest.assertClose(reference.params.get(t.name()), actual, 2e-5, t.name());
    }
  }
  static Stream<Arguments> optimizersWithSlotsWithKernels() {
    return optimizersWithKernels().filter(a -> !a.get()[0].equals("sgd(learning_rate = 0.05)"));
  }

  /**
   * Slots whose gradient stays zero decay by the same factor every step; once below the smallest
   * normal float they are flushed to zero (as TensorFlow's CPU kernels do), not left subnormal, where
   * x86 takes a slow path for every vector that holds one. All-zero inputs give the input layer's
   * kernel a zero gradient; its slots start just above the smallest normal float, either sign, so
   * that one step of decay takes every one of them below it.
   */
  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("optimizersWithSlotsWithKernels")
  void slotsDecayingBelowTheSmallestNormalFloatBecomeZero(String optimizer, Kernels kernels) {
    String source = "input 64; dense 40 relu; dense 3 softmax; loss sparse_ce; optimizer " + optimizer + "; train batch 8;";
    Model model = GeneratedModels.load("decay.nn", source, kernels);
    List<Model.Tensor> slots = model.optimizerSlots().stream().filter(t -> t.name().startsWith("dense_1/kernel/")).toList();
    assertFalse(slots.isEmpty());
    for (Model.Tensor t : slots) {
      float[] start = new float[t.size()];
      for (int i = 0; i < start.length; i++) start[i] = (i % 2 == 0 ? 1 : -1) * Float.MIN_NORMAL * 1.0001f;
      model.writeOptimizerSlot(t.name(), start);
    }
    float[] x = new float[8 * 64];
    float[] y = {0, 1, 2, 0, 1, 2, 0, 1};
    model.trainStep(x, y, 8);
    for (Model.Tensor t : slots) {
      float[] slot = new float[t.size()];
      model.readOptimizerSlot(t.name(), slot);
      for (int i = 0; i < slot.length; i++) assertEquals(0f, slot[i], 0f, t.name() + "[" + i + "]");
    }
  }
}
