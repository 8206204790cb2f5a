package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class EpochOrderTest {
  private static int[][] epochs(long seed, int n, int count, boolean shuffle) {
    EpochOrder order = new EpochOrder(n, seed, shuffle);
    int[][] all = new int[count][];
    for (int e = 0; e < count; e++) all[e] = order.next().clone();
    return all;
  }

  @Test
  void theSameSeedGivesTheSameEpochs() {
    assertArrayEquals(epochs(42, 100, 3, true), epochs(42, 100, 3, true));
  }

  @Test
  void eachEpochIsAPermutationAndTheyDiffer() {
    int[][] all = epochs(7, 1000, 3, true);
    int[] identity = IntStream.range(0, 1000).toArray();
    for (int[] epoch : all) {
      int[] sorted = epoch.clone();
      Arrays.sort(sorted);
      assertArrayEquals(identity, sorted);
      assertFalse(Arrays.equals(identity, epoch), "shuffled");
    }
    assertFalse(Arrays.equals(all[0], all[1]));
    assertFalse(Arrays.equals(all[0], epochs(8, 1000, 1, true)[0]), "another seed, another order");
  }

  @Test
  void everyPositionIsReachable() {
    // a uniform shuffle of 3 items: each of the 6 orders shows up over many epochs
    EpochOrder order = new EpochOrder(3, 1, true);
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int e = 0; e < 200; e++) seen.add(Arrays.toString(order.next()));
    assertEquals(6, seen.size());
  }

  @Test
  void theOrdersAreOneFisherYatesShuffleAfterAnother() {
    // sizes around the chunks the shuffle is done in, so that a step lost or taken twice at their seams shows
    for (int n : new int[] {1, 2, EpochOrder.CHUNK, EpochOrder.CHUNK + 1, 3 * EpochOrder.CHUNK + 7, 60_000}) {
      SplittableRandom random = new SplittableRandom(42);
      EpochOrder order = new EpochOrder(n, 42, true);
      for (int epoch = 0; epoch < 2; epoch++) {
        int[] expected = new int[n];
        for (int i = 0; i < n; i++) expected[i] = i;
        for (int i = n - 1; i > 0; i--) {
          int j = random.nextInt(i + 1);
          int t = expected[i];
          expected[i] = expected[j];
          expected[j] = t;
        }
        assertArrayEquals(expected, order.next(), n + " samples, epoch " + epoch);
      }
    }
  }

  @Test
  void withoutShufflingTheOrderIsTheSamplesOrder() {
    for (int[] epoch : epochs(42, 5, 2, false)) assertArrayEquals(new int[] {0, 1, 2, 3, 4}, epoch);
  }
}
