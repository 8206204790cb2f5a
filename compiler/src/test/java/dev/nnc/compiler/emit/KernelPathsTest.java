package dev.nnc.compiler.emit;

import static dev.nnc.compiler.emit.GradientCheckTest.N;
import static dev.nnc.compiler.emit.GradientCheckTest.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nnc.compiler.Kernels;
import dev.nnc.compiler.model.CheckedModel;
import dev.nnc.runtime.Model;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every path the kernels can take, against the float64 reference: both kinds of kernels; the vector
 * kernels at 8 and at 16 lanes whatever this machine prefers (the class reads
 * {@code nnc.vector.bits} when it loads); batches sparse enough for the index of non-zero inputs
 * and batches too dense for it; non-zero biases, so that a kernel that drops the bias fails; and
 * shapes that reach the column panels, the vector and scalar columns past them, the narrow
 * (transposed) layers and the input features left over from blocks of four.
 */
class KernelPathsTest {

  static Stream<Arguments> sources() {
    return Stream.of(
        // dense_1 over the input: 2 panels + 22 columns on 8 lanes, 1 panel + 22 on 16; dense_3 narrow.
        Arguments.of("panels_and_rest", "input 70; dense 150 relu; dense 37 tanh; dense 19 softmax; loss sparse_ce; train batch 8;"),
        // no bias, a non-relu activation after the sparse product, an odd number of input features.
        Arguments.of("no_bias_sigmoid", "input 37; dense 130 sigmoid (use_bias = false); dense 65; loss mse; train batch 8;"),
        // a narrow layer reading the input directly: transposed, never over the index in the vector kernels.
        Arguments.of("narrow_input", "input 40; dense 10 softmax; loss sparse_ce; train batch 8;"),
        // hidden wide layers, kept in panels too: 301 units are 4 panels + 45 columns on 8 lanes, 2 + 45 on 16,
        // and the next layer's input gradient has a feature left over from blocks of four.
        Arguments.of("hidden_panels", "input 30; dense 40 relu; dense 301 relu; dense 130 tanh; dense 10 softmax; loss sparse_ce; train batch 8;"),
        // MNIST's input width, a panel and a half of hidden units, logits.
        Arguments.of("mnist_shaped", "input 784; dense 192 relu; dense 10; loss sparse_ce; train batch 8;"),
        // whole panels on 16 lanes, where the layer over the input reads the pairs' index alone and takes the samples'
        // pairs (Model.takesPackedPairs); an odd number of input features, whose last pair has one.
        Arguments.of("pairs_alone", "input 37; dense 128 relu; dense 10 softmax; loss sparse_ce; train batch 8;"));
  }

  /** Kernels × lanes (0: the machine's preference) × input density. */
  static Stream<Arguments> paths() {
    List<Arguments> all = new ArrayList<>();
    sources().forEach(s -> {
      for (boolean sparse : new boolean[] {true, false}) {
        all.add(Arguments.of(s.get()[0], s.get()[1], Kernels.SCALAR, 0, sparse));
        for (int bits : new int[] {256, 512}) all.add(Arguments.of(s.get()[0], s.get()[1], Kernels.VECTOR, bits, sparse));
      }
    });
    return all.stream();
  }

  @ParameterizedTest(name = "{0} {2} bits={3} sparse={4}")
  @MethodSource("paths")
  void lossOutputsAndGradientsMatchTheReference(String name, String source, Kernels kernels, int bits, boolean sparse) {
    Model model = load(name, source, kernels, bits);
    CheckedModel checked = GeneratedModels.checked(name + ".nn", source);
    model.initialize(3);
    SplittableRandom random = new SplittableRandom(5);
    randomizeBiases(model, random);
    float[] x = inputs(random, model.inputSize(), sparse);
    float[] y = GradientCheckTest.targets(random, checked.loss().kind(), model.outputSize());
    ReferenceModel reference = new ReferenceModel(checked, model);

    double referenceLoss = reference.loss(x, y, N);
    assertEquals(referenceLoss, model.evaluate(x, y, N), 1e-5 * Math.max(1, Math.abs(referenceLoss)), "evaluate's loss");
    assertEquals(referenceLoss, model.computeGradients(x, y, N), 1e-5 * Math.max(1, Math.abs(referenceLoss)), "loss");
    Map<String, double[]> expected = reference.gradients(x, y, N);
    for (Model.Tensor t : model.parameters()) {
      float[] actual = new float[t.size()];
      model.readGradient(t.name(), actual);
      assertClose(expected.get(t.name()), actual, 1e-4, name + " " + t.name());
    }
  }

