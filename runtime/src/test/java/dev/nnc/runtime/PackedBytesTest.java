package dev.nnc.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Samples held as their non-zero bytes read back as the bytes they were, and only sparse bytes are held so. */
class PackedBytesTest {
  private static final float[] VALUES = new float[256];

  static {
    for (int b = 0; b < 256; b++) VALUES[b] = b / 255f;
  }

  /** Images of sorts: a blank border, then a share {@code density} of non-zero bytes, any value 1-255. */
  static byte[] sparseBytes(int samples, int featureSize, double density, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    byte[] bytes = new byte[samples * featureSize];
    for (int i = 0; i < bytes.length; i++) {
      boolean border = i % featureSize < featureSize / 8;
      bytes[i] = !border && random.nextDouble() < density ? (byte) (1 + random.nextInt(255)) : 0;
    }
    return bytes;
  }

  private static float[] decoded(PackedBytes packed, int sample) {
    float[] out = new float[packed.featureSize()];
    packed.decode(sample, VALUES, out, 0);
    return out;
  }

  private static float[] floats(byte[] bytes, int from, int count) {
    float[] out = new float[count];
    for (int i = 0; i < count; i++) out[i] = VALUES[bytes[from + i] & 0xFF];
    return out;
  }

  @Test
  void everySampleReadsBackAsItsBytes() {
    int featureSize = 50;
    byte[] bytes = sparseBytes(40, featureSize, 0.25, 1);
    bytes[featureSize - 1] = (byte) 255; // the last feature of the first sample, and a byte with the high bit set
    bytes[featureSize] = 7;              // the first feature of the second
    PackedBytes packed = PackedBytes.of(bytes, featureSize).orElseThrow();
    assertEquals(40, packed.size());
    long nonZeros = 0;
    for (int s = 0; s < 40; s++) {
      assertArrayEquals(floats(bytes, s * featureSize, featureSize), decoded(packed, s), "sample " + s);
      for (int k = 0; k < featureSize; k++) {
        assertEquals(bytes[s * featureSize + k], packed.byteAt(s, k), "sample " + s + ", feature " + k);
        nonZeros += bytes[s * featureSize + k] != 0 ? 1 : 0;
      }
    }
    assertEquals(nonZeros, packed.nonZeros());
    assertEquals(3 * nonZeros, packed.starts()[40]);
  }

  @Test
  void aSliceIsThePackingOfItsSamples() {
    byte[] bytes = sparseBytes(30, 20, 0.2, 2);
    PackedBytes slice = PackedBytes.of(bytes, 20).orElseThrow().slice(7, 19);
    assertEquals(12, slice.size());
    for (int s = 0; s < 12; s++) assertArrayEquals(floats(bytes, (7 + s) * 20, 20), decoded(slice, s), "sample " + s);
    assertEquals(0, PackedBytes.of(bytes, 20).orElseThrow().slice(4, 4).size());
  }

  @Test
  void featuresNamedByTwoBytes() {
    int featureSize = 1 << 16;
    byte[] bytes = new byte[2 * featureSize];
    bytes[300] = 1;
    bytes[featureSize - 1] = 2;
    bytes[featureSize + 65_000] = 3;
    PackedBytes packed = PackedBytes.of(bytes, featureSize).orElseThrow();
    assertEquals(2, packed.byteAt(0, featureSize - 1));
    assertEquals(3, packed.byteAt(1, 65_000));
    assertEquals(1, packed.byteAt(0, 300));
    assertArrayEquals(floats(bytes, featureSize, featureSize), decoded(packed, 1));
    assertTrue(PackedBytes.of(new byte[featureSize + 1], featureSize + 1).isEmpty(), "an index needs two bytes at most");
  }

  /**
   * More than a third non-zero anywhere from the first sample on, and the packing would not fit
   * in the bytes' own array: then there is none, and the array is as it was.
   */
  @Test
  void bytesTooDenseStayAsTheyAre() {
    byte[] dense = sparseBytes(10, 30, 0.6, 3);
    byte[] before = dense.clone();
    assertTrue(PackedBytes.packInPlace(dense, 30).isEmpty());
    assertArrayEquals(before, dense);
    // sparse on the whole, but its first sample half non-zero
    byte[] denseFirst = sparseBytes(10, 30, 0.05, 4);
    Arrays.fill(denseFirst, 0, 15, (byte) 9);
    byte[] kept = denseFirst.clone();
    assertTrue(PackedBytes.packInPlace(denseFirst, 30).isEmpty());
    assertArrayEquals(kept, denseFirst);
    // sparse, then a sample more than a third non-zero in all: the samples packed before it are put back
    byte[] denseLater = sparseBytes(10, 30, 0.05, 6);
    Arrays.fill(denseLater, 0, 30, (byte) 0);
    Arrays.fill(denseLater, 60, 60 + 29, (byte) 3);
    Arrays.fill(denseLater, 90, 90 + 30, (byte) 4);
    byte[] unchanged = denseLater.clone();
    assertTrue(PackedBytes.packInPlace(denseLater, 30).isEmpty());
    assertArrayEquals(unchanged, denseLater);
    // exactly a third fits
    byte[] third = new byte[30];
    for (int i = 0; i < 30; i += 3) third[i] = 1;
    assertTrue(PackedBytes.packInPlace(third, 30).isPresent());
  }

  @Test
  void packingInPlaceUsesTheBytesOwnArray() {
    byte[] bytes = sparseBytes(25, 40, 0.2, 5);
    byte[] original = bytes.clone();
    PackedBytes packed = PackedBytes.packInPlace(bytes, 40).orElseThrow();
    assertTrue(packed.packed() == bytes, "no second array");
    for (int s = 0; s < 25; s++) assertArrayEquals(floats(original, s * 40, 40), decoded(packed, s), "sample " + s);
  }

  @Test
  void decodingRefusesEntriesThatAreNotTheSamples() {
    float[] out = new float[8];
    byte[] packed = {2, 0, 5, 9, 0, 6};
    // feature 9 of 8
    IllegalArgumentException past = assertThrows(IllegalArgumentException.class,
        () -> PackedBytes.decode(packed, new int[] {0, 6}, 0, 8, VALUES, out, 0));
    assertEquals("sample 0 lists feature 9 of 8", past.getMessage());
    // not whole entries, past the array, backwards, and a sample that is not there
    for (int[] starts : new int[][] {{0, 4}, {0, 9}, {3, 0}}) {
      assertThrows(IllegalArgumentException.class, () -> PackedBytes.decode(packed, starts, 0, 8, VALUES, out, 0));
    }
    assertThrows(IllegalArgumentException.class, () -> PackedBytes.decode(packed, new int[] {0, 3}, 1, 8, VALUES, out, 0));
    PackedBytes.decode(packed, new int[] {0, 3}, 0, 8, VALUES, out, 0);
    assertArrayEquals(new float[] {0, 0, 5 / 255f, 0, 0, 0, 0, 0}, out);
  }
}
