package dev.nnc.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.compiler.model.LossSpec;
import dev.nnc.runtime.Model;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every layer, activation and loss: the generated class's loss, outputs and gradients against an
 * independent float64 reference, whose own gradients are checked against central finite differences.
 * Batches of 5 in workspaces of 8 also exercise the padding rows of a partial batch.
 */
class GradientCheckTest {
  static final int N = 5;

  static Stream<Arguments> models() {
    return Stream.of(Kernels.values()).flatMap(kernels -> sources().map(a -> Arguments.of(a.get()[0], a.get()[1], kernels)));
  }

  static Stream<Arguments> sources() {
    return Stream.of(
        Arguments.of("relu_softmax_sparse", "input 5; dense 7 relu; dense 3 softmax; loss sparse_ce; train batch 8;"),
        Arguments.of("tanh_sigmoid_softmax_ce", "input 6; dense 8 tanh; dense 5 sigmoid; dense 4 softmax; loss ce; train batch 8;"),
        Arguments.of("flatten_nobias_binary", "input 2x3; flatten; dense 5 sigmoid (use_bias = false); dense 1 sigmoid; loss binary_ce; train batch 8;"),
        Arguments.of("logits_sparse", "input 4; dense 6 relu; dense 3 linear; loss sparse_ce; train batch 8;"),
        Arguments.of("logits_ce", "input 4; dense 6 tanh; dense 3; loss categorical_crossentropy; train batch 8;"),
        Arguments.of("logits_binary", "input 4; dense 3; loss binary_crossentropy; train batch 8;"),
        Arguments.of("activation_layers", "input 4; dense 5; activation tanh; dense 3; activation softmax; loss ce; train batch 8;"),
        Arguments.of("hidden_softmax_mse", "input 3; dense 4 softmax; dense 2 linear; loss mse; train batch 8;"),
        Arguments.of("sigmoid_mse", "input 3; dense 5 relu; dense 2 sigmoid; loss mse; train batch 8;"),
        Arguments.of("tanh_mse_activation", "input 5; dense 6 relu; dense 3; activation tanh; loss mean_squared_error; train batch 8;"),
        Arguments.of("odd_widths", "input 7; dense 9 relu; dense 6 sigmoid; dense 3 softmax; loss sparse_ce; train batch 8;"),
        // Wide enough for the vector kernels' 4-vector blocks, 1-vector steps and scalar columns.
        Arguments.of("wide", "input 70; dense 150 relu; dense 37 tanh; dense 19 softmax; loss sparse_ce; train batch 8;"),
        Arguments.of("wide_nobias", "input 33; dense 130 sigmoid (use_bias = false); dense 65; loss mse; train batch 8;"));
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("models")
  void generatedLossOutputsAndGradientsMatchTheReference(String name, String source, Kernels kernels) {
    Model model = GeneratedModels.load(name + ".nn", source, kernels);
    CheckedModel checked = GeneratedModels.checked(name + ".nn", source);
    model.initialize(7);
    SplittableRandom random = new SplittableRandom(11);
    float[] x = inputs(random, model.inputSize());
    float[] y = targets(random, checked.loss().kind(), model.outputSize());
    ReferenceModel reference = new ReferenceModel(checked, model);

    assertReferenceMatchesFiniteDifferences(reference, x, y);

    double referenceLoss = reference.loss(x, y, N);
    assertEquals(referenceLoss, model.evaluate(x, y, N), 1e-5 * Math.max(1, Math.abs(referenceLoss)), "evaluate's loss");
    for (int i = 0; i < N; i++) {
      double[][] acts = reference.forward(x, i);
      double[] out = acts[acts.length - 1];
      if (model.output() != null && isLogits(checked)) {
        out = ReferenceModel.activate(checked.loss().kind() == LossSpec.Kind.BINARY_CROSSENTROPY
            ? dev.nnc.compiler.model.Activation.SIGMOID : dev.nnc.compiler.model.Activation.SOFTMAX, out);
      }
      for (int j = 0; j < out.length; j++) {
        assertEquals(out[j], model.output()[i * out.length + j], 1e-5, "output of sample " + i + ", unit " + j);
      }
    }

    float trainLoss = model.trainStep(x, y, N);
    assertEquals(referenceLoss, trainLoss, 1e-5 * Math.max(1, Math.abs(referenceLoss)), "trainStep's loss");
    Map<String, double[]> expected = reference.gradients(x, y, N);
    for (Model.Tensor t : model.parameters()) {
      float[] actual = GeneratedModels.gradient(model, t.name(), t.size());
      assertClose(expected.get(t.name()), actual, 1e-4, name + " " + t.name());
    }
  }

  private static boolean isLogits(CheckedModel checked) {
    var last = checked.layers().get(checked.layers().size() - 1);
    var act = last instanceof dev.nnc.compiler.model.DenseSpec d ? d.activation()
        : ((dev.nnc.compiler.model.ActivationSpec) last).activation();
    return act == dev.nnc.compiler.model.Activation.LINEAR && checked.loss().kind() != LossSpec.Kind.MEAN_SQUARED_ERROR;
  }

  /** Central differences in float64 on every parameter of the reference. */
  static void assertReferenceMatchesFiniteDifferences(ReferenceModel reference, float[] x, float[] y) {
    Map<String, double[]> analytic = reference.gradients(x, y, N);
    double h = 1e-6;
    for (Map.Entry<String, double[]> e : reference.params.entrySet()) {
      double[] w = e.getValue();
      for (int i = 0; i < w.length; i++) {
        double saved = w[i];
        w[i] = saved + h;
        double up = reference.loss(x, y, N);
        w[i] = saved - h;
        double down = reference.loss(x, y, N);
        w[i] = saved;
        double numeric = (up - down) / (2 * h);
        double a = analytic.get(e.getKey())[i];
        assertEquals(numeric, a, 1e-7 + 1e-5 * Math.abs(numeric),
            "reference gradient of " + e.getKey() + "[" + i + "] against finite differences");
      }
    }
  }

  static void assertClose(double[] expected, float[] actual, double relative, String what) {
    double scale = 1e-6;
    for (double v : expected) scale = Math.max(scale, Math.abs(v));
    double maxDiff = 0;
    for (int i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs(expected[i] - actual[i]));
    assertTrue(maxDiff <= relative * scale, what + ": max difference " + maxDiff + " over a scale of " + scale);
  }

  static float[] inputs(SplittableRandom random, int size) {
    float[] x = new float[N * size];
    for (int i = 0; i < x.length; i++) x[i] = (float) (random.nextDouble() * 2 - 1);
    return x;
  }

  /** Class indices, soft one-hot-like distributions, binary labels or regression targets, as the loss takes. */
  static float[] targets(SplittableRandom random, LossSpec.Kind kind, int outputs) {
    switch (kind) {
      case SPARSE_CATEGORICAL_CROSSENTROPY: {
        float[] y = new float[N];
        for (int i = 0; i < N; i++) y[i] = random.nextInt(outputs);
        return y;
      }
      case CATEGORICAL_CROSSENTROPY: {
        float[] y = new float[N * outputs];
        for (int i = 0; i < N; i++) {
          float sum = 0;
          for (int j = 0; j < outputs; j++) sum += y[i * outputs + j] = (float) random.nextDouble();
          for (int j = 0; j < outputs; j++) y[i * outputs + j] /= sum;
        }
        return y;
      }
      case BINARY_CROSSENTROPY: {
        float[] y = new float[N * outputs];
        for (int i = 0; i < y.length; i++) y[i] = random.nextBoolean() ? 1 : 0;
        return y;
      }
      default: {
        float[] y = new float[N * outputs];
        for (int i = 0; i < y.length; i++) y[i] = (float) (random.nextDouble() * 2 - 1);
        return y;
      }
    }
  }
}