  /** {@code computeGradients} then {@code applyGradients} is {@code trainStep}, to the bit, step after step. */
  @ParameterizedTest(name = "{0} {2} bits={3} sparse={4}")
  @MethodSource("paths")
  void splitStepsEqualTheFusedStep(String name, String source, Kernels kernels, int bits, boolean sparse) {
    Model fused = load(name, source, kernels, bits);
    Model split = load(name, source, kernels, bits);
    CheckedModel checked = GeneratedModels.checked(name + ".nn", source);
    SplittableRandom random = new SplittableRandom(9);
    fused.initialize(4);
    randomizeBiases(fused, random);
    copyParameters(fused, split);
    for (int step = 0; step < 3; step++) {
      float[] x = inputs(random, fused.inputSize(), sparse);
      float[] y = GradientCheckTest.targets(random, checked.loss().kind(), fused.outputSize());
      float loss = fused.trainStep(x, y, N);
      assertEquals(loss, split.computeGradients(x, y, N), "loss of step " + step);
      split.applyGradients();
    }
    for (Model.Tensor t : fused.parameters()) {
      assertArrayEquals(parameter(fused, t), parameter(split, t), name + " " + t.name());
    }
  }

  static Stream<Arguments> optimizersAndLanes() {
    return OptimizerStepTest.optimizers().flatMap(o -> Stream.of(256, 512).map(bits -> Arguments.of(o, bits)));
  }

  /**
   * The vector training step takes the optimizer step of the input layer's kernel inside its sparse
   * weight-gradient kernel: for every optimizer, on 1 and 2 threads, it equals computing the
   * gradients and then applying them, to the bit, panels and the columns past them alike.
   */
  @ParameterizedTest(name = "{0} bits={1}")
  @MethodSource("optimizersAndLanes")
  void theStepFusedIntoTheWeightGradientIsTheOptimizersStep(String optimizer, int bits) {
    String source = "input 70; dense 150 relu; dense 19 softmax; loss sparse_ce; optimizer " + optimizer + "; train batch 8;";
    for (int threads : new int[] {1, 2}) {
      Model fused = load("fused_step", source, Kernels.VECTOR, bits);
      Model split = load("fused_step", source, Kernels.VECTOR, bits);
      SplittableRandom random = new SplittableRandom(21);
      fused.initialize(6);
      randomizeBiases(fused, random);
      copyParameters(fused, split);
      fused.useThreads(threads);
      try {
        for (int step = 0; step < 3; step++) {
          float[] x = inputs(random, fused.inputSize(), true);
          float[] y = GradientCheckTest.targets(random, dev.nnc.compiler.model.LossSpec.Kind.SPARSE_CATEGORICAL_CROSSENTROPY, 19);
          assertEquals(split.computeGradients(x, y, N), fused.trainStep(x, y, N), "loss of step " + step);
          split.applyGradients();
        }
      } finally {
        fused.useThreads(1);
      }
      for (Model.Tensor t : fused.parameters()) {
        assertArrayEquals(parameter(split, t), parameter(fused, t), optimizer + " " + threads + " threads " + t.name());
      }
    }
  }

  /** Two threads split the work by whole columns and rows, so they take the steps one thread takes, to the bit. */
  @ParameterizedTest(name = "{0} {2} bits={3} sparse={4}")
  @MethodSource("paths")
  void twoThreadsTakeTheStepsOfOne(String name, String source, Kernels kernels, int bits, boolean sparse) {
    Model one = load(name, source, kernels, bits);
    Model two = load(name, source, kernels, bits);
    CheckedModel checked = GeneratedModels.checked(name + ".nn", source);
    SplittableRandom random = new SplittableRandom(17);
    one.initialize(2);
    randomizeBiases(one, random);
    copyParameters(one, two);
    two.useThreads(2);
    try {
      for (int step = 0; step < 3; step++) {
        float[] x = inputs(random, one.inputSize(), sparse);
        float[] y = GradientCheckTest.targets(random, checked.loss().kind(), one.outputSize());
        assertEquals(one.trainStep(x, y, N), two.trainStep(x, y, N), "loss of step " + step);
        assertArrayEquals(java.util.Arrays.copyOf(one.output(), N * one.outputSize()),
            java.util.Arrays.copyOf(two.output(), N * two.outputSize()), "outputs of step " + step);
      }
    } finally {
      two.useThreads(1);
    }
    for (Model.Tensor t : one.parameters()) {
      assertArrayEquals(parameter(one, t), parameter(two, t), name + " " + t.name());
    }
  }

