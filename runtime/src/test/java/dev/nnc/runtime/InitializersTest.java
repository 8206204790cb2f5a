package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InitializersTest {
  private static final int N = 200_000;

  private static float[] fill(String name, int fanIn, int fanOut, long seed) {
    float[] a = new float[N];
    Initializers.fill(name, a, 0, N, fanIn, fanOut, new SplittableRandom(seed));
    return a;
  }

  private static double mean(float[] a) {
    double s = 0;
    for (float v : a) s += v;
    return s / a.length;
  }

  private static double std(float[] a) {
    double m = mean(a);
    double s = 0;
    for (float v : a) s += (v - m) * (v - m);
    return Math.sqrt(s / a.length);
  }

  private static double maxAbs(float[] a) {
    double max = 0;
    for (float v : a) max = Math.max(max, Math.abs(v));
    return max;
  }

  @Test
  void glorotUniformStaysInItsLimitWithTheUniformVariance() {
    double limit = Math.sqrt(6.0 / (784 + 512));
    float[] a = fill("glorot_uniform", 784, 512, 1);
    assertTrue(maxAbs(a) <= limit);
    assertTrue(maxAbs(a) > 0.99 * limit, "reaches near the limit");
    assertEquals(0, mean(a), 0.01 * limit);
    assertEquals(limit / Math.sqrt(3), std(a), 0.01 * limit);
  }

  @Test
  void truncatedNormalsKeepTheirStandardDeviationAndCutAtTwo() {
    // Keras divides the stddev by 0.8796 so that, cut at two of those, the spread is the one asked for
    double stddev = Math.sqrt(2.0 / 100);
    float[] a = fill("he_normal", 100, 10, 2);
    assertTrue(maxAbs(a) <= 2 * stddev / 0.87962566103423978 + 1e-6);
    assertEquals(stddev, std(a), 0.01 * stddev);
    assertEquals(0, mean(a), 0.01 * stddev);
  }

  @Test
  void theSameSeedGivesTheSameValuesInTheGivenRange() {
    assertArrayEquals(fill("lecun_uniform", 10, 10, 5), fill("lecun_uniform", 10, 10, 5));
    float[] a = {9, 9, 9, 9};
    Initializers.fill("ones", a, 1, 2, 1, 1, new SplittableRandom(0));
    assertArrayEquals(new float[] {9, 1, 1, 9}, a);
    Initializers.fill("zeros", a, 0, 3, 1, 1, new SplittableRandom(0));
    assertArrayEquals(new float[] {0, 0, 0, 9}, a);
  }

  @Test
  void namesTheKnownInitializersForAnUnknownOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Initializers.fill("glorot", new float[1], 0, 1, 1, 1, new SplittableRandom(0)));
    assertEquals("unknown initializer 'glorot'; known: [glorot_uniform, glorot_normal, he_uniform, he_normal,"
        + " lecun_uniform, lecun_normal, zeros, ones]", e.getMessage());
  }
}
