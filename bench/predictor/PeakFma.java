package nncbench;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The single-core peak that the predictor's real work is set against: independent chains of
 * vector multiply-adds on registers, as {@code PeakFlopsBenchmark.vector} measures it with JMH,
 * here in the predictor's own JVM so that both figures come from the same run. Loaded only where
 * the JVM has the Vector API module.
 */
final class PeakFma {
  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  /** Independent chains: more than the FMA units' latency times their count, so that they never wait. */
  private static final int CHAINS = 12;
  private static final int ITERATIONS = 2_000_000;

  private PeakFma() {}

  /** Floating-point operations a second on this thread, the best of a few rounds. */
  static double flopsPerSecond() {
    double best = 0;
    float sink = 0;
    for (int round = 0; round < 8; round++) {
      long start = System.nanoTime();
      sink += chains(1.0001f);
      long took = System.nanoTime() - start;
      best = Math.max(best, 2.0 * CHAINS * SPECIES.length() * ITERATIONS / (took / 1e9));
    }
    return sink == 42 ? -best : best; // keeps the sums alive
  }

  private static float chains(float factor) {
    FloatVector m = FloatVector.broadcast(SPECIES, factor);
    FloatVector a0 = FloatVector.broadcast(SPECIES, 0.1f), a1 = a0.add(0.01f), a2 = a0.add(0.02f), a3 = a0.add(0.03f);
    FloatVector a4 = a0.add(0.04f), a5 = a0.add(0.05f), a6 = a0.add(0.06f), a7 = a0.add(0.07f);
    FloatVector a8 = a0.add(0.08f), a9 = a0.add(0.09f), a10 = a0.add(0.10f), a11 = a0.add(0.11f);
    FloatVector c = FloatVector.broadcast(SPECIES, 1e-7f);
    for (int i = 0; i < ITERATIONS; i++) {
      a0 = a0.fma(m, c); a1 = a1.fma(m, c); a2 = a2.fma(m, c); a3 = a3.fma(m, c);
      a4 = a4.fma(m, c); a5 = a5.fma(m, c); a6 = a6.fma(m, c); a7 = a7.fma(m, c);
      a8 = a8.fma(m, c); a9 = a9.fma(m, c); a10 = a10.fma(m, c); a11 = a11.fma(m, c);
    }
    return a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9).add(a10).add(a11)
        .reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
  }
}
