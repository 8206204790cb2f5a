package dev.nnc.runtime;

import java.util.SplittableRandom;

/**
 * Keras' weight initializers, by Keras name. Generated classes call {@link #fill} once per tensor
 * from {@code initialize(seed)}; it is not on any training path.
 */
public final class Initializers {
  private Initializers() {}

  /** The initializer names {@link #fill} knows, in Keras spelling. */
  public static final java.util.List<String> NAMES = java.util.List.of(
      "glorot_uniform", "glorot_normal", "he_uniform", "he_normal",
      "lecun_uniform", "lecun_normal", "zeros", "ones");

  /**
   * Fills {@code length} floats of {@code a} from {@code offset} with the named initializer.
   * Fans are Keras': for a dense kernel {@code [in, out]}, {@code fanIn = in}, {@code fanOut = out}.
   * The normal variants are truncated at two standard deviations, as Keras' are.
   */
  public static void fill(String name, float[] a, int offset, int length, int fanIn, int fanOut, SplittableRandom random) {
    switch (name) {
      case "zeros" -> java.util.Arrays.fill(a, offset, offset + length, 0f);
      case "ones" -> java.util.Arrays.fill(a, offset, offset + length, 1f);
      case "glorot_uniform" -> uniform(a, offset, length, Math.sqrt(6.0 / (fanIn + fanOut)), random);
      case "he_uniform" -> uniform(a, offset, length, Math.sqrt(6.0 / fanIn), random);
      case "lecun_uniform" -> uniform(a, offset, length, Math.sqrt(3.0 / fanIn), random);
      case "glorot_normal" -> truncatedNormal(a, offset, length, Math.sqrt(2.0 / (fanIn + fanOut)), random);
      case "he_normal" -> truncatedNormal(a, offset, length, Math.sqrt(2.0 / fanIn), random);
      case "lecun_normal" -> truncatedNormal(a, offset, length, Math.sqrt(1.0 / fanIn), random);
      default -> throw new IllegalArgumentException("unknown initializer '" + name + "'; known: " + NAMES);
    }
  }

  /**
   * Elements per call of the drawing loops: in runs, each a call, because a JVM without on-stack
   * replacement (as {@code bin/nnc} starts it) compiles a method only between calls, and would draw
   * a big layer's weights, once per model instance, entirely in the interpreter (the MNIST
   * example's 401,408: about 40 ms).
   */
  private static final int RUN = 512;

  private static void uniform(float[] a, int offset, int length, double limit, SplittableRandom random) {
    for (int from = offset, end = offset + length; from < end; from += RUN) {
      uniformRun(a, from, Math.min(from + RUN, end), limit, random);
    }
  }

  private static void uniformRun(float[] a, int from, int to, double limit, SplittableRandom random) {
    for (int i = from; i < to; i++) {
      a[i] = (float) ((random.nextDouble() * 2 - 1) * limit);
    }
  }

  // Keras scales the stddev by 1/0.8796... so that the truncated distribution keeps the variance.
  private static final double TRUNCATION_CORRECTION = 0.87962566103423978;

  private static void truncatedNormal(float[] a, int offset, int length, double stddev, SplittableRandom random) {
    double s = stddev / TRUNCATION_CORRECTION;
    for (int from = offset, end = offset + length; from < end; from += RUN) {
      truncatedNormalRun(a, from, Math.min(from + RUN, end), s, random);
    }
  }

  private static void truncatedNormalRun(float[] a, int from, int to, double s, SplittableRandom random) {
    for (int i = from; i < to; i++) {
      double g;
      do {
        g = gaussian(random);
      } while (Math.abs(g) > 2);
      a[i] = (float) (g * s);
    }
  }

  /** A standard normal sample (Marsaglia's polar method; SplittableRandom has no nextGaussian on 17). */
  static double gaussian(SplittableRandom random) {
    double u, v, q;
    do {
      u = random.nextDouble() * 2 - 1;
      v = random.nextDouble() * 2 - 1;
      q = u * u + v * v;
    } while (q >= 1 || q == 0);
    return u * Math.sqrt(-2 * Math.log(q) / q);
  }
}
