package dev.nnc.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.compiler.Kernels;
import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.FitOptions;
import dev.nnc.runtime.History;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.Trainer;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** The generated class's training state: slots, step count, learning rate, dropout generator; and big batches. */
class TrainingStateTest {
  private static final String BODY = "input 12; dense 40 relu; dropout 0.3; dense 3 softmax; loss sparse_ce; ";
  private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

  private static float[] batchX(long seed, int n) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * 12];
    for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble(-1, 1);
    return x;
  }

  private static float[] batchY(int n) {
    float[] y = new float[n];
    for (int i = 0; i < n; i++) y[i] = i % 3;
    return y;
  }

  private static float[] parameter(Model m, String name) {
    float[] v = new float[m.parameters().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().size()];
    m.readParameter(name, v);
    return v;
  }

  @Test
  void slotsAreNamedAsKerasNamesItsOptimizerVariables() {
    assertEquals(List.of(), slotNames("optimizer sgd;"));
    assertEquals(List.of("dense_1/kernel/momentum", "dense_1/bias/momentum", "dense_2/kernel/momentum", "dense_2/bias/momentum"),
        slotNames("optimizer sgd(momentum = 0.9);"));
    assertEquals(List.of("dense_1/kernel/velocity", "dense_1/bias/velocity", "dense_2/kernel/velocity", "dense_2/bias/velocity"),
        slotNames("optimizer rmsprop;"));
    assertEquals(List.of("dense_1/kernel/momentum", "dense_1/kernel/velocity", "dense_1/bias/momentum",
        "dense_1/bias/velocity", "dense_2/kernel/momentum", "dense_2/kernel/velocity", "dense_2/bias/momentum",
        "dense_2/bias/velocity"), slotNames("optimizer adam;"));
  }

  private static List<String> slotNames(String optimizer) {
    return GeneratedModels.load("s.nn", BODY + optimizer).optimizerSlots().stream().map(Model.Tensor::name).toList();
  }

  /**
   * A model that takes over another's whole training state mid-run takes the very steps the other
   * takes: the masks, Adam's bias corrections and the slots all carry over.
   */
  @ParameterizedTest
  @EnumSource(Kernels.class)
  void aCopyOfTheTrainingStateContinuesBitForBit(Kernels kernels) {
    String source = BODY + "optimizer adam(learning_rate = 0.01); train batch 16;";
    Model original = GeneratedModels.load("s.nn", source, kernels);
    Model copy = GeneratedModels.load("s.nn", source, kernels);
    original.initialize(1);
    copy.initialize(2);
    for (int step = 0; step < 3; step++) original.trainStep(batchX(step, 16), batchY(16), 16);
    original.setLearningRate(0.004f);

    for (Model.Tensor t : original.parameters()) copy.writeParameter(t.name(), parameter(original, t.name()));
    for (Model.Tensor t : original.optimizerSlots()) {
      float[] slot = new float[t.size()];
      original.readOptimizerSlot(t.name(), slot);
      copy.writeOptimizerSlot(t.name(), slot);
    }
    copy.setIterations(original.iterations());
    copy.setLearningRate(original.learningRate());
    copy.setDropoutState(original.dropoutState());
    assertEquals(3, copy.iterations());

    for (int step = 3; step < 6; step++) {
      assertEquals(original.trainStep(batchX(step, 16), batchY(16), 16), copy.trainStep(batchX(step, 16), batchY(16), 16));
    }
    for (Model.Tensor t : original.parameters()) assertArrayEquals(parameter(original, t.name()), parameter(copy, t.name()), t.name());
  }

  @Test
  void withoutTheDropoutStateTheCopyDrawsOtherMasks() {
    // Guards the test above: the dropout state is what it claims to carry.
    String source = BODY + "optimizer sgd; train batch 16;";
    Model original = GeneratedModels.load("s.nn", source);
    Model copy = GeneratedModels.load("s.nn", source);
    original.initialize(1);
    copy.initialize(2);
    original.trainStep(batchX(0, 16), batchY(16), 16);
    for (Model.Tensor t : original.parameters()) copy.writeParameter(t.name(), parameter(original, t.name()));
    original.trainStep(batchX(1, 16), batchY(16), 16);
    copy.trainStep(batchX(1, 16), batchY(16), 16);
    assertFalse(java.util.Arrays.equals(parameter(original, "dense_1/kernel"), parameter(copy, "dense_1/kernel")));
  }

  /** The learning rate set at run time steps exactly as the same rate written in the source. */
  @ParameterizedTest
  @EnumSource(Kernels.class)
  void aLearningRateSetAtRunTimeStepsAsTheSourcesRate(Kernels kernels) {
    for (String optimizer : List.of("sgd(learning_rate = %s, momentum = 0.9)", "rmsprop(learning_rate = %s)",
        "adam(learning_rate = %s)")) {
      String noDropout = "input 12; dense 40 relu; dense 3 softmax; loss sparse_ce; train batch 16; optimizer ";
      Model written = GeneratedModels.load("s.nn", noDropout + String.format(optimizer, "0.003") + ";", kernels);
      Model set = GeneratedModels.load("s.nn", noDropout + String.format(optimizer, "0.1") + ";", kernels);
      written.initialize(4);
      set.initialize(4);
      assertEquals(0.1f, set.learningRate());
      set.setLearningRate(0.003f);
      for (int step = 0; step < 4; step++) {
        written.trainStep(batchX(step, 16), batchY(16), 16);
        set.trainStep(batchX(step, 16), batchY(16), 16);
      }
      assertArrayEquals(parameter(written, "dense_1/kernel"), parameter(set, "dense_1/kernel"), optimizer);
      set.initialize(4);
      assertEquals(0.1f, set.learningRate(), "initialize restores the source's rate");
    }
  }

  @Test
  void badStateIsRefused() {
    Model m = GeneratedModels.load("s.nn", BODY + "optimizer rmsprop;");
    assertThrows(IllegalArgumentException.class, () -> m.setLearningRate(Float.NaN));
    assertThrows(IllegalArgumentException.class, () -> m.setLearningRate(-1f));
    assertThrows(IllegalArgumentException.class, () -> m.setIterations(-1));
    assertThrows(IllegalArgumentException.class, () -> m.setDropoutState(new long[] {1, 2}), "an even gamma");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.readOptimizerSlot("dense_1/kernel", new float[480]));
    assertEquals("no optimizer slot 'dense_1/kernel'; this model has [dense_1/kernel/velocity, dense_1/bias/velocity, "
        + "dense_2/kernel/velocity, dense_2/bias/velocity]", e.getMessage());
  }

  /**
   * {@code fit} with a batch of 64 on a class made for 16 adds up four chunks' gradients into one
   * step: the same training as one batch of 64, within float rounding.
   */
  @ParameterizedTest
  @EnumSource(Kernels.class)
  void aBatchAboveMaxBatchIsOneStepOverItsChunks(Kernels kernels) {
    String body = "input 12; dense 40 relu; dense 3 softmax; loss sparse_ce; optimizer adam(learning_rate = 0.01); ";
    Model small = GeneratedModels.load("s.nn", body + "train batch 16;", kernels);
    Model big = GeneratedModels.load("s.nn", body + "train batch 64;", kernels);
    assertEquals(16, small.maxBatch());
    small.initialize(9);
    big.initialize(9);
    float[] x = batchX(11, 200);
    Dataset data = Dataset.of(x, 12, batchY(200), 1);
    FitOptions options = new FitOptions(3, 64, 5, true, false, List.of("accuracy"), FitOptions.Display.PER_EPOCH);
    History chunked = Trainer.fit(small, data, null, options, QUIET);
    History whole = Trainer.fit(big, data, null, options, QUIET);
    assertEquals(big.iterations(), small.iterations(), "one optimizer step per batch of 64");
    assertEquals(12, small.iterations());
    for (Model.Tensor t : big.parameters()) {
      float[] a = parameter(big, t.name());
      float[] b = parameter(small, t.name());
      for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-5 + 1e-4 * Math.abs(a[i]), t.name() + "[" + i + "]");
    }
    for (int e = 0; e < 3; e++) assertEquals(whole.loss().get(e), chunked.loss().get(e), 1e-5);
    assertEquals(whole.accuracy(), chunked.accuracy());
  }
  /**
   * {@code fit} on byte features hands the batches over as bytes ({@code trainStepOnBytes}, the
   * index built from them), or when they are sparse as their non-zero bytes
   * ({@code trainStepOnPackedBytes}), and on the same values as floats through {@code trainStep}:
   * the same training, to the bit, shuffled batches, a last short batch and both kinds of kernels alike.
   */
  @ParameterizedTest
  @EnumSource(Kernels.class)
  void fitOnBytesTrainsAsFitOnTheirFloats(Kernels kernels) {
    // 30% non-zero: held as bytes; 12%: as their non-zero bytes
    for (int zeros : new int[] {70, 88}) {
      fitOnBytesTrainsAsFitOnTheirFloats(kernels, zeros);
    }
  }

  private static void fitOnBytesTrainsAsFitOnTheirFloats(Kernels kernels, int zeroPercent) {
    String source = "input 40; dense 70 relu; dense 3 softmax; loss sparse_ce; optimizer rmsprop; train batch 16;";
    Model fromBytes = GeneratedModels.load("b.nn", source, kernels);
    Model fromFloats = GeneratedModels.load("b.nn", source, kernels);
    fromBytes.initialize(4);
    fromFloats.initialize(4);
    java.util.SplittableRandom random = new java.util.SplittableRandom(8);
    int samples = 90;
    byte[] bytes = new byte[samples * 40];
    float[] floats = new float[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = random.nextInt(100) < zeroPercent ? 0 : (byte) (1 + random.nextInt(255));
      floats[i] = (bytes[i] & 0xFF) / 255f;
    }
    float[] y = batchY(samples);
    FitOptions options = new FitOptions(2, 16, 5, true, false, List.of("accuracy"), FitOptions.Display.PER_EPOCH);
    History onBytes = Trainer.fit(fromBytes, Dataset.ofUnsignedBytes(bytes, 40, y, 1, 255f), null, options, QUIET);
    History onFloats = Trainer.fit(fromFloats, Dataset.of(floats, 40, y, 1), null, options, QUIET);
    assertEquals(onFloats.loss(), onBytes.loss());
    for (Model.Tensor t : fromBytes.parameters()) {
      org.junit.jupiter.api.Assertions.assertArrayEquals(parameter(fromFloats, t.name()), parameter(fromBytes, t.name()), t.name());
    }
  }
}