  /**
   * A batch of byte samples, which the model indexes itself, takes the step their floats take, to the
   * bit, and so does the batch of the same samples held as their non-zero bytes ({@code PackedBytes}),
   * which the model copies into its index, and as their pairs of features ({@code PackedPairs}), which a
   * model that takes them scatters into its index: in any order of samples, with blank runs and scattered
   * non-zeros, sparse or too dense for the index, on one and on two threads, and with a byte table
   * whose zero byte is not zero.
   */
  @ParameterizedTest(name = "{0} {2} bits={3} sparse={4}")
  @MethodSource("paths")
  void byteSamplesTakeTheStepsOfTheirFloats(String name, String source, Kernels kernels, int bits, boolean sparse) {
    CheckedModel checked = GeneratedModels.checked(name + ".nn", source);
    SplittableRandom random = new SplittableRandom(23);
    int size = checked.inputSize();
    int held = 3 * N;
    byte[] features = new byte[held * size];
    for (int i = 0; i < features.length; i++) {
      // a blank run at each sample's start, as an image's border; beyond it, the density of the path (dense: more
      // than half of the padded batch's rows, so that the dense kernels take it)
      boolean blank = i % size < size / (sparse ? 4 : 8) || sparse && random.nextDouble() < 0.8;
      features[i] = blank ? 0 : (byte) (1 + random.nextInt(255));
    }
    // the samples as their non-zero bytes, as PackedBytes holds them, here however dense they are
    int[] starts = new int[held + 1];
    java.io.ByteArrayOutputStream entries = new java.io.ByteArrayOutputStream();
    for (int s = 0; s < held; s++) {
      for (int k = 0; k < size; k++) {
        byte b = features[s * size + k];
        if (b != 0) {
          entries.write(k);
          entries.write(k >>> 8);
          entries.write(b);
        }
      }
      starts[s + 1] = entries.size();
    }
    byte[] packed = entries.toByteArray();
    int[][] pairs = pairs(features, size, held);
    float[] scaled = new float[256];
    float[] shifted = new float[256];
    for (int b = 0; b < 256; b++) {
      scaled[b] = b / 255f;
      shifted[b] = b / 255f - 0.5f;
    }
    for (float[] byteValues : new float[][] {scaled, shifted}) {
      for (int threads : new int[] {1, 2}) {
        Model fromBytes = load(name, source, kernels, bits);
        Model fromFloats = load(name, source, kernels, bits);
        Model fromPacked = load(name, source, kernels, bits);
        Model fromPairs = load(name, source, kernels, bits);
        if (name.equals("pairs_alone") && bits == 512) assertTrue(fromPairs.takesPackedPairs(), "pairs_alone takes pairs");
        fromBytes.initialize(5);
        randomizeBiases(fromBytes, random);
        copyParameters(fromBytes, fromFloats);
        copyParameters(fromBytes, fromPacked);
        copyParameters(fromBytes, fromPairs);
        fromBytes.useThreads(threads);
        fromPacked.useThreads(threads);
        fromPairs.useThreads(threads);
        try {
          for (int step = 0; step < 3; step++) {
            int[] samples = new int[2 + N];
            for (int i = 0; i < samples.length; i++) samples[i] = random.nextInt(held);
            float[] x = new float[N * size];
            for (int i = 0; i < N; i++) {
              for (int k = 0; k < size; k++) x[i * size + k] = byteValues[features[samples[2 + i] * size + k] & 0xFF];
            }
            float[] y = GradientCheckTest.targets(random, checked.loss().kind(), fromBytes.outputSize());
            String what = (byteValues == scaled ? "" : "shifted table, ") + threads + " threads, step " + step;
            float[] unused = new float[N * size];
            // evaluation takes the same paths, and leaves the models as they were
            float evaluated = fromFloats.evaluate(x, y, N);
            float[] evaluatedOutputs = java.util.Arrays.copyOf(fromFloats.output(), N * fromFloats.outputSize());
            assertEquals(evaluated, fromBytes.evaluateOnBytes(features, byteValues, samples, 2, N, unused, y), "evaluated, " + what);
            assertArrayEquals(evaluatedOutputs, java.util.Arrays.copyOf(fromBytes.output(), N * fromBytes.outputSize()),
                "evaluated outputs, " + what);
            assertEquals(evaluated, fromPacked.evaluateOnPackedBytes(packed, starts, byteValues, samples, 2, N, new float[N * size], y),
                "evaluated from packed bytes, " + what);
            assertArrayEquals(evaluatedOutputs, java.util.Arrays.copyOf(fromPacked.output(), N * fromPacked.outputSize()),
                "evaluated outputs from packed bytes, " + what);
            assertEquals(evaluated, fromPairs.evaluateOnPackedPairs(pairs[0], pairs[1], byteValues, samples, 2, N, new float[N * size], y),
                "evaluated from pairs, " + what);
            assertArrayEquals(evaluatedOutputs, java.util.Arrays.copyOf(fromPairs.output(), N * fromPairs.outputSize()),
                "evaluated outputs from pairs, " + what);
            float loss = fromFloats.trainStep(x, y, N);
            assertEquals(loss, fromBytes.trainStepOnBytes(features, byteValues, samples, 2, N, unused, y), "loss, " + what);
            assertArrayEquals(java.util.Arrays.copyOf(fromFloats.output(), N * fromFloats.outputSize()),
                java.util.Arrays.copyOf(fromBytes.output(), N * fromBytes.outputSize()), "outputs, " + what);
            assertEquals(loss, fromPacked.trainStepOnPackedBytes(packed, starts, byteValues, samples, 2, N, new float[N * size], y),
                "loss from packed bytes, " + what);
            assertArrayEquals(java.util.Arrays.copyOf(fromFloats.output(), N * fromFloats.outputSize()),
                java.util.Arrays.copyOf(fromPacked.output(), N * fromPacked.outputSize()), "outputs from packed bytes, " + what);
            assertEquals(loss, fromPairs.trainStepOnPackedPairs(pairs[0], pairs[1], byteValues, samples, 2, N, new float[N * size], y),
                "loss from pairs, " + what);
            assertArrayEquals(java.util.Arrays.copyOf(fromFloats.output(), N * fromFloats.outputSize()),
                java.util.Arrays.copyOf(fromPairs.output(), N * fromPairs.outputSize()), "outputs from pairs, " + what);
          }
        } finally {
          fromBytes.useThreads(1);
          fromPacked.useThreads(1);
          fromPairs.useThreads(1);
        }
        for (Model.Tensor t : fromBytes.parameters()) {
          assertArrayEquals(parameter(fromFloats, t), parameter(fromBytes, t), name + " " + t.name());
          assertArrayEquals(parameter(fromFloats, t), parameter(fromPacked, t), name + " " + t.name() + " from packed bytes");
          assertArrayEquals(parameter(fromFloats, t), parameter(fromPairs, t), name + " " + t.name() + " from pairs");
        }
      }
    }
  }

