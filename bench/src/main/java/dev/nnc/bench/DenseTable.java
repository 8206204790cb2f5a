package dev.nnc.bench;

import dev.nnc.runtime.Npy;
import dev.nnc.runtime.NpyArray;
import dev.nnc.runtime.NpyType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes a dense table for {@code bench/dense-table.sh}: {@value #FEATURES} float32 features of
 * normal values a sample, none of them zero, and a class of {@value #CLASSES} from a fixed linear map
 * of them plus noise (so that the model has something to learn): {@code x_train.npy}, {@code
 * y_train.npy} ({@value #TRAIN} samples), {@code x_test.npy}, {@code y_test.npy} ({@value #TEST}), and
 * the model {@code table.nn}. The data are what a table of measurements gives, where MNIST's images
 * are mostly zeros: the training steps take the dense kernels.
 *
 * <p>Usage: {@code java -cp bench/target/benchmarks.jar dev.nnc.bench.DenseTable DIR}
 */
public final class DenseTable {
  static final int FEATURES = 100;
  static final int CLASSES = 10;
  static final int TRAIN = 60_000;
  static final int TEST = 10_000;

  /** The model: MNIST's shape but its input, batch 128 and 5 epochs. */
  static final String MODEL = "# A dense table: 100 float features, 10 classes (bench/dense-table.sh).\n"
      + "input 100; dense 512 relu; dense 10 softmax; loss sparse_ce; optimizer rmsprop; metrics accuracy;\n"
      + "train batch 128 epochs 5 seed 42;\n";

  private DenseTable() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: DenseTable DIR");
      System.exit(2);
    }
    Path dir = Files.createDirectories(Path.of(args[0]));
    SplittableRandom random = new SplittableRandom(1);
    float[] map = new float[FEATURES * CLASSES];
    for (int i = 0; i < map.length; i++) map[i] = (float) random.nextGaussian();
    write(dir, "train", TRAIN, map, random);
    write(dir, "test", TEST, map, random);
    Files.writeString(dir.resolve("table.nn"), MODEL);
  }

  private static void write(Path dir, String name, int samples, float[] map, SplittableRandom random) {
    float[] x = new float[samples * FEATURES];
    float[] y = new float[samples];
    for (int s = 0; s < samples; s++) {
      for (int f = 0; f < FEATURES; f++) {
        double v = random.nextGaussian();
        x[s * FEATURES + f] = (float) (v == 0 ? 1e-3 : v);
      }
      int best = 0;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int c = 0; c < CLASSES; c++) {
        double score = 0.5 * random.nextGaussian();
        for (int f = 0; f < FEATURES; f++) score += x[s * FEATURES + f] * map[f * CLASSES + c];
        if (score > bestScore) {
          bestScore = score;
          best = c;
        }
      }
      y[s] = best;
    }
    Npy.write(dir.resolve("x_" + name + ".npy"), NpyArray.ofFloats(new int[] {samples, FEATURES}, x));
    Npy.write(dir.resolve("y_" + name + ".npy"), new NpyArray(NpyType.INT64, new int[] {samples}, y));
  }
}
