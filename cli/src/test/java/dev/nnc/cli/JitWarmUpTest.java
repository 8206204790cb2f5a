package dev.nnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nnc.compiler.Kernels;
import dev.nnc.runtime.Dataset;
import dev.nnc.runtime.FitOptions;
import dev.nnc.runtime.History;
import dev.nnc.runtime.JitWarmUp;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.NncDataException;
import dev.nnc.runtime.Npy;
import dev.nnc.runtime.NpyArray;
import dev.nnc.runtime.NpyType;
import dev.nnc.runtime.Trainer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JIT warm-up trains a throwaway instance: the real model's training is the same with it as without. */
class JitWarmUpTest {
  private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

  @TempDir
  Path dir;

  private LoadedModel load(String source) throws Exception {
    Path file = Models.write(dir, "model.nn", source);
    StringWriter err = new StringWriter();
    GeneratedModel generated = GeneratedModel.check(file, OptionalInt.empty(), Kernels.bestAvailable(),
        new PrintWriter(err)).orElseThrow(() -> new AssertionError(err.toString()));
    return LoadedModel.load(generated, new ClassCache(dir.resolve("cache")));
  }

  private static Dataset blobs(int n) {
    SplittableRandom random = new SplittableRandom(3);
    float[] x = new float[2 * n];
    float[] y = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = random.nextInt(2);
      x[2 * i] = (float) (y[i] * 2 - 1 + random.nextGaussian() * 0.5);
      x[2 * i + 1] = (float) (y[i] * 2 - 1 + random.nextGaussian() * 0.5);
    }
    return Dataset.of(x, 2, y, 1);
  }

  private static float[] train(Model model) {
    model.initialize(11);
    FitOptions options = FitOptions.defaults(model).withEpochs(3).withVerbose(false);
    History history = Trainer.fit(model, blobs(300), blobs(50), options, QUIET);
    float[] kernel = new float[2 * 16];
    model.readParameter("dense_1/kernel", kernel);
    float[] result = new float[kernel.length + 3];
    System.arraycopy(kernel, 0, result, 0, kernel.length);
    result[kernel.length] = history.loss().get(2).floatValue();
    result[kernel.length + 1] = history.valLoss().get(2).floatValue();
    result[kernel.length + 2] = history.accuracy().get(2).floatValue();
    return result;
  }

  @ParameterizedTest(name = "warm-up on {1} for {0} thread(s)")
  @CsvSource({"1, BYTES", "2, BYTES", "1, FLOATS", "2, FLOATS"})
  void trainingAfterAWarmUpIsTrainingWithout(int threads, JitWarmUp.Features features) throws Exception {
    float[] without = train(load(Models.BLOBS).model());

    LoadedModel loaded = load(Models.BLOBS);
    JitWarmUp warmUp = JitWarmUp.start(loaded.model(), loaded::newInstance, 32, threads, features);
    assertNotNull(warmUp);
    JitWarmUp.Result result = warmUp.finish();
    float[] with = train(loaded.model());

    assertNull(result.failure());
    // floats: as many steps on dense values as on sparse ones
    assertEquals(features == JitWarmUp.Features.FLOATS ? 2 * JitWarmUp.STEPS : JitWarmUp.STEPS, result.steps());
    assertArrayEquals(without, with);
  }

  /** {@code --x}'s type chooses the warm-up: uint8 features reach the model as bytes, any other type as floats. */
  @Test
  void theWarmUpTakesTheFeaturesAsTheTrainingDataHoldThem() {
    Path bytes = dir.resolve("bytes.npy");
    Path floats = dir.resolve("floats.npy");
    Npy.write(bytes, new NpyArray(NpyType.UINT8, new int[] {2, 3}, new float[] {0, 1, 2, 3, 4, 255}));
    Npy.write(floats, NpyArray.ofFloats(new int[] {2, 3}, new float[] {0, 1, 2, 3, 4, 5}));
    assertEquals(JitWarmUp.Features.BYTES, TrainCommand.featuresOf(bytes));
    assertEquals(JitWarmUp.Features.FLOATS, TrainCommand.featuresOf(floats));
    assertEquals(JitWarmUp.Features.BYTES, TrainCommand.featuresOf(null), "MNIST's files");
    // reported when the data are read, not here
    assertEquals(JitWarmUp.Features.BYTES, TrainCommand.featuresOf(dir.resolve("missing.npy")));
  }

  @Test
  void warmsUpModelsThatTakeOneHotTargetsToo() throws Exception {
    LoadedModel loaded = load(Models.BLOBS.replace("loss sparse_ce", "loss ce"));
    JitWarmUp.Result result = JitWarmUp.start(loaded.model(), loaded::newInstance, 32, 2).finish();
    assertNull(result.failure());
    assertEquals(JitWarmUp.STEPS, result.steps());
  }

  @Test
  void backgroundWorkRethrowsTheVeryExceptionItThrew() {
    NncDataException failure = new NncDataException("x.npy: truncated");
    Background<Object> work = Background.start("test", () -> {
      throw failure;
    });
    assertSame(failure, assertThrows(NncDataException.class, work::join));
    assertEquals("done", Background.start("test", () -> "done").join());
  }
}