  /**
   * A packed batch naming a sample the lists do not hold, lists that are not whole entries or do not
   * fit the array, or an entry naming a feature past the input, is refused before the model changes.
   */
  @Test
  void packedSamplesThatAreNotListsOfTheInputAreRefused() {
    String source = "input 784; dense 192 relu; dense 10; loss sparse_ce; train batch 8;";
    for (Kernels kernels : new Kernels[] {Kernels.SCALAR, Kernels.VECTOR}) {
      Model model = load("mnist_shaped", source, kernels, 0);
      float[] before = parameter(model, model.parameters().get(0));
      float[] table = new float[256];
      for (int b = 0; b < 256; b++) table[b] = b / 255f;
      float[] x = new float[4 * 784];
      float[] y = new float[4];
      // three samples: feature 5 = 1; feature 783 = 2; feature 784 (past the input) = 3
      byte[] packed = {5, 0, 1, 15, 3, 2, 16, 3, 3};
      java.util.function.BiFunction<int[], int[], String> refusal = (starts, samples) -> org.junit.jupiter.api.Assertions
          .assertThrows(IllegalArgumentException.class,
              () -> model.trainStepOnPackedBytes(packed, starts, table, samples, 0, samples.length, x, y), kernels.toString())
          .getMessage();
      assertEquals("sample 3 is not among the 3 that starts hold", refusal.apply(new int[] {0, 3, 6, 9}, new int[] {0, 3}));
      assertEquals("sample 2 lists feature 784 of 784", refusal.apply(new int[] {0, 3, 6, 9}, new int[] {1, 2}));
      assertEquals("sample 0: starts name bytes 0 to 4, not whole entries, at most one for each of 784 features, of the 9 packed bytes",
          refusal.apply(new int[] {0, 4, 6, 9}, new int[] {0}));
      assertEquals("sample 1: starts name bytes 6 to 12, not whole entries, at most one for each of 784 features, of the 9 packed bytes",
          refusal.apply(new int[] {0, 6, 12, 9}, new int[] {1}));
      assertArrayEquals(before, parameter(model, model.parameters().get(0)), kernels + ": no step was taken");
    }
  }

