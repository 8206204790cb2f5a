package dev.nnc.runtime;

import java.util.SplittableRandom;

/**
 * The dropout masks' generator: the same sequence as the {@link SplittableRandom} it is split
 * from (the SplitMix64 algorithm, which {@code SplittableRandom} documents), but with its state,
 * two longs, readable and writable, so that a checkpoint can carry it and a resumed run draws the
 * very masks the uninterrupted run would have drawn.
 */
public final class DropoutRandom {
  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;
  private long seed;
  private final long gamma;

  private DropoutRandom(long seed, long gamma) {
    this.seed = seed;
    this.gamma = gamma;
  }

  /**
   * What {@code parent.split()} would return, for a {@code parent} made by
   * {@code new SplittableRandom(seed)} (whose gamma is the golden one). Advances {@code parent}
   * as {@code split()} does.
   */
  public static DropoutRandom splitFrom(SplittableRandom parent) {
    // split() is new SplittableRandom(nextLong(), mixGamma(nextSeed())): nextLong() is mix64 of the
    // parent's next seed, so that seed is mix64's inverse of it, and the one after it is one gamma on.
    long childSeed = parent.nextLong();
    parent.nextLong();
    long nextSeed = unmix64(childSeed) + GOLDEN_GAMMA;
    return new DropoutRandom(childSeed, mixGamma(nextSeed));
  }

  /** A generator in the state {@link #state()} returned. */
  public static DropoutRandom ofState(long[] state) {
    if (state.length != 2 || (state[1] & 1) == 0) {
      throw new IllegalArgumentException("a dropout generator's state is two longs, the second odd");
    }
    return new DropoutRandom(state[0], state[1]);
  }

  /** The state: {@code {seed, gamma}}. */
  public long[] state() {
    return new long[] {seed, gamma};
  }

  /** As {@link SplittableRandom#nextDouble()}: uniform in [0, 1), 53 bits. */
  public double nextDouble() {
    return (mix64(seed += gamma) >>> 11) * 0x1.0p-53;
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static long unmix64(long z) {
    z = unshift(z, 31) * inverse(0x94d049bb133111ebL);
    z = unshift(z, 27) * inverse(0xbf58476d1ce4e5b9L);
    return unshift(z, 30);
  }

  /** The {@code x} with {@code x ^ (x >>> shift) == z}. */
  private static long unshift(long z, int shift) {
    long x = z;
    for (int i = 0; i < 64 / shift + 1; i++) x = z ^ (x >>> shift);
    return x;
  }

  /** The inverse of the odd {@code c} modulo 2^64 (Newton's iteration doubles the correct bits each time). */
  private static long inverse(long c) {
    long x = c;
    for (int i = 0; i < 6; i++) x *= 2 - c * x;
    return x;
  }

  private static long mixGamma(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    z = (z ^ (z >>> 33)) | 1L;
    int n = Long.bitCount(z ^ (z >>> 1));
    return (n < 24) ? z ^ 0xaaaaaaaaaaaaaaaaL : z;
  }
}
