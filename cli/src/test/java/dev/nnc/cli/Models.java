package dev.nnc.cli;

import dev.nnc.runtime.Npy;
import dev.nnc.runtime.NpyArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Model sources the tests write. */
final class Models {
  private Models() {}

  /** The showcase: Deep Learning with Python, chapter 2. */
  static final String MNIST = """
      input 784;
      dense 512 relu;
      dense 10 softmax;
      loss sparse_ce;
      optimizer rmsprop;
      metrics accuracy;
      train batch 128 epochs 5 seed 42;
      """;

  /** A misspelled activation on line 2: an error the checker reports with a position. */
  static final String MISSPELLED_ACTIVATION = """
      input 784;
      dense 512 rleu;
      dense 10 softmax;
      loss sparse_ce;
      """;

  /** Two classes of points in the plane; small enough to train in a blink. */
  static final String BLOBS = """
      input 2;
      dense 16 relu;
      dense 2 softmax;
      loss sparse_ce;
      optimizer adam(learning_rate = 0.01);
      metrics accuracy;
      train batch 32 epochs 2 seed 7;
      """;

  static Path write(Path dir, String fileName, String text) throws IOException {
    Path file = dir.resolve(fileName);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
    return file;
  }

  /**
   * {@code n} points of two Gaussian blobs, class 0 around {@code (-center, -center)} and class 1
   * around {@code (center, center)}, {@code spread} wide, as {@code .npy} features and labels.
   */
  static void writeBlobs(Path features, Path labels, int n, long seed, double center, double spread) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] points = new float[n * 2];
    float[] classes = new float[n];
    for (int i = 0; i < n; i++) {
      int label = random.nextInt(2);
      double c = label == 0 ? -center : center;
      points[2 * i] = (float) (c + spread * gaussian(random));
      points[2 * i + 1] = (float) (c + spread * gaussian(random));
      classes[i] = label;
    }
    Npy.write(features, NpyArray.ofFloats(new int[] {n, 2}, points));
    Npy.write(labels, NpyArray.ofFloats(new int[] {n}, classes));
  }

  private static double gaussian(SplittableRandom random) {
    return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
  }
}