  /**
   * Samples held as their pairs of features, as the runtime's {@code PackedPairs} holds them (written
   * out here, whatever the density): {@code {entries, starts}}.
   */
  static int[][] pairs(byte[] features, int size, int held) {
    int[] starts = new int[held + 1];
    List<Integer> entries = new ArrayList<>();
    for (int s = 0; s < held; s++) {
      for (int j = 0; 2 * j < size; j++) {
        int even = features[s * size + 2 * j] & 0xFF, odd = 2 * j + 1 < size ? features[s * size + 2 * j + 1] & 0xFF : 0;
        if (even != 0 || odd != 0) entries.add(j | even << 16 | odd << 24);
      }
      starts[s + 1] = entries.size();
    }
    return new int[][] {entries.stream().mapToInt(Integer::intValue).toArray(), starts};
  }

  /**
   * A batch of pairs naming a sample the lists do not hold, lists longer than the input's pairs or past
   * the array, an entry naming a pair past the input, or a second feature the last pair of an odd
   * number does not have, is refused before the model changes: by a model that takes pairs, and by
   * the default, which decodes them.
   */
  @Test
  void pairsThatAreNotPairsOfTheInputAreRefused() {
    String source = "input 37; dense 128 relu; dense 10 softmax; loss sparse_ce; train batch 8;";
    for (int bits : new int[] {256, 512}) {
      Model model = load("pairs_alone", source, Kernels.VECTOR, bits);
      assertEquals(bits == 512, model.takesPackedPairs(), bits + " bits");
      float[] before = parameter(model, model.parameters().get(0));
      float[] table = new float[256];
      for (int b = 0; b < 256; b++) table[b] = b / 255f;
      float[] x = new float[4 * 37];
      float[] y = new float[4];
      // four samples: pair 2 = (1, 0); pair 18 (feature 36 alone) = (2, 0); pair 19 (past the input); pair 18 with a
      // second feature, 37
      int[] entries = {2 | 1 << 16, 18 | 2 << 16, 19 | 3 << 16, 18 | 4 << 16 | 5 << 24};
      java.util.function.BiFunction<int[], int[], String> refusal = (starts, samples) -> org.junit.jupiter.api.Assertions
          .assertThrows(IllegalArgumentException.class,
              () -> model.trainStepOnPackedPairs(entries, starts, table, samples, 0, samples.length, x, y), bits + " bits")
          .getMessage();
      int[] whole = {0, 1, 2, 3, 4};
      assertEquals("sample 4 is not among the 4 that starts hold", refusal.apply(whole, new int[] {0, 4}));
      assertEquals("sample 2 lists pair 19 of 37 features", refusal.apply(whole, new int[] {1, 2}));
      assertEquals("sample 3 lists pair 18 of 37 features", refusal.apply(whole, new int[] {0, 3}));
      assertEquals("sample 0: starts name entries 0 to 20, at most one for each of 19 pairs of features, of the 4 entries",
          refusal.apply(new int[] {0, 20, 20, 20, 20}, new int[] {0}), bits + " bits");
      assertEquals("sample 1: starts name entries 1 to 5, at most one for each of 19 pairs of features, of the 4 entries",
          refusal.apply(new int[] {0, 1, 5, 5, 5}, new int[] {1}), bits + " bits");
      assertArrayEquals(before, parameter(model, model.parameters().get(0)), bits + " bits: no step was taken");
    }
  }

