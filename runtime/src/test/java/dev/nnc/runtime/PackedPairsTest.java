package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Samples held as their pairs of features: the entries a model scatters, read back as the bytes they were, and hostile lists refused. */
class PackedPairsTest {
  private static final float[] VALUES = new float[256];

  static {
    for (int b = 0; b < 256; b++) VALUES[b] = b / 255f;
  }

  @Test
  void aPairIsOneEntryWithBothBytesAndAFeatureAloneHasAZeroBeside() {
    // features 0..6: 0, 7, 9, 0, 0, 5, 3 -> pairs (0,7), (9,0), (0,5), (3, past the end)
    byte[] packed = {1, 0, 7, 2, 0, 9, 5, 0, 5, 6, 0, 3};
    PackedPairs pairs = PackedPairs.of(PackedBytes.wrap(packed, new int[] {0, 12}, 7));
    assertArrayEquals(new int[] {0 | 7 << 24, 1 | 9 << 16, 2 | 5 << 24, 3 | 3 << 16}, pairs.entries());
    assertArrayEquals(new int[] {0, 4}, pairs.starts());
  }

  @Test
  void pairsDecodeToTheBytesOfEverySample() {
    for (int featureSize : new int[] {1, 2, 37, 784}) {
      byte[] bytes = PackedBytesTest.sparseBytes(50, featureSize, 0.2, featureSize);
      PackedBytes packed = PackedBytes.of(bytes, featureSize).orElseThrow();
      PackedPairs pairs = PackedPairs.of(packed);
      assertEquals(50, pairs.size());
      int nonZeroPairs = 0;
      for (int s = 0; s < 50; s++) {
        for (int j = 0; 2 * j < featureSize; j++) {
          boolean any = bytes[s * featureSize + 2 * j] != 0 || 2 * j + 1 < featureSize && bytes[s * featureSize + 2 * j + 1] != 0;
          if (any) nonZeroPairs++;
        }
        float[] fromPairs = new float[featureSize + 2];
        float[] fromBytes = new float[featureSize + 2];
        PackedPairs.decode(pairs.entries(), pairs.starts(), s, featureSize, VALUES, fromPairs, 1);
        packed.decode(s, VALUES, fromBytes, 1);
        assertArrayEquals(fromBytes, fromPairs, featureSize + " features, sample " + s);
      }
      assertEquals(nonZeroPairs, pairs.entries().length, featureSize + " features");
    }
  }

  @Test
  void aDatasetMakesItsPairsOnceAndOnlyWhenPacked() {
    byte[] bytes = PackedBytesTest.sparseBytes(20, 16, 0.2, 3);
    float[] targets = new float[20];
    Dataset packed = Dataset.ofUnsignedBytes(bytes, 16, targets, 1, 255f);
    PackedPairs pairs = packed.packedPairs();
    assertSame(pairs, packed.packedPairs());
    Dataset floats = Dataset.of(new float[20 * 16], 16, targets, 1);
    assertEquals(null, floats.packedPairs());
  }

  /** A packed copy from a stranger may list features out of order or past the sample: refused, by sample. */
  @Test
  void hostileListsAreRefused() {
    // sample 0: feature 3 then 2; sample 1: feature 9 of 8
    byte[] outOfOrder = {3, 0, 1, 2, 0, 1};
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PackedPairs.of(PackedBytes.wrap(outOfOrder, new int[] {0, 6}, 8)));
    assertEquals("sample 0 lists feature 2 after feature 3", e.getMessage());
    byte[] past = {1, 0, 1, 9, 0, 1};
    e = assertThrows(IllegalArgumentException.class, () -> PackedPairs.of(PackedBytes.wrap(past, new int[] {0, 3, 6}, 8)));
    assertEquals("sample 1 lists feature 9 of 8", e.getMessage());
    // a kept copy's starts: not from 0 to the entries' end, going back, more entries than pairs
    e = assertThrows(IllegalArgumentException.class, () -> PackedPairs.wrap(new int[3], new int[] {0, 2}, 8));
    assertEquals("starts do not run from 0 to the 3 entries", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PackedPairs.wrap(new int[3], new int[] {0, 2, 1, 3}, 8));
    assertEquals("sample 1: starts name -1 entries, not at most one for each of 4 pairs of features", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> PackedPairs.wrap(new int[5], new int[] {0, 5}, 8));
    assertEquals("sample 0: starts name 5 entries, not at most one for each of 4 pairs of features", e.getMessage());
    // decoding: a pair past the input, the second feature of an odd number's last pair, too many entries
    float[] to = new float[7];
    e = assertThrows(IllegalArgumentException.class, () -> PackedPairs.decode(new int[] {4}, new int[] {0, 1}, 0, 7, VALUES, to, 0));
    assertEquals("sample 0 lists pair 4 of 7 features", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> PackedPairs.decode(new int[] {3 | 1 << 24}, new int[] {0, 1}, 0, 7, VALUES, to, 0));
    assertEquals("sample 0 lists pair 3 of 7 features", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> PackedPairs.decode(new int[] {0, 1, 2, 3, 0}, new int[] {0, 5}, 0, 7, VALUES, to, 0));
    assertEquals("sample 0: starts name entries 0 to 5, at most one for each of 4 pairs of features, of the 5 entries", e.getMessage());
  }
}
