package dev.nnc.runtime;

import java.util.SplittableRandom;

/**
 * The order samples are visited in, epoch after epoch: a Fisher–Yates shuffle of 0..n-1 from one
 * seeded generator, so the same seed gives the same sequence of epochs.
 */
final class EpochOrder {
  private final int[] order;
  private final boolean shuffle;
  private final SplittableRandom random;

  EpochOrder(int n, long seed, boolean shuffle) {
    this.order = new int[n];
    this.shuffle = shuffle;
    this.random = new SplittableRandom(seed);
  }

  /** The next epoch's order; the returned array is reused by the following call. */
  int[] next() {
    for (int i = 0; i < order.length; i++) order[i] = i;
    if (shuffle) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    return order;
  }
}