  /**
   * A sparse batch takes the sparse kernels after the model went back to one thread, whatever the
   * last two-thread batch was: the decision counts the worker's part only when a worker took it.
   */
  @Test
  void aSparseBatchIsSparseAfterGoingBackToOneThread() throws ReflectiveOperationException {
    String source = "input 784; dense 192 relu; dense 10; loss sparse_ce; train batch 8;";
    Model model = load("mnist_shaped", source, Kernels.VECTOR, 0);
    java.lang.reflect.Field sparse = model.getClass().getDeclaredField("inputSparse");
    sparse.setAccessible(true);
    // whole batches of 8, so that the worker's part of the dense one is 4 dense rows
    float[] dense = new float[8 * 784];
    float[] scattered = new float[8 * 784];
    for (int i = 0; i < dense.length; i++) {
      dense[i] = 0.5f;
      scattered[i] = i % 5 == 0 ? 0.5f : 0f;
    }
    float[] y = new float[8];
    model.useThreads(2);
    model.trainStep(dense, y, 8);
    assertEquals(false, sparse.getBoolean(model), "a dense batch on two threads");
    model.useThreads(1);
    model.trainStep(scattered, y, 8);
    assertEquals(true, sparse.getBoolean(model), "then a sparse batch on one");
  }

  /** A byte batch naming a sample the features do not hold, or a table that is not one value per byte, is refused. */
  @Test
  void byteSamplesOutsideTheFeaturesAreRefused() {
    String source = "input 784; dense 192 relu; dense 10; loss sparse_ce; train batch 8;";
    for (Kernels kernels : new Kernels[] {Kernels.SCALAR, Kernels.VECTOR}) {
      Model model = load("mnist_shaped", source, kernels, 0);
      byte[] features = new byte[4 * 784];
      float[] table = new float[256];
      float[] x = new float[4 * 784];
      float[] y = new float[4];
      for (int[] samples : new int[][] {{0, 1, 4, 2}, {0, -1, 2, 3}}) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> model.trainStepOnBytes(features, table, samples, 0, 4, x, y));
        assertEquals("sample " + samples[1 + (samples[1] < 0 ? 0 : 1)] + " is not among the 4 that features hold",
            e.getMessage(), kernels.toString());
      }
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> model.trainStepOnBytes(features, new float[255], new int[] {0}, 0, 1, x, y));
    }
  }

  /**
   * Gradients written in Keras' layout and applied give the step the model's own gradients give: the
   * way a data-parallel trainer applies gradients summed over workers.
   */
  @ParameterizedTest(name = "{0} {2} bits={3} sparse={4}")
  @MethodSource("paths")
  void writtenGradientsTakeTheSameStep(String name, String source, Kernels kernels, int bits, boolean sparse) {
    Model computed = load(name, source, kernels, bits);
    Model written = load(name, source, kernels, bits);
    CheckedModel checked = GeneratedModels.checked(name + ".nn", source);
    SplittableRandom random = new SplittableRandom(13);
    computed.initialize(6);
    copyParameters(computed, written);
    float[] x = inputs(random, computed.inputSize(), sparse);
    float[] y = GradientCheckTest.targets(random, checked.loss().kind(), computed.outputSize());
    computed.computeGradients(x, y, N);
    for (Model.Tensor t : computed.parameters()) {
      float[] g = new float[t.size()];
      computed.readGradient(t.name(), g);
      written.writeGradient(t.name(), g);
    }
    computed.applyGradients();
    written.applyGradients();
    for (Model.Tensor t : computed.parameters()) {
      assertArrayEquals(parameter(computed, t), parameter(written, t), name + " " + t.name());
    }
  }

  /** The same seed gives the same weights with every kind of kernels and every layout, and they read back as written. */
  @Test
  void parametersReadBackInKerasLayoutWhateverTheClassKeeps() {
    for (Arguments s : sources().toList()) {
      String name = (String) s.get()[0];
      String source = (String) s.get()[1];
      Model scalar = load(name, source, Kernels.SCALAR, 0);
      scalar.initialize(8);
      for (int bits : new int[] {256, 512}) {
        Model vector = load(name, source, Kernels.VECTOR, bits);
        vector.initialize(8);
        SplittableRandom random = new SplittableRandom(1);
        for (Model.Tensor t : vector.parameters()) {
          assertArrayEquals(parameter(scalar, t), parameter(vector, t), name + " " + t.name() + " from the seed");
          float[] values = new float[t.size()];
          for (int i = 0; i < values.length; i++) values[i] = (float) random.nextDouble();
          vector.writeParameter(t.name(), values);
          assertArrayEquals(values, parameter(vector, t), name + " " + t.name() + " written and read");
        }
      }
    }
  }

  /**
   * A narrow layer's dot products end in a sum across lanes. It must take one fixed order, lane 0
   * first, to the bit: an order the JIT may choose ({@code reduceLanes}) makes the first,
   * interpreted calls differ from the compiled ones, and training from run to run. The first call
   * on a fresh class runs interpreted, so this checks the interpreted order against the definition.
   */
  @ParameterizedTest(name = "bits={0}")
  @org.junit.jupiter.params.provider.ValueSource(ints = {256, 512})
  void narrowDotProductsSumTheirLanesInAFixedOrder(int bits) {
    int inputs = 37;
    int units = 10;
    Model model = load("lane_sums", "input " + inputs + "; dense " + units + "; loss mse; train batch 8;", Kernels.VECTOR, bits);
    SplittableRandom random = new SplittableRandom(9);
    float[] kernel = new float[inputs * units];
    float[] bias = new float[units];
    for (int i = 0; i < kernel.length; i++) kernel[i] = (float) (random.nextDouble() * 2 - 1);
    for (int i = 0; i < bias.length; i++) bias[i] = (float) (random.nextDouble() - 0.5);
    for (Model.Tensor t : model.parameters()) model.writeParameter(t.name(), t.name().endsWith("/kernel") ? kernel : bias);
    float[] x = inputs(random, inputs, false);
    model.predict(x, N);
    int lanes = bits / 32;
    int vectors = inputs - inputs % lanes;
    for (int i = 0; i < N; i++) {
      for (int c = 0; c < units; c++) {
        float[] acc = new float[lanes];
        for (int k = 0; k < vectors; k++) acc[k % lanes] = Math.fma(x[i * inputs + k], kernel[k * units + c], acc[k % lanes]);
        float expected = 0f;
        for (int l = 0; l < lanes; l++) expected += acc[l];
        for (int k = vectors; k < inputs; k++) expected += x[i * inputs + k] * kernel[k * units + c];
        expected += bias[c];
        assertEquals(expected, model.output()[i * units + c], 0f, "row " + i + " output " + c);
      }
    }
  }

  static Model load(String name, String source, Kernels kernels, int bits) {
    // The generated class reads the property once, when it loads: each load is a fresh class.
    if (bits != 0) System.setProperty("nnc.vector.bits", Integer.toString(bits));
    try {
      return GeneratedModels.load(name + ".nn", source, kernels);
    } finally {
      System.clearProperty("nnc.vector.bits");
    }
  }

  /** Inputs in [-1, 1]; sparse ones have 80% exact zeros, dense ones none. */
  static float[] inputs(SplittableRandom random, int size, boolean sparse) {
    float[] x = new float[N * size];
    for (int i = 0; i < x.length; i++) {
      float v = (float) (random.nextDouble() * 2 - 1);
      x[i] = sparse && random.nextDouble() < 0.8 ? 0f : v == 0f ? 0.5f : v;
    }
    return x;
  }

  static void randomizeBiases(Model model, SplittableRandom random) {
    for (Model.Tensor t : model.parameters()) {
      if (!t.name().endsWith("/bias")) continue;
      float[] b = new float[t.size()];
      for (int i = 0; i < b.length; i++) b[i] = (float) (random.nextDouble() - 0.5);
      model.writeParameter(t.name(), b);
    }
  }

  static void copyParameters(Model from, Model to) {
    for (Model.Tensor t : from.parameters()) to.writeParameter(t.name(), parameter(from, t));
  }

  static float[] parameter(Model model, Model.Tensor t) {
    float[] values = new float[t.size()];
    model.readParameter(t.name(), values);
    return values;
  }
}
