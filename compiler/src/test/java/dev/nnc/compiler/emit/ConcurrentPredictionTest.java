package dev.nnc.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.nnc.compiler.Kernels;
import dev.nnc.runtime.Model;
import dev.nnc.runtime.ThreadSafePredictor;
import dev.nnc.runtime.Trainer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A generated model predicting from many threads through {@link ThreadSafePredictor} answers as on one thread. */
class ConcurrentPredictionTest {
  static final String MODEL = "input 20; dense 64 relu; dense 5 softmax; loss sparse_ce; train batch 16 seed 3;";

  @ParameterizedTest
  @EnumSource(Kernels.class)
  void manyThreadsGetTheAnswersOfOne(Kernels kernels) throws Exception {
    Model model = GeneratedModels.load("m.nn", MODEL, kernels);
    model.initialize(11);
    int batches = 40;
    List<float[]> inputs = new ArrayList<>();
    List<float[]> expected = new ArrayList<>();
    SplittableRandom random = new SplittableRandom(5);
    for (int b = 0; b < batches; b++) {
      float[] x = new float[37 * 20]; // more than a batch: predicted in chunks
      for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
      inputs.add(x);
      expected.add(Trainer.predict(model, x, 37));
    }
    ThreadSafePredictor predictor = ThreadSafePredictor.of(model, () -> {
      try {
        return model.getClass().getConstructor().newInstance();
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    });
    model.initialize(12); // later changes to the model do not reach the predictor
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<float[]>> answers = new ArrayList<>();
      for (int round = 0; round < 8; round++) {
        for (int b = 0; b < batches; b++) {
          float[] x = inputs.get(b);
          answers.add(pool.submit(() -> predictor.predict(x, 37)));
        }
      }
      for (int i = 0; i < answers.size(); i++) assertArrayEquals(expected.get(i % batches), answers.get(i).get(), "batch " + i);
    } finally {
      pool.shutdownNow();
    }
  }
}
